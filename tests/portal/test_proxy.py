"""Behind a reverse proxy (issue 12, item 10): every request reaches gunicorn from the
proxy's address, so without trusting the proxy's X-Forwarded-For every client shared one
per-IP login rate-limit bucket. TRUSTED_PROXY_COUNT / TRUSTED_CLIENT_IP_HEADER say which
address is the client's; what a client writes into the header itself is not trusted."""

import importlib
import os
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"  # REMOTE_ADDR of every request: the reverse proxy


def failed_login(client, email, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": "wrong-one"},
                       REMOTE_ADDR=PROXY, headers=headers)


def can_log_in(client, user, **headers) -> bool:
    from tests.conftest import PASSWORD

    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD},
                REMOTE_ADDR=PROXY, headers=headers)
    return "_auth_user_id" in client.session


@pytest.fixture
def ip_only_limit(settings):
    # Per IP only, so the test sees the IP bucket (the per-account one is tested elsewhere).
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}


def test_clients_behind_one_proxy_get_their_own_bucket(settings, ip_only_limit):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    alice, bob = UserFactory(), UserFactory()
    attacker, colleague = Client(), Client()
    for _ in range(3):
        failed_login(attacker, alice.email, x_forwarded_for="203.0.113.1")
    # The attacker is stopped, even with the right password ...
    assert not can_log_in(attacker, alice, x_forwarded_for="203.0.113.1")
    # ... and cannot escape by writing another address in front of the proxy's entry.
    assert not can_log_in(attacker, alice, x_forwarded_for="198.51.100.9, 203.0.113.1")
    # A colleague behind the same proxy is not.
    assert can_log_in(colleague, bob, x_forwarded_for="203.0.113.2")


def test_without_the_setting_the_forwarded_address_is_ignored(settings, ip_only_limit):
    """The default trusts no proxy: a client reaching gunicorn directly cannot pick its
    own bucket by sending X-Forwarded-For (and behind a proxy, all share one)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    alice, bob = UserFactory(), UserFactory()
    attacker = Client()
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        failed_login(attacker, alice.email, x_forwarded_for=address)
    assert not can_log_in(Client(), bob, x_forwarded_for="203.0.113.4")


def test_a_trusted_client_ip_header(settings, ip_only_limit):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    alice, bob = UserFactory(), UserFactory()
    for _ in range(3):
        failed_login(Client(), alice.email, x_real_ip="203.0.113.1")
    assert not can_log_in(Client(), alice, x_real_ip="203.0.113.1")
    assert can_log_in(Client(), bob, x_real_ip="203.0.113.2")
    # A sign-in that did not come through the proxy has no client address: refused.
    assert failed_login(Client(), bob.email).status_code == 403


def test_settings_come_from_the_environment():
    from portal.settings import base

    env = {"TRUSTED_PROXY_COUNT": "2", "TRUSTED_CLIENT_IP_HEADER": "CF-Connecting-IP"}
    with mock.patch.dict(os.environ, env):
        configured = importlib.reload(base)
        assert configured.ALLAUTH_TRUSTED_PROXY_COUNT == 2
        assert configured.ALLAUTH_TRUSTED_CLIENT_IP_HEADER == "CF-Connecting-IP"
    with mock.patch.dict(os.environ, {}, clear=False):
        os.environ.pop("TRUSTED_PROXY_COUNT", None)
        os.environ.pop("TRUSTED_CLIENT_IP_HEADER", None)
        default = importlib.reload(base)
        assert default.ALLAUTH_TRUSTED_PROXY_COUNT == 0
        assert default.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None
