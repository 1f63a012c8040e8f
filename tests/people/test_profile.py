import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from people import services
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_employee_keeps_their_profile(employee_client, employee):
    department = DepartmentFactory(name="Claims")
    manager = UserFactory(display_name="Mina Manager")
    response = employee_client.post("/profile/", {
        "display_name": "สมศรี ใจดี", "department": department.pk, "job_title": "Claims handler",
        "start_date": "2026-11-02", "manager": manager.pk, "preferred_language": "th",
    })
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.display_name == "สมศรี ใจดี"
    assert employee.department == department
    assert employee.manager == manager
    assert str(employee.start_date) == "2026-11-02"
    assert employee.preferred_language == "th"
    assert response.cookies["django_language"].value == "th"
    assert ModelLogEntry.objects.filter(action="people.profile_update").count() == 1


def test_profile_rejects_bad_input_and_changes_nothing(employee_client, employee):
    before = employee.display_name
    response = employee_client.post("/profile/", {
        "display_name": "x" * 500, "start_date": "not-a-date", "preferred_language": "xx",
        "manager": employee.pk,
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid date" in page
    employee.refresh_from_db()
    assert employee.display_name == before


def test_html_in_profile_is_shown_as_text(employee_client, employee):
    employee_client.post("/profile/", {"display_name": "<script>alert(1)</script>",
                                       "preferred_language": "en"})
    page = employee_client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_nobody_edits_someone_elses_profile_without_permission(employee, reviewer):
    with pytest.raises(PermissionDenied):
        services.user_update_profile(user=employee, actor=reviewer, job_title="Hacked")
    employee.refresh_from_db()
    assert employee.job_title != "Hacked"


def test_programme_admin_may_edit_a_profile(employee, programme_admin):
    services.user_update_profile(user=employee, actor=programme_admin, job_title="Team lead")
    employee.refresh_from_db()
    assert employee.job_title == "Team lead"
