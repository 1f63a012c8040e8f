import pytest

from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_programme_admin_lists_users_filtered_by_department(admin_client_):
    claims = DepartmentFactory(name="Claims")
    sales = DepartmentFactory(name="Sales")
    UserFactory(display_name="In Claims", department=claims)
    UserFactory(display_name="In Sales", department=sales)
    response = admin_client_.get("/admin/users/", {"department": claims.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "In Claims" in page
    assert "In Sales" not in page


def test_programme_admin_filters_users_by_role(admin_client_, reviewer, employee):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Reviewer")
    page = admin_client_.get("/admin/users/", {"group": group.pk}).content.decode()
    assert reviewer.email in page or reviewer.username in page
    assert employee.username not in page


def test_programme_admin_manages_departments(admin_client_):
    from people.models import Department

    refused = admin_client_.post("/admin/snippets/people/department/add/",
                                 {"name_th": "ค้าปลีก", "head_count": 30})
    assert refused.status_code == 200
    assert "required in English" in refused.content.decode()
    assert not Department.objects.filter(name_th="ค้าปลีก").exists()
    response = admin_client_.post("/admin/snippets/people/department/add/",
                                  {"name_en": "Retail", "name_th": "ค้าปลีก", "name_fa": "",
                                   "head_count": 30})
    assert response.status_code == 302
    retail = Department.objects.get(name_en="Retail", head_count=30)
    assert (retail.name_th, retail.name_fa) == ("ค้าปลีก", None)


def test_admin_user_edit_form_has_profile_fields(admin_client_, employee):
    page = admin_client_.get(f"/admin/users/edit/{employee.pk}/").content.decode()
    for field in ("display_name", "department", "job_title", "start_date", "manager",
                  "preferred_language"):
        assert f'name="{field}"' in page, field


def test_reviewer_cannot_manage_users(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/admin/users/").status_code in (302, 403)
