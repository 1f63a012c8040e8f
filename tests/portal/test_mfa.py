import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

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
