import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from people import roles, services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def perms_of(role):
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_every_role_exists_with_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)
    for role, expected in roles.ROLE_PERMISSIONS.items():
        assert perms_of(role) >= set(expected), role


def test_only_programme_admins_manage_people_and_departments():
    for role in roles.ALL_ROLES:
        admin_only = {"people.change_user", "people.add_department", "people.manage_roles"}
        holds = admin_only & perms_of(role)
        assert bool(holds) == (role == roles.PROGRAMME_ADMIN), role


def test_new_accounts_are_employees():
    person = UserFactory()
    assert list(person.groups.values_list("name", flat=True)) == [roles.EMPLOYEE]


def test_programme_admin_sets_roles_and_employee_role_is_kept(programme_admin, employee):
    services.user_set_roles(user=employee, actor=programme_admin, role_names=[roles.REVIEWER])
    assert set(employee.groups.values_list("name", flat=True)) == {roles.EMPLOYEE, roles.REVIEWER}
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action="people.roles_change")
    assert entry.user == programme_admin
    assert entry.data == {"from": [roles.EMPLOYEE], "to": [roles.EMPLOYEE, roles.REVIEWER]}


def test_employee_cannot_set_roles(employee, reviewer):
    with pytest.raises(PermissionDenied):
        services.user_set_roles(user=employee, actor=reviewer, role_names=[roles.PROGRAMME_ADMIN])
    assert not employee.groups.filter(name=roles.PROGRAMME_ADMIN).exists()


def test_unknown_role_is_refused_and_nothing_changes(programme_admin, employee):
    with pytest.raises(ValueError):
        services.user_set_roles(user=employee, actor=programme_admin, role_names=["Overlord"])
    assert list(employee.groups.values_list("name", flat=True)) == [roles.EMPLOYEE]


def test_every_role_has_a_translatable_label():
    from django.utils.functional import Promise

    assert set(roles.ROLE_LABELS) == set(roles.ALL_ROLES)
    assert all(isinstance(label, Promise) for label in roles.ROLE_LABELS.values())
    assert roles.role_label("Some other group") == "Some other group"


def test_home_page_shows_role_labels_not_group_names(client, monkeypatch):
    from django.utils.functional import lazy

    person = UserFactory(roles=[roles.EMPLOYEE, roles.TRAINING_EDITOR])
    # Stand-ins for translations: whatever role_label() gives is what the page shows.
    monkeypatch.setitem(roles.ROLE_LABELS, roles.TRAINING_EDITOR,
                        lazy(lambda: "ผู้แก้ไขบทเรียน", str)())
    client.force_login(person)
    page = client.get("/").content.decode()
    assert "Employee, ผู้แก้ไขบทเรียน" in page
    assert "Training editor" not in page


def test_role_changes_in_the_user_admin_go_through_the_role_service(admin_client_,
                                                                    programme_admin,
                                                                    employee):
    """Wagtail's user form wrote the groups itself: unticking Employee silently dropped a
    person from newsletter subscribers and nominations, and nothing was logged."""
    from wagtail.models import ModelLogEntry

    reviewer_group = Group.objects.get(name=roles.REVIEWER)
    response = admin_client_.post(f"/admin/users/edit/{employee.pk}/", {
        "username": employee.username, "email": employee.email, "first_name": "Erin",
        "last_name": "Employee", "is_active": "on", "display_name": employee.display_name,
        "preferred_language": "en", "groups": [reviewer_group.pk]})  # Employee unticked
    assert response.status_code == 302
    assert set(employee.groups.values_list("name", flat=True)) == {roles.EMPLOYEE,
                                                                    roles.REVIEWER}
    entry = ModelLogEntry.objects.get(action="people.roles_change")
    assert entry.user == programme_admin
    assert entry.data == {"from": [roles.EMPLOYEE], "to": [roles.EMPLOYEE, roles.REVIEWER]}


def test_people_created_in_the_user_admin_are_employees(admin_client_):
    from people.models import User

    response = admin_client_.post("/admin/users/new/", {
        "username": "newperson", "email": "new@example.com", "first_name": "New",
        "last_name": "Person", "display_name": "New Person", "preferred_language": "en"})
    assert response.status_code == 302
    person = User.objects.get(username="newperson")
    assert list(person.groups.values_list("name", flat=True)) == [roles.EMPLOYEE]
