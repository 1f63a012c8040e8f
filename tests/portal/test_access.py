"""Every page requires a login except the few a stranger must reach."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Views a signed-out person may reach, by URL name (or module for unnamed ones).
PUBLIC_URL_NAMES = {
    "healthz",
    "favicon",
    "set_language",
    "account_login",
    "account_signup",
    "account_confirm_login_code",
    "account_request_login_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_password_reset_code",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_inactive",
    "account_logout",
    "account_login_code_confirm",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_trust",
    "mfa_login_webauthn",
    "mfa_signup_webauthn",
    "openid_connect_login",
    "openid_connect_callback",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
    "wagtaildocs_serve",
    "unsubscribe",  # the newsletter's one-click link: a signed token, no login
    "pulse_public",  # a customer's single-use pulse link: the token is the credential
    # Wagtail's page-privacy login hands over to the site login page.
    "wagtailcore_login",
}
# Wagtail's admin API (Django REST framework) checks admin access itself: see
# test_admin_api_refuses_signed_out_visitors. So does the JSON API (a token or the
# session; signed out is a 401 problem): tests/api/test_auth.py.
PUBLIC_ROUTE_PREFIXES = ("admin/login", "_util/login", "admin/api/", "api/v1/")


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def is_public(view) -> bool:
    return getattr(view, "login_required", True) is False


def test_only_the_allowed_views_skip_login():
    public = {}
    for route, pattern in walk(get_resolver().url_patterns):
        if is_public(pattern.callback):
            key = pattern.name or f"{pattern.callback.__module__}:{route}"
            public[key] = route
    unexpected = {name: route for name, route in public.items()
                  if name not in PUBLIC_URL_NAMES and not route.startswith(PUBLIC_ROUTE_PREFIXES)}
    assert unexpected == {}


@pytest.mark.parametrize("path", [
    "/", "/profile/", "/admin/", "/admin/users/", "/admin/pages/", "/documents/1/x.pdf",
    "/accounts/email/", "/accounts/password/change/", "/accounts/2fa/",
    "/some/wagtail/page/",
])
def test_signed_out_visitor_is_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302, path
    assert response.url.startswith(reverse("account_login")), response.url


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password",
                                  "healthz"])
def test_public_pages_answer_without_login(client, name):
    assert client.get(reverse(name)).status_code in (200, 503)


@pytest.mark.parametrize("path", ["/admin/api/main/pages/", "/admin/api/main/images/"])
def test_admin_api_refuses_signed_out_visitors(client, path):
    response = client.get(path)
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert response.url.startswith(reverse("account_login"))


def test_wagtail_page_privacy_login_hands_over_to_site_login(client):
    response = client.get("/_util/login/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_admin_uses_the_site_login_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=/admin/"


def test_employee_cannot_enter_the_admin(employee_client):
    response = employee_client.get("/admin/")
    assert response.status_code in (302, 403)
    assert not (response.status_code == 200)


def test_unknown_page_is_a_friendly_404(employee_client):
    response = employee_client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_signed_out_visitor_can_switch_language(client):
    """The login page has the language switcher: it must work before signing in."""
    response = client.post(reverse("set_language"),
                           {"language": "fa", "next": reverse("account_login")})
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert response.cookies["django_language"].value == "fa"
    assert 'lang="fa" dir="rtl"' in client.get(reverse("account_login")).content.decode()


def test_a_signed_in_persons_language_switch_is_kept_for_their_next_sign_in(
        employee_client, employee):
    employee_client.post(reverse("set_language"), {"language": "th", "next": "/"})
    employee.refresh_from_db()
    assert employee.preferred_language == "th"

    # An unknown language changes nothing.
    employee_client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    employee.refresh_from_db()
    assert employee.preferred_language == "th"


def test_every_page_has_an_icon_and_favicon_ico_finds_it(client, employee):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    client.force_login(employee)
    assert 'rel="icon"' in client.get("/").content.decode()
