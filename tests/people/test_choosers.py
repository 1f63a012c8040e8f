"""Choosing people by searching, not from a list of every employee: the suggestions
endpoint and the fields that take an e-mail address (nominations, hand-over, enrolment).
"""

import pytest
from django.test import Client

from champions.models import Nomination
from tests.champions.factories import as_user
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

SEARCH = "/people/search/"


def suggestions(client, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_signed_out_visitors_get_no_suggestions(client):
    UserFactory(display_name="Kanya Colleague")
    response = Client().get(SEARCH, {"q": "Kanya"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_suggestions_match_a_name_or_address_and_leave_out_inactive_people(employee):
    sales = DepartmentFactory(name="Sales")
    kanya = UserFactory(display_name="Kanya Colleague", department=sales)
    UserFactory(display_name="Kanya Gone", is_active=False)
    UserFactory(display_name="Somchai Other")
    found = suggestions(as_user(employee), "kanya")
    assert found == [{"value": kanya.email, "name": "Kanya Colleague",
                      "detail": f"{kanya.email} · Sales"}]
    assert [p["value"] for p in suggestions(as_user(employee), kanya.email)] == [kanya.email]


@pytest.mark.parametrize("q", ["", "k", "x" * 101, "\x00\x00", "<script>"])
def test_short_long_or_odd_text_gets_no_suggestions_and_no_error(employee, q):
    UserFactory(display_name="Kanya Colleague")
    assert suggestions(as_user(employee), q) == []


def test_suggestions_are_few_and_cost_one_query(employee, django_assert_num_queries):
    UserFactory.create_batch(15, display_name="Kanya Person")
    client = as_user(employee)
    client.get("/")  # the session and user are loaded once per request either way
    with django_assert_num_queries(3):  # session, user, the search
        assert len(suggestions(client, "kanya")) == 10


# --- the fields ----------------------------------------------------------------------


def test_a_nomination_names_the_person_by_address_in_any_case(employee):
    claims = DepartmentFactory(name="Claims")
    kanya = UserFactory(display_name="Kanya Colleague", email="kanya@example.com")
    response = as_user(employee).post("/champions/nominate/", {
        "nominee": "  KANYA@Example.com ", "department": claims.pk,
        "reason": "Talks to customers every day"})
    assert response.status_code == 302
    assert Nomination.objects.get().nominee == kanya


@pytest.mark.parametrize("nominee", [
    "nobody@example.com", "<b>x</b>@example.com", "a@" + "x" * 300, "ab\x00@example.com"])
def test_an_unknown_address_is_refused_with_a_message_and_nothing_changes(employee, nominee):
    claims = DepartmentFactory(name="Claims")
    UserFactory(is_active=False, email="nobody@example.com")
    response = as_user(employee).post("/champions/nominate/", {
        "nominee": nominee, "department": claims.pk, "reason": "Talks to customers"})
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "<b>x</b>" not in page
    assert ("Nobody active here has the e-mail address" in page
            or "at most 254 characters" in page or "Null characters" in page)
    assert not Nomination.objects.exists()


def test_the_form_keeps_what_was_typed_and_shows_a_chosen_person_by_address(employee):
    kanya = UserFactory(email="kanya@example.com")
    page = as_user(employee).post("/champions/nominate/", {
        "nominee": kanya.pk, "reason": ""}).content.decode()
    assert 'value="kanya@example.com"' in page and "data-person-search" in page
