"""The bad input an outside audit found (issue 12, items 7 and 8), one test each: every
one gave a server error or stored something broken. The fuzz tests next door
(test_fuzz_inputs.py) look for more of the same kind; these pin the known cases."""

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ideas.models import Idea
from notifications.models import Notification
from people import roles
from people.models import User
from shared.parsing import MAX_ID, IdConverter, parse_id, to_id
from tests.factories import UserFactory
from tests.ideas.factories import IdeaFactory
from training.models import Enrolment

pytestmark = pytest.mark.django_db

HUGE = "9" * 25  # beyond 64 bits: the database driver cannot even bind it
JUST_OVER = str(MAX_ID + 1)


def as_user(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def admin(db):
    return UserFactory(display_name="Ada Admin", roles=[roles.PROGRAMME_ADMIN, roles.REVIEWER])


@pytest.fixture
def champion_user(db):
    return UserFactory(display_name="Chai Champion", roles=[roles.CHAMPION])


# --- the shared parser -------------------------------------------------------------------

@pytest.mark.parametrize("value", ["1", "42", "007", " 42 ", str(MAX_ID), "۴۲", "๔๒", 42])
def test_ids_in_any_decimal_script_within_64_bits_are_read(value):
    assert to_id(value) == (MAX_ID if value == str(MAX_ID) else 7 if value == "007"
                            else 1 if value == "1" else 42)


@pytest.mark.parametrize("value", ["", " ", "0", "-1", "+1", "1.0", "1e3", "0x10", "²", "①",
                                   "½", "1 2", "a", "\x00", "1\x00", JUST_OVER, HUGE,
                                   "9" * 5000, True, None, -5, 2**64])
def test_anything_else_is_no_id(value):
    assert parse_id(value) is None


def test_the_id_path_converter_refuses_what_the_parser_refuses():
    converter = IdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    for value in ["0", JUST_OVER, "99999999999999999999"]:
        with pytest.raises(ValueError):
            converter.to_python(value)


OUR_PACKAGES = {"portal", "people", "notifications", "shared", "ideas", "champions", "training",
                "newsletter"}


def our_patterns(resolver=None, prefix=""):
    """Every URL pattern whose view lives in the intranet's own packages."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from our_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "") or ""
            if module.split(".")[0] in OUR_PACKAGES:
                yield prefix + str(entry.pattern), entry


def test_no_url_of_ours_takes_an_unbounded_int():
    """`<int:pk>` matches any number of digits, and a 25-digit id reached the database;
    `<id:pk>` (shared.parsing.IdConverter) matches only 64-bit ids."""
    from django.urls.converters import IntConverter

    patterns = list(our_patterns())
    assert any("newsletter-test-send" in route for route, _ in patterns)
    unbounded = [route for route, p in patterns
                 if any(isinstance(c, IntConverter) for c in p.pattern.converters.values())]
    assert not unbounded


# --- item 7: the 500s ------------------------------------------------------------------

@pytest.mark.parametrize("value", ["%C2%B2", HUGE, JUST_OVER])
def test_onboarding_report_with_a_bad_department_is_400(admin, value):
    response = as_user(admin).get(f"/onboarding/report/?department={value}")
    assert response.status_code == 400
    assert "Unknown department." in response.content.decode()


@pytest.mark.parametrize("value", ["%C2%B2", HUGE])
def test_decided_idea_chooser_ignores_ids_that_are_no_ids(champion_user, value):
    client = as_user(champion_user)
    response = client.get(f"/admin/ideas/choose-decided/chosen-multiple/?id={value}")
    assert response.status_code == 200
    response = client.get(f"/admin/ideas/choose-decided/chosen/{value}/")
    assert response.status_code == 404


@pytest.mark.parametrize("field", ["ideas", "assignee"])
def test_bulk_assign_with_a_huge_id_changes_nothing(admin, field):
    idea = IdeaFactory()
    data = {"ideas": [str(idea.pk)], "assignee": str(admin.pk), field: HUGE}
    response = as_user(admin).post("/ideas/queue/", data)
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).assignee_id is None


@pytest.mark.parametrize("field", ["users", "path", "module"])
def test_enrolment_with_a_huge_id_is_refused(admin, field):
    data = {"users": [str(admin.pk)], "path": "", "module": "", field: HUGE}
    response = as_user(admin).post("/onboarding/enrol/", data)
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("value", [HUGE, "%C2%B2", "²", "-1"])
def test_marking_a_bad_notification_id_read_marks_nothing(employee, value):
    Notification.objects.create(recipient=employee, verb="tests.message",
                                params={"title": "Hello"})
    response = as_user(employee).post("/notifications/read/", {"id": value})
    assert response.status_code == 400
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


@pytest.mark.parametrize("url", [
    f"/onboarding/modules/{HUGE}/quiz/", f"/onboarding/modules/{JUST_OVER}/quiz/",
    f"/onboarding/paths/{HUGE}/certificate/", f"/admin/newsletter-test-send/{HUGE}/",
    f"/admin/newsletter-sends/{HUGE}/", f"/ideas/{HUGE}/", f"/champions/meeting/{HUGE}/",
    "/ideas/0/",
])
def test_huge_ids_in_urls_are_404(admin, url):
    assert as_user(admin).get(url).status_code == 404


def test_dashboard_refuses_a_period_of_ten_thousand_years(admin):
    response = as_user(admin).get("/dashboard/?start=0001-01-01&end=9999-12-31")
    assert response.status_code == 400
    assert "at most 5 years" in response.content.decode()


def test_dashboard_refuses_a_long_period_before_building_it(admin):
    """end=9999-11-30 did not overflow: it built 120,000 months (26 MB, 25 s)."""
    response = as_user(admin).get("/dashboard/?start=0001-01-01&end=9999-11-30")
    assert response.status_code == 400 and len(response.content) < 1000


def test_dashboard_refuses_a_reversed_period(admin):
    response = as_user(admin).get("/dashboard/?start=2026-05-01&end=2026-04-01")
    assert response.status_code == 400
    assert "end date is before the start date" in response.content.decode()


def test_dashboard_shows_the_last_months_of_the_calendar(admin):
    """A period that ends in December 9999 stops there (it used to step into year
    10000)."""
    response = as_user(admin).get("/dashboard/?start=9999-06-01&end=9999-12-31")
    assert response.status_code == 200
    months = [r["month"] for r in response.context["ideas"]["per_month"]]
    assert months[0] == date(9999, 6, 1) and months[-1] == date(9999, 12, 1)


# --- item 8: an address longer than the database keeps -----------------------------------

SIGNUP = {"password1": "a-long-passphrase-2026", "password2": "a-long-passphrase-2026"}


@pytest.mark.parametrize("length", [255, 300])
def test_signup_refuses_an_address_longer_than_254_characters(client, length):
    email = "a" * (length - len("@example.com")) + "@example.com"
    response = client.post(reverse("account_signup"), {"email": email, **SIGNUP})
    assert response.status_code == 200  # the form again, with the message
    assert "at most 254 characters" in response.content.decode()
    assert not User.objects.exists()
    assert not mail.outbox


def test_signup_accepts_an_address_of_254_characters(client):
    email = ("a" * 60 + ".") * 3 + "b" * (254 - 183 - len("@example.com")) + "@example.com"
    assert len(email) == 254
    response = client.post(reverse("account_signup"), {"email": email, **SIGNUP})
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == email
    assert user.emailaddress_set.get().email == email
