"""Nominating, approving and declining champions: who may do what, who hears back,
and what is refused without changing anything."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from champions import services
from champions.models import Nomination, Term
from notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory

from .factories import NominationFactory, TermFactory, as_user, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(db):
    return DepartmentFactory(name="Claims")


@pytest.fixture
def colleague(claims):
    return UserFactory(display_name="Kanya Colleague", department=claims)


def nominate(client, nominee, department, reason="Talks to customers every day"):
    return client.post("/champions/nominate/", {"nominee": nominee.pk,
                                                "department": department.pk,
                                                "reason": reason})


def decide(client, nomination, decision, reason=""):
    return client.post(f"/champions/nominations/{nomination.pk}/decide/",
                       {"decision": decision, "reason": reason}, follow=True)


def in_champion_role(user) -> bool:
    return user.groups.filter(name="Champion").exists()


def test_employee_nominates_a_colleague_and_admins_are_told(employee, colleague, claims,
                                                            programme_admin):
    response = nominate(as_user(employee), colleague, claims)
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.nominee, nomination.nominator, nomination.department,
            nomination.status) == (colleague, employee, claims, "open")
    assert Notification.objects.filter(recipient=programme_admin,
                                       verb="champions.nomination").exists()
    assert ModelLogEntry.objects.filter(action="champions.nominate",
                                        object_id=str(nomination.pk)).exists()


def test_employee_nominates_themself(employee, claims):
    assert nominate(as_user(employee), employee, claims).status_code == 302
    assert Nomination.objects.get().nominee == employee


def test_nominating_an_inactive_user_is_refused_with_a_message(employee, claims):
    gone = UserFactory(display_name="Gone Person", is_active=False)
    response = nominate(as_user(employee), gone, claims)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Nomination.objects.exists()
    with pytest.raises(ValidationError, match="Only active employees"):
        services.nomination_create(nominator=employee, nominee=gone, department=claims,
                                   reason="Good with customers")
    assert not Nomination.objects.exists()


def test_nominating_a_non_employee_is_refused_with_a_message(employee, claims):
    robot = UserFactory(display_name="Mail Robot")
    robot.groups.clear()
    response = nominate(as_user(employee), robot, claims)
    assert response.status_code == 400
    assert "Only employees can be nominated." in response.content.decode()
    assert not Nomination.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_nomination_needs_a_reason_of_sensible_length(employee, colleague, claims, reason):
    response = nominate(as_user(employee), colleague, claims, reason=reason)
    assert response.status_code == 400
    assert not Nomination.objects.exists()


def test_a_second_open_nomination_of_the_same_person_is_refused(employee, colleague, claims):
    client = as_user(employee)
    nominate(client, colleague, claims)
    response = nominate(client, colleague, claims)
    assert response.status_code == 400
    assert "already nominated" in response.content.decode()
    assert Nomination.objects.count() == 1


@pytest.mark.parametrize("who", ["employee", "champion", "reviewer"])
def test_only_programme_admins_see_the_nominations(request, who, colleague, claims):
    nomination = NominationFactory(nominee=colleague, department=claims)
    client = as_user(request.getfixturevalue(who))
    assert client.get("/champions/nominations/").status_code == 403
    for decision in ["approve", "decline"]:
        response = client.post(f"/champions/nominations/{nomination.pk}/decide/",
                               {"decision": decision, "reason": "Because"})
        assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.status == "open" and not Term.objects.exists()
    with pytest.raises(PermissionDenied):
        services.nomination_approve(nomination=nomination, actor=request.getfixturevalue(who))


def test_admin_sees_open_nominations(programme_admin, colleague, claims):
    NominationFactory(nominee=colleague, department=claims, reason="Runs the customer panel")
    page = as_user(programme_admin).get("/champions/nominations/").content.decode()
    assert "Kanya Colleague" in page and "Runs the customer panel" in page


def test_approval_starts_a_term_and_tells_nominee_and_nominator(
        employee, colleague, claims, programme_admin, django_capture_on_commit_callbacks):
    nomination = NominationFactory(nominee=colleague, nominator=employee, department=claims)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(as_user(programme_admin), nomination, "approve", "Welcome aboard")
    assert response.status_code == 200
    nomination.refresh_from_db()
    assert nomination.status == "approved" and nomination.decided_by == programme_admin
    term = Term.objects.get()
    assert nomination.term == term
    assert (term.person, term.department, term.starts_on, term.ended_on) == (
        colleague, claims, days(0), None)
    assert term.ends_on > days(360)
    assert in_champion_role(colleague)
    told = Notification.objects.filter(verb="champions.nomination_decision")
    assert sorted(told.values_list("recipient", flat=True)) == sorted([colleague.pk,
                                                                        employee.pk])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([colleague.email, employee.email])
    assert all("champion" in m.subject for m in mail.outbox)
    assert ModelLogEntry.objects.filter(action="champions.nomination_approve").exists()
    assert ModelLogEntry.objects.filter(action="champions.term_start").exists()


def test_decline_needs_a_reason(programme_admin, colleague, claims):
    nomination = NominationFactory(nominee=colleague, department=claims)
    response = decide(as_user(programme_admin), nomination, "decline", "  ")
    assert "The reason is required." in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == "open" and nomination.decided_by is None
    assert not Notification.objects.filter(verb="champions.nomination_decision").exists()


def test_decline_with_a_reason_tells_nominee_and_nominator(
        employee, colleague, claims, programme_admin, django_capture_on_commit_callbacks):
    nomination = NominationFactory(nominee=colleague, nominator=employee, department=claims)
    with django_capture_on_commit_callbacks(execute=True):
        decide(as_user(programme_admin), nomination, "decline", "Claims already has two")
    nomination.refresh_from_db()
    assert nomination.status == "declined"
    assert nomination.decision_reason == "Claims already has two"
    assert not Term.objects.exists() and not in_champion_role(colleague)
    told = Notification.objects.filter(verb="champions.nomination_decision")
    assert set(told.values_list("recipient", flat=True)) == {colleague.pk, employee.pk}
    assert all(n.body == "Claims already has two" for n in told)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([colleague.email, employee.email])
    assert all("Claims already has two" in m.body for m in mail.outbox)


def test_second_approval_is_refused_cleanly_and_changes_nothing(
        programme_admin, colleague, claims):
    nomination = NominationFactory(nominee=colleague, department=claims)
    client = as_user(programme_admin)
    decide(client, nomination, "approve")
    nomination.refresh_from_db()
    before = (nomination.status, nomination.decided_at, nomination.term_id,
              Term.objects.count(), Notification.objects.count(),
              ModelLogEntry.objects.count())
    second_admin = UserFactory(roles=["Programme admin"])
    response = decide(as_user(second_admin), nomination, "approve")
    assert response.status_code == 200
    assert "already approved" in response.content.decode()
    response = decide(client, nomination, "decline", "Changed my mind")
    assert "already approved" in response.content.decode()
    nomination.refresh_from_db()
    assert (nomination.status, nomination.decided_at, nomination.term_id,
            Term.objects.count(), Notification.objects.count(),
            ModelLogEntry.objects.count()) == before
    assert nomination.decided_by == programme_admin
    with pytest.raises(ValidationError, match="already approved"):
        services.nomination_approve(nomination=nomination, actor=programme_admin)


def test_approval_overlapping_an_active_term_is_refused(programme_admin, colleague, claims):
    TermFactory(person=colleague, department=claims)
    nomination = NominationFactory(nominee=colleague, department=claims)
    response = decide(as_user(programme_admin), nomination, "approve")
    assert "already has a term for Claims" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == "open" and nomination.term is None
    assert Term.objects.count() == 1


def test_overlapping_terms_for_the_same_person_and_department_are_refused(
        programme_admin, colleague, claims):
    services.term_start(person=colleague, department=claims, actor=programme_admin,
                        starts_on=days(-10), ends_on=days(100))
    for starts_on, ends_on in [(days(50), days(400)), (days(-100), days(-10)),
                               (days(-20), days(200))]:
        with pytest.raises(ValidationError, match="already has a term"):
            services.term_start(person=colleague, department=claims, actor=programme_admin,
                                starts_on=starts_on, ends_on=ends_on)
    # Another department, or after the term: fine.
    services.term_start(person=colleague, department=DepartmentFactory(name="Sales"),
                        actor=programme_admin, starts_on=days(0), ends_on=days(30))
    services.term_start(person=colleague, department=claims, actor=programme_admin,
                        starts_on=days(101), ends_on=days(200))
    assert Term.objects.filter(person=colleague).count() == 3


def test_a_new_term_overlapping_a_past_term_is_refused(programme_admin, colleague, claims):
    past = services.term_start(person=colleague, department=claims, actor=programme_admin,
                               starts_on=days(-400), ends_on=days(-40))
    services.term_end(term=past, actor=None, reason="Term expired", on=past.ends_on)
    with pytest.raises(ValidationError, match="already has a term"):
        services.term_start(person=colleague, department=claims, actor=programme_admin,
                            starts_on=days(-100), ends_on=days(200))
    services.term_start(person=colleague, department=claims, actor=programme_admin,
                        starts_on=days(-39), ends_on=days(200))
    assert Term.objects.filter(person=colleague).count() == 2


def test_only_programme_admins_start_terms(employee, colleague, claims):
    with pytest.raises(PermissionDenied):
        services.term_start(person=colleague, department=claims, actor=employee)
    with pytest.raises(PermissionDenied):
        services.term_start(person=employee, department=claims, actor=employee)
    assert not Term.objects.exists()
