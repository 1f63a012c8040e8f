"""Parameters the champions views read are parsed by form fields: a bad value is refused
with a clear message (400) and changes nothing; it is never guessed at."""

import pytest
from wagtail.models import ModelLogEntry

from champions.models import Nomination, Term
from notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory

from .factories import NominationFactory, TermFactory, as_user, days

pytestmark = pytest.mark.django_db


def state():
    return (list(Nomination.objects.values_list("pk", "status", "decided_at", "term_id",
                                                "decision_reason")),
            list(Term.objects.values_list("pk", "ends_on", "ended_on", "ended_reason")),
            Notification.objects.count(), ModelLogEntry.objects.count())


@pytest.fixture
def nomination(db):
    return NominationFactory(nominee=UserFactory(display_name="Kanya Colleague"),
                             department=DepartmentFactory(name="Claims"))


# --- decision (POST /champions/nominations/<id>/decide/) ---------------------------------

@pytest.mark.parametrize("decision", ["", "bogus", "APPROVE", "approve ", "1"])
def test_an_unknown_decision_is_refused_and_decides_nothing(programme_admin, nomination,
                                                            decision):
    before = state()
    response = as_user(programme_admin).post(
        f"/champions/nominations/{nomination.pk}/decide/",
        {"decision": decision, "reason": "Claims already has two"})
    assert response.status_code == 400
    page = response.content.decode()
    assert ("Select a valid choice" in page) or ("This field is required" in page)
    assert state() == before
    nomination.refresh_from_db()
    assert nomination.status == "open"


def test_a_missing_decision_is_refused_not_taken_as_decline(programme_admin, nomination):
    before = state()
    response = as_user(programme_admin).post(
        f"/champions/nominations/{nomination.pk}/decide/", {"reason": "Claims has two"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert state() == before


def test_a_too_long_decision_reason_is_refused(programme_admin, nomination):
    before = state()
    response = as_user(programme_admin).post(
        f"/champions/nominations/{nomination.pk}/decide/",
        {"decision": "decline", "reason": "x" * 2001})
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert state() == before


def test_deciding_still_needs_the_permission_whatever_the_input(employee, nomination):
    response = as_user(employee).post(f"/champions/nominations/{nomination.pk}/decide/",
                                      {"decision": "bogus"})
    assert response.status_code == 403


# --- status (GET /champions/nominations/) --------------------------------------------------

def test_nominations_status_filters_through_its_form(programme_admin, nomination):
    NominationFactory(nominee=UserFactory(display_name="Dara Declined"),
                      status=Nomination.Status.DECLINED)
    client = as_user(programme_admin)
    page = client.get("/champions/nominations/").content.decode()
    assert "Kanya Colleague" in page and "Dara Declined" not in page
    page = client.get("/champions/nominations/?status=declined").content.decode()
    assert "Kanya Colleague" not in page and "Dara Declined" in page


def test_an_unknown_nominations_status_says_so_and_lists_all(programme_admin, nomination):
    NominationFactory(nominee=UserFactory(display_name="Dara Declined"),
                      status=Nomination.Status.DECLINED)
    response = as_user(programme_admin).get("/champions/nominations/?status=x")
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Kanya Colleague" in page and "Dara Declined" in page


# --- action and reason (POST /champions/terms/<id>/) ---------------------------------------

@pytest.fixture
def term(db):
    return TermFactory(person=UserFactory(display_name="Pim Champion"),
                       starts_on=days(-30), ends_on=days(300))


@pytest.mark.parametrize("action", ["", "bogus", "RENEW", "delete"])
def test_an_unknown_term_action_is_refused_and_changes_nothing(programme_admin, term, action):
    before = state()
    response = as_user(programme_admin).post(f"/champions/terms/{term.pk}/",
                                             {"action": action})
    assert response.status_code == 400
    page = response.content.decode()
    assert ("Select a valid choice" in page) or ("This field is required" in page)
    assert state() == before


def test_a_too_long_end_reason_is_refused_not_cut(programme_admin, term):
    before = state()
    response = as_user(programme_admin).post(f"/champions/terms/{term.pk}/",
                                             {"action": "end", "reason": "x" * 301})
    assert response.status_code == 400
    assert "at most 300 characters" in response.content.decode()
    assert state() == before
    term.refresh_from_db()
    assert term.ended_on is None


def test_a_bad_term_action_from_a_stranger_is_forbidden(employee, term):
    before = state()
    assert as_user(employee).post(f"/champions/terms/{term.pk}/",
                                  {"action": "bogus"}).status_code == 403
    assert state() == before
