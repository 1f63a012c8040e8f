"""Unsubscribing by signed link (no login, RFC 8058 one-click) and from the profile."""

import pytest
from django.core import signing
from django.test import Client

from newsletter.emails import unsubscribe_token, unsubscribe_url
from newsletter.models import Unsubscription
from tests.factories import UserFactory

from .conftest import make_issue, publish

pytestmark = pytest.mark.django_db


def path_for(user) -> str:
    return unsubscribe_url(user).removeprefix("http://testserver")


def test_valid_link_confirms_on_get_and_unsubscribes_on_post_without_login(employee):
    anonymous = Client(enforce_csrf_checks=True)
    path = path_for(employee)
    page = anonymous.get(path)
    assert page.status_code == 200
    assert employee.email in page.text
    assert not Unsubscription.objects.exists()  # a GET (link scanner) changes nothing
    response = anonymous.post(path)
    assert response.status_code == 200
    assert Unsubscription.objects.filter(user=employee).exists()
    assert anonymous.post(path).status_code == 200  # twice is fine


def test_one_click_post_from_a_mail_client(employee):
    response = Client(enforce_csrf_checks=True).post(
        path_for(employee), data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Unsubscription.objects.filter(user=employee).exists()


def tampered_tokens(user, other):
    token = unsubscribe_token(user)
    payload, _, signature = token.rpartition(":")
    forged_payload = unsubscribe_token(other).rpartition(":")[0]
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    return [
        f"{forged_payload}:{signature}",  # someone else's id with my signature
        f"{payload}:{flipped}",  # a damaged signature
        token[:-3] + "xyz",
        signing.dumps({"u": other.pk}),  # signed, but not for unsubscribing
        signing.dumps({"u": other.pk}, salt="newsletter.unsubscribe", key="x" * 50),
        signing.dumps(other.pk, salt="newsletter.unsubscribe"),  # not the expected shape
        "not-a-token",
    ]


def test_tampered_tokens_are_refused(employee):
    victim = UserFactory()
    client = Client()
    for token in tampered_tokens(employee, victim):
        for method in (client.get, client.post):
            response = method(f"/subscriptions/unsubscribe/{token}/")
            assert response.status_code in (400, 404), token
    # A valid-looking token for someone else only works with their own signature.
    valid_shape = signing.dumps({"u": victim.pk}, salt="newsletter.unsubscribe")
    assert client.post(f"/subscriptions/unsubscribe/{valid_shape}/").status_code == 200
    assert list(Unsubscription.objects.values_list("user", flat=True)) == [victim.pk]


def test_token_for_a_deleted_person_is_refused(employee):
    path = path_for(employee)
    employee.delete()
    assert Client().post(path).status_code == 400


def test_unsubscribed_person_gets_no_issue_and_resubscribing_restores_it(
        archive, programme_admin, employee, mailoutbox, django_capture_on_commit_callbacks):
    Client().post(path_for(employee))
    publish(make_issue(archive, "First"), programme_admin, run=True,
            capture=django_capture_on_commit_callbacks)
    assert employee.email not in [m.to[0] for m in mailoutbox]
    client = Client()
    client.force_login(employee)
    page = client.get("/subscriptions/")
    assert page.status_code == 200 and page.context["subscribed"] is False
    assert client.post("/subscriptions/", {"subscribe": "1"}).status_code == 302
    assert not Unsubscription.objects.filter(user=employee).exists()
    publish(make_issue(archive, "Second"), programme_admin, run=True,
            capture=django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mailoutbox].count(employee.email) == 1
    # And off again from the profile.
    assert client.post("/subscriptions/", {"subscribe": "0"}).status_code == 302
    assert Unsubscription.objects.filter(user=employee).exists()


def test_subscription_page_needs_login():
    response = Client().get("/subscriptions/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
