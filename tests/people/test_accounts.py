import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from people import roles
from tests.conftest import PASSWORD
from tests.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db

SIGNUP = {"password1": "a-long-Passphrase-42", "password2": "a-long-Passphrase-42"}


def signup(client, email):
    return client.post(reverse("account_signup"), {"email": email, **SIGNUP})


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def link_from_last_mail(pattern: str) -> str:
    return re.search(pattern, mail.outbox[-1].body).group(0)


def test_signup_refused_outside_company_domains(client):
    response = signup(client, "someone@gmail.com")
    assert response.status_code == 200
    assert "only open to company e-mail addresses" in response.content.decode()
    assert not User.objects.filter(email="someone@gmail.com").exists()
    assert mail.outbox == []


def test_signup_domain_check_ignores_lookalike_subdomains(client):
    signup(client, "someone@example.com.evil.test")
    assert not User.objects.exists()


def test_signup_with_company_address_needs_verification_before_login(client):
    response = signup(client, "Noor@Example.com")
    assert response.status_code == 302
    user = User.objects.get(email__iexact="noor@example.com")
    assert user.groups.filter(name=roles.EMPLOYEE).exists()
    assert "_auth_user_id" not in client.session
    # Not verified yet: signing in only re-sends the verification mail.
    client.logout()
    response = login(client, "noor@example.com", SIGNUP["password1"])
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm_url = link_from_last_mail(r"http://testserver/accounts/confirm-email/\S+/")
    response = client.post(confirm_url.removeprefix("http://testserver"))
    assert response.status_code == 302
    response = login(client, "noor@example.com", SIGNUP["password1"])
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_and_logout(client, employee):
    response = login(client, employee.email, PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post(reverse("account_logout"))
    assert client.get("/").status_code == 302


def test_signed_in_message_names_the_person_not_the_username(client, employee):
    employee.display_name = "Pim Phongsak"
    employee.save(update_fields=["display_name"])
    login(client, employee.email, PASSWORD)
    page = client.get("/").content.decode()
    assert "signed in as Pim Phongsak" in page


def test_password_reset_by_mail(client, employee):
    client.post(reverse("account_reset_password"), {"email": employee.email})
    assert len(mail.outbox) == 1
    reset_url = link_from_last_mail(r"http://testserver/accounts/password/reset/key/\S+/")
    response = client.get(reset_url.removeprefix("http://testserver"), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    new = "another-Long-passphrase-7"
    response = client.post(form_url.removeprefix("http://testserver"),
                           {"password1": new, "password2": new})
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password(new)


def test_failed_logins_are_rate_limited(client, employee):
    for _ in range(5):
        response = login(client, employee.email, "wrong-password")
        assert "_auth_user_id" not in client.session
    # Even the right password is refused while the limit holds.
    response = login(client, employee.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_rate_limit_is_per_account_not_global(client, employee):
    other = UserFactory()
    for _ in range(5):
        login(client, employee.email, "wrong-password")
    login(client, other.email, PASSWORD)
    assert int(client.session["_auth_user_id"]) == other.pk


def test_preferred_language_applied_at_login(client):
    person = UserFactory(preferred_language="fa")
    response = login(client, person.email, PASSWORD)
    assert response.cookies["django_language"].value == "fa"
    page = client.get("/")
    assert 'lang="fa" dir="rtl"' in page.content.decode()


def test_login_page_offers_configured_openid_connect_provider(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [{
                "provider_id": "fake-sso", "name": "Fake Company SSO",
                "client_id": "intranet", "secret": "s3cret",
                "settings": {"server_url": "https://sso.example.com/realms/company"},
            }],
        }
    }
    page = client.get(reverse("account_login")).content.decode()
    assert "Fake Company SSO" in page
    login_url = reverse("openid_connect_login", kwargs={"provider_id": "fake-sso"})
    assert login_url in page


def test_openid_connect_login_redirects_to_the_provider(client, settings, monkeypatch):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [{
                "provider_id": "fake-sso", "name": "Fake Company SSO",
                "client_id": "intranet", "secret": "s3cret",
                "settings": {"server_url": "https://sso.example.com/realms/company"},
            }],
        }
    }
    from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider

    # No network here: the provider's discovery document is what a real IdP would publish.
    monkeypatch.setattr(
        OpenIDConnectProvider, "server_url",
        property(lambda self: "https://sso.example.com/realms/company"), raising=False,
    )
    from allauth.socialaccount.providers.openid_connect import views as oidc_views

    monkeypatch.setattr(
        oidc_views.OpenIDConnectOAuth2Adapter, "openid_config",
        property(lambda self: {
            "authorization_endpoint": "https://sso.example.com/auth",
            "token_endpoint": "https://sso.example.com/token",
            "userinfo_endpoint": "https://sso.example.com/userinfo",
        }),
    )
    url = reverse("openid_connect_login", kwargs={"provider_id": "fake-sso"})
    response = client.post(url)
    assert response.status_code == 302
    assert response.url.startswith("https://sso.example.com/auth?")
    assert "client_id=intranet" in response.url


def test_sso_signup_refused_outside_company_domains(rf):
    from allauth.socialaccount.models import SocialLogin

    from people.adapters import SocialAccountAdapter

    adapter = SocialAccountAdapter()
    outsider = SocialLogin(user=User(email="x@gmail.com"))
    insider = SocialLogin(user=User(email="x@example.com"))
    assert adapter.is_open_for_signup(rf.get("/"), outsider) is False
    assert adapter.is_open_for_signup(rf.get("/"), insider) is True


def test_sso_signup_refuses_an_address_longer_than_the_column(rf):
    from allauth.socialaccount.models import SocialLogin

    from people.adapters import SocialAccountAdapter

    adapter = SocialAccountAdapter()
    long_one = SocialLogin(user=User(email="a" * 250 + "@example.com"))
    assert adapter.is_open_for_signup(rf.get("/"), long_one) is False
