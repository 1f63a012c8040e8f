"""Who may manage champions: a named permission (champions.manage_champions), granted by
a data migration to every group that held the borrowed change_nomination before."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from champions import permissions
from people import roles
from tests.factories import UserFactory

from .factories import TermFactory, as_user

pytestmark = pytest.mark.django_db

MIGRATION = "0005_manage_champions_permission"


def perm(codename):
    return Permission.objects.get(content_type__app_label="champions", codename=codename)


def test_programme_admins_hold_the_named_permission(programme_admin):
    assert Group.objects.get(name=roles.PROGRAMME_ADMIN).permissions.filter(
        codename="manage_champions", content_type__app_label="champions").exists()
    assert permissions.can_manage(programme_admin)


@pytest.mark.parametrize("who", ["employee", "champion", "reviewer"])
def test_other_roles_do_not_manage_champions(request, who):
    assert not permissions.can_manage(request.getfixturevalue(who))


def test_the_crud_permission_alone_no_longer_means_manage(db):
    crud_only = UserFactory()
    crud_only.user_permissions.add(perm("change_nomination"))
    named = UserFactory()
    named.user_permissions.add(perm("manage_champions"))
    assert not permissions.can_manage(crud_only)
    assert permissions.can_manage(named)
    # The nominations page and its tab in the sub-navigation follow the named permission.
    assert as_user(crud_only).get("/champions/nominations/").status_code == 403
    response = as_user(named).get("/champions/nominations/")
    assert response.status_code == 200
    assert 'href="/champions/nominations/"' in response.content.decode()
    assert 'href="/champions/nominations/"' not in (
        as_user(crud_only).get("/champions/").content.decode())


def test_the_migration_copies_change_nomination_to_manage_champions(db):
    """Every group and person holding change_nomination gets manage_champions."""
    editors = Group.objects.create(name="Nomination editors")
    editors.permissions.add(perm("change_nomination"))
    bystanders = Group.objects.create(name="Bystanders")
    person = UserFactory()
    person.user_permissions.add(perm("change_nomination"))
    migration = importlib.import_module(f"champions.migrations.{MIGRATION}")
    state = MigrationExecutor(connection).loader.project_state(("champions", MIGRATION))
    migration.copy_assignments(state.apps, None)
    assert editors.permissions.filter(pk=perm("manage_champions").pk).exists()
    assert not bystanders.permissions.exists()
    assert person.user_permissions.filter(pk=perm("manage_champions").pk).exists()
    # The CRUD permission stays where it was (the Wagtail admin uses it).
    assert editors.permissions.filter(pk=perm("change_nomination").pk).exists()


def test_hand_over_and_end_the_champion_or_a_manager(programme_admin, employee):
    term = TermFactory()
    assert permissions.can_hand_over(term.person, term)
    assert permissions.can_end_term(term.person, term)
    assert permissions.can_hand_over(programme_admin, term)
    assert permissions.can_renew_term(programme_admin, term)
    assert not permissions.can_hand_over(employee, term)
    assert not permissions.can_end_term(employee, term)
    assert not permissions.can_renew_term(term.person, term)


def test_the_profile_offers_hand_over_only_to_those_who_may(programme_admin, employee):
    term = TermFactory()
    url = f"/champions/people/{term.person_id}/"
    handover = f"/champions/terms/{term.pk}/handover/"
    assert handover in as_user(term.person).get(url).content.decode()
    assert handover in as_user(programme_admin).get(url).content.decode()
    assert handover not in as_user(employee).get(url).content.decode()
