import importlib
import os
from unittest import mock

import pytest
from django.urls import reverse

from people import roles
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_mfa_is_offered_to_everyone(client, employee):
    client.force_login(employee)
    # Setting up a second factor is account-sensitive: allauth asks for the password again.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "otpauth://" in page.content.decode() or "svg" in page.content.decode()


def test_required_mfa_sends_reviewers_to_set_it_up(client, reviewer, employee, settings):
    settings.MFA_REQUIRED_FOR_ROLES = ["Reviewer", "Programme admin"]
    client.force_login(reviewer)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    client.force_login(employee)
    assert client.get("/").status_code == 200


def test_reviewer_with_totp_passes(client, reviewer, settings):
    from allauth.mfa.models import Authenticator

    settings.MFA_REQUIRED_FOR_ROLES = ["Reviewer"]
    Authenticator.objects.create(user=reviewer, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(reviewer)
    assert client.get("/").status_code == 200


def test_mfa_not_required_by_default(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/").status_code == 200


# --- REQUIRE_MFA_FOR_STAFF covers everyone with admin access (issue 12, item 10) ------

STAFF = ["wagtailadmin.access_admin"]  # what REQUIRE_MFA_FOR_STAFF=true sets


@pytest.fixture
def staff_mfa(settings):
    settings.MFA_REQUIRED_FOR_PERMISSIONS = STAFF
    settings.MFA_REQUIRED_FOR_ROLES = []


def sent_to_mfa_setup(client, user, path="/") -> bool:
    client.force_login(user)
    response = client.get(path)
    return response.status_code == 302 and response.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", [roles.CHAMPION, roles.REVIEWER, roles.PROGRAMME_ADMIN,
                                  roles.TRAINING_EDITOR])
def test_every_role_with_admin_access_must_set_up_mfa(client, staff_mfa, role):
    person = UserFactory(roles=[role])
    assert person.has_perm("wagtailadmin.access_admin")
    assert sent_to_mfa_setup(client, person)
    assert sent_to_mfa_setup(client, person, "/admin/")
    assert sent_to_mfa_setup(client, person, "/ideas/")
    # The set-up page itself stays reachable (allauth first asks for the password again).
    client.force_login(person)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_superusers_must_set_up_mfa(client, staff_mfa):
    assert sent_to_mfa_setup(client, UserFactory(is_superuser=True))


def test_people_without_admin_access_are_not_asked(client, staff_mfa, employee, new_hire):
    assert not sent_to_mfa_setup(client, employee)
    assert not sent_to_mfa_setup(client, new_hire)


def test_champion_with_totp_passes(client, staff_mfa, champion):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=champion, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(champion)
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_require_mfa_for_staff_means_admin_access():
    from portal.settings import base

    with mock.patch.dict(os.environ, {"REQUIRE_MFA_FOR_STAFF": "true"}):
        assert importlib.reload(base).MFA_REQUIRED_FOR_PERMISSIONS == STAFF
    with mock.patch.dict(os.environ, {"REQUIRE_MFA_FOR_STAFF": "false"}):
        assert importlib.reload(base).MFA_REQUIRED_FOR_PERMISSIONS == []
    importlib.reload(base)


def test_nothing_required_means_the_user_is_never_loaded(rf, settings):
    """With MFA not required, a request never touches the session or user (so /healthz
    and the friendly 503 page work while the database is down)."""
    from django.http import HttpResponse
    from django.utils.functional import SimpleLazyObject

    from portal.middleware import RequireMFAMiddleware

    def unreachable():
        raise AssertionError("the user was loaded")

    settings.MFA_REQUIRED_FOR_PERMISSIONS = []
    settings.MFA_REQUIRED_FOR_ROLES = []
    request = rf.get("/")
    request.user = SimpleLazyObject(unreachable)
    assert RequireMFAMiddleware(lambda r: HttpResponse("ok"))(request).status_code == 200
    # Required, but on an exempt path: still not loaded.
    settings.MFA_REQUIRED_FOR_PERMISSIONS = STAFF
    request = rf.get("/healthz")
    request.user = SimpleLazyObject(unreachable)
    assert RequireMFAMiddleware(lambda r: HttpResponse("ok"))(request).status_code == 200
