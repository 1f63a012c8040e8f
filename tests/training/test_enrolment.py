"""Paths: due dates in working days from the start date, rule-based enrolment when people
are created or change department or role (idempotent), and enrolment by HR."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from notifications.models import Notification
from people import roles
from people.services import user_update_profile
from tests.factories import DepartmentFactory, UserFactory
from training import services
from training.models import Enrolment

from .factories import FRIDAY, module_page, onboarding_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(basics, moves):
    return basics, moves, module_page("claims", title="A claim from first call to payment")


def dues(user):
    return dict(Enrolment.objects.filter(user=user).values_list("module__slug", "due_on"))


def test_due_dates_count_working_days_from_a_friday_start(three, new_hire):
    basics, moves, claims = three
    path = onboarding_path("Who our customers are", [(basics, 1), (moves, 5), (claims, 6)])
    new_hire.start_date = FRIDAY                     # Friday 6 November 2026
    new_hire.save()
    assert services.path_enrol(user=new_hire, path=path, actor=None) == 3
    assert dues(new_hire) == {
        "who": date(2026, 11, 9),       # 1 working day: the weekend is skipped → Monday
        "moves": date(2026, 11, 13),    # 5 → the next Friday
        "claims": date(2026, 11, 16),   # 6 → Monday after the second weekend
    }


def test_due_dates_skip_holidays(three, new_hire, settings):
    basics, moves, _claims = three
    settings.HOLIDAYS = {"2026-11-09", "2026-11-11"}
    path = onboarding_path("Who our customers are", [(basics, 1), (moves, 5)])
    services.path_enrol(user=new_hire, path=path, actor=None, start=FRIDAY)
    assert dues(new_hire) == {"who": date(2026, 11, 10), "moves": date(2026, 11, 17)}


def test_enrolling_twice_keeps_the_first_enrolment(basics, new_hire, programme_admin):
    path = onboarding_path("Who our customers are", [(basics, 3)])
    assert services.path_enrol(user=new_hire, path=path, actor=None, start=FRIDAY) == 1
    assert services.path_enrol(user=new_hire, path=path, actor=programme_admin,
                               start=date(2027, 1, 4)) == 0
    assert Enrolment.objects.get(user=new_hire).due_on == date(2026, 11, 11)
    assert Notification.objects.filter(recipient=new_hire, verb="training.enrolled").count() \
        == 1


def test_a_new_employee_matching_a_rule_is_enrolled(basics, moves,
                                                    django_capture_on_commit_callbacks):
    sales = DepartmentFactory(name="Sales")
    onboarding_path("Serving military families on the move", [(basics, 2), (moves, 5)],
                    department=sales)
    with django_capture_on_commit_callbacks(execute=True):
        person = UserFactory(department=sales, start_date=FRIDAY)
        other = UserFactory(department=DepartmentFactory(name="Claims"), start_date=FRIDAY)
    assert dues(person) == {"who": date(2026, 11, 10), "moves": date(2026, 11, 13)}
    assert Enrolment.objects.get(user=person, module=basics).path.name.startswith("Serving")
    assert not Enrolment.objects.filter(user=other).exists()
    assert Notification.objects.filter(recipient=person, verb="training.enrolled").count() == 1


def test_role_rules_and_combined_rules(basics, moves, django_capture_on_commit_callbacks):
    sales = DepartmentFactory(name="Sales")
    onboarding_path("Who our customers are", [(basics, 2)], role=Group.objects.get(
        name=roles.NEW_HIRE))
    onboarding_path("Sales new hires", [(moves, 5)], department=sales,
                    role=Group.objects.get(name=roles.NEW_HIRE))
    with django_capture_on_commit_callbacks(execute=True):
        claims_hire = UserFactory(roles=[roles.NEW_HIRE])
        sales_hire = UserFactory(department=sales, roles=[roles.NEW_HIRE])
        sales_veteran = UserFactory(department=sales)
    assert set(dues(claims_hire)) == {"who"}
    assert set(dues(sales_hire)) == {"who", "moves"}
    assert dues(sales_veteran) == {}
    # Given the role later (role added): enrolled then.
    with django_capture_on_commit_callbacks(execute=True):
        sales_veteran.groups.add(Group.objects.get(name=roles.NEW_HIRE))
    assert set(dues(sales_veteran)) == {"who", "moves"}


def test_department_change_through_the_profile_service_re_evaluates_rules(
        basics, moves, programme_admin, django_capture_on_commit_callbacks):
    sales = DepartmentFactory(name="Sales")
    onboarding_path("Serving military families on the move", [(basics, 2), (moves, 5)],
                    department=sales)
    with django_capture_on_commit_callbacks(execute=True):
        person = UserFactory(department=DepartmentFactory(name="Claims"), start_date=FRIDAY)
    assert dues(person) == {}
    with django_capture_on_commit_callbacks(execute=True):
        user_update_profile(user=person, actor=programme_admin, job_title="Account manager")
    assert dues(person) == {}                         # other profile changes: no rule
    with django_capture_on_commit_callbacks(execute=True):
        user_update_profile(user=person, actor=programme_admin, department=sales)
    assert set(dues(person)) == {"who", "moves"}
    # Idempotent: saving again, or the same change again, adds nothing and notifies once.
    with django_capture_on_commit_callbacks(execute=True):
        user_update_profile(user=person, actor=programme_admin, department=sales)
        person.save()
        services.enrolment_apply_path_rules(user=person)
    assert Enrolment.objects.filter(user=person).count() == 2
    assert Notification.objects.filter(recipient=person, verb="training.enrolled").count() == 1


def test_department_change_by_saving_the_user(basics, django_capture_on_commit_callbacks):
    sales = DepartmentFactory(name="Sales")
    onboarding_path("Sales basics", [(basics, 2)], department=sales)
    with django_capture_on_commit_callbacks(execute=True):
        person = UserFactory(department=None)
    with django_capture_on_commit_callbacks(execute=True):
        person.department = sales
        person.save()
    assert set(dues(person)) == {"who"}


def test_inactive_people_are_not_enrolled(basics, django_capture_on_commit_callbacks):
    sales = DepartmentFactory(name="Sales")
    onboarding_path("Sales basics", [(basics, 2)], department=sales)
    with django_capture_on_commit_callbacks(execute=True):
        UserFactory(department=sales, is_active=False)
    assert not Enrolment.objects.exists()


def test_hr_enrols_people_in_bulk(basics, moves, programme_admin, new_hire, employee,
                                  as_user):
    path = onboarding_path("Who our customers are", [(basics, 2), (moves, 5)])
    client = as_user(programme_admin)
    response = client.post("/onboarding/enrol/", {"users": [new_hire.pk, employee.pk],
                                                  "path": path.pk}, follow=True)
    assert response.status_code == 200
    assert "4 enrolment(s) created." in response.content.decode()
    assert Enrolment.objects.filter(path=path).count() == 4
    assert set(Enrolment.objects.values_list("assigned_by", flat=True)) == {programme_admin.pk}
    # A single module with its own due date; enrolling again creates nothing.
    client.post("/onboarding/enrol/", {"users": [new_hire.pk], "module": moves.pk,
                                       "due_on": "2026-12-01"})
    assert Enrolment.objects.filter(user=new_hire).count() == 2
    response = client.post("/onboarding/enrol/", {"users": [new_hire.pk]})
    assert response.status_code == 400
    assert "Choose a path or a module." in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.enrolment_create_bulk(users=[employee], path=path, module=None, actor=new_hire)
