"""Terms over time: the daily job (run with explicit dates, never by sleeping) reminds
once, ends expired terms and keeps the Champion role in step; renewals, early ends and
handovers; past terms stay visible."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format

from champions import services, tasks
from champions.models import Nomination, Term
from notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory

from .factories import as_user, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(db):
    return DepartmentFactory(name="Claims")


@pytest.fixture
def person(claims):
    return UserFactory(display_name="Pim Champion", department=claims)


def start(person, department, admin, starts_in, ends_in):
    return services.term_start(person=person, department=department, actor=admin,
                               starts_on=days(starts_in), ends_on=days(ends_in))


def in_champion_role(user) -> bool:
    return user.groups.filter(name="Champion").exists()


def reminders():
    return Notification.objects.filter(verb="champions.term_ending")


def test_reminder_30_days_before_the_end_is_sent_exactly_once(
        person, claims, programme_admin, django_capture_on_commit_callbacks):
    term = start(person, claims, programme_admin, -335, 30)
    later = start(UserFactory(), claims, programme_admin, -334, 31)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.term_run_daily(today=days(0)) == {"ended": 0, "reminded": 1}
        assert services.term_run_daily(today=days(0)) == {"ended": 0, "reminded": 0}
    assert set(reminders().values_list("recipient", flat=True)) == {person.pk,
                                                                    programme_admin.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([person.email,
                                                           programme_admin.email])
    # The date is written the reader's way (English here).
    assert date_format(term.ends_on, "DATE_FORMAT") in mail.outbox[0].subject
    # Recorded by the notifications themselves (the one reminder mechanism).
    assert set(reminders().values_list("once_key", flat=True)) == {
        services.term_ending_key(term)}
    # The term ending in 31 days is reminded the next day, once.
    assert services.term_run_daily(today=days(1))["reminded"] == 1
    assert services.term_run_daily(today=days(2))["reminded"] == 0
    assert reminders().filter(params__ends_on=later.ends_on.isoformat()).count() == 2
    assert reminders().count() == 4


def test_one_ending_soon_window_for_the_coverage_page_and_the_reminders(
        claims, programme_admin):
    from champions import selectors

    window = Term.ENDING_SOON_DAYS
    assert window == 30
    start(UserFactory(), claims, programme_admin, -300, window)
    later = DepartmentFactory(name="Later")
    start(UserFactory(), later, programme_admin, -300, window + 1)
    rows = {d.name: d.ending_soon for d in selectors.coverage(today=days(0))["departments"]}
    assert (rows["Claims"], rows["Later"]) == (1, 0)
    assert services.term_run_daily(today=days(0)) == {"ended": 0, "reminded": 1}
    assert reminders().filter(params__department="Claims").exists()
    assert not reminders().filter(params__department="Later").exists()


def test_the_daily_job_is_two_services(person, claims, programme_admin):
    start(person, claims, programme_admin, -300, 10)
    assert services.term_end_expired(today=days(11)) == 1
    assert services.term_remind_ending(today=days(11)) == 0
    assert not in_champion_role(person)


def test_expired_terms_end_and_the_champion_role_goes(person, claims, programme_admin):
    term = start(person, claims, programme_admin, -300, 10)
    assert in_champion_role(person)
    assert services.term_run_daily(today=days(10))["ended"] == 0
    assert in_champion_role(person)
    assert services.term_run_daily(today=days(11))["ended"] == 1
    term.refresh_from_db()
    assert (term.ended_on, term.ended_reason) == (days(10), "Term expired")
    assert not in_champion_role(person)
    assert services.term_run_daily(today=days(11)) == {"ended": 0, "reminded": 0}
    assert Term.objects.count() == 1


def test_a_renewed_champion_keeps_the_role(person, claims, programme_admin):
    term = start(person, claims, programme_admin, -300, 10)
    renewal = services.term_renew(term=term, actor=programme_admin)
    assert (renewal.starts_on, renewal.renewed_from) == (days(11), term)
    # A renewed term needs no "your term ends" reminder.
    assert services.term_run_daily(today=days(0))["reminded"] == 0
    assert services.term_run_daily(today=days(11))["ended"] == 1
    term.refresh_from_db()
    assert (term.ended_on, term.ended_reason) == (days(10), "Renewed")
    assert in_champion_role(person)
    renewal.refresh_from_db()
    assert renewal.ended_on is None


def test_renewing_twice_is_refused(person, claims, programme_admin):
    term = start(person, claims, programme_admin, -300, 10)
    services.term_renew(term=term, actor=programme_admin)
    with pytest.raises(ValidationError, match="already has a term"):
        services.term_renew(term=term, actor=programme_admin)
    assert Term.objects.count() == 2


def test_a_term_starting_later_gives_the_role_on_its_first_day(person, claims,
                                                               programme_admin):
    start(person, claims, programme_admin, 5, 370)
    assert not in_champion_role(person)
    services.term_run_daily(today=days(4))
    assert not in_champion_role(person)
    services.term_run_daily(today=days(5))
    assert in_champion_role(person)


def test_past_terms_remain_visible_on_profile_and_roster(person, claims, programme_admin,
                                                         employee):
    start(person, claims, programme_admin, -300, 10)
    services.term_run_daily(today=days(11))
    client = as_user(employee)
    profile = client.get(f"/champions/people/{person.pk}/").content.decode()
    assert "Term expired" in profile and "Claims" in profile
    assert "Pim Champion" not in client.get("/champions/").content.decode()
    assert "Pim Champion" in client.get("/champions/?status=past").content.decode()


def test_the_celery_task_runs_the_daily_job(person, claims, programme_admin):
    term = start(person, claims, programme_admin, -400, -1)
    assert settings.CELERY_BEAT_SCHEDULE["champions-terms-daily"]["task"] == (
        "champions.daily_terms")
    assert tasks.daily_terms.delay().get() == {"ended": 1, "reminded": 0}
    term.refresh_from_db()
    assert term.ended_on == days(-1)


def test_renew_and_end_from_the_profile_need_the_right_person(person, claims,
                                                              programme_admin, employee):
    term = start(person, claims, programme_admin, -30, 300)
    url = f"/champions/terms/{term.pk}/"
    assert as_user(employee).post(url, {"action": "renew"}).status_code == 403
    assert as_user(employee).post(url, {"action": "end"}).status_code == 403
    assert as_user(person).post(url, {"action": "renew"}).status_code == 403
    assert Term.objects.count() == 1
    assert as_user(programme_admin).post(url, {"action": "renew"}).status_code == 302
    assert Term.objects.get(renewed_from=term).starts_on == days(301)
    # The champion may step down early.
    assert as_user(person).post(url, {"action": "end", "reason": "New job"}).status_code == 302
    term.refresh_from_db()
    assert (term.ended_on, term.ended_reason) == (days(0), "New job")


def test_handover_ends_the_term_and_nominates_the_successor(
        person, claims, programme_admin, django_capture_on_commit_callbacks):
    term = start(person, claims, programme_admin, -100, 265)
    successor = UserFactory(display_name="Sam Successor")
    note = "Call Mrs Rahimi back on Friday; the callback pilot is half done."
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(person).post(f"/champions/terms/{term.pk}/handover/",
                                        {"successor": successor.pk, "note": note})
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.ended_on, term.successor, term.handover_note) == (days(0), successor, note)
    assert "Sam Successor" in term.ended_reason
    assert not in_champion_role(person)
    nomination = Nomination.objects.get()
    assert (nomination.nominee, nomination.nominator, nomination.department,
            nomination.status, nomination.reason) == (successor, person, claims, "open", note)
    assert programme_admin.email in [m.to[0] for m in mail.outbox]
    profile = as_user(person).get(f"/champions/people/{person.pk}/").content.decode()
    assert "Call Mrs Rahimi back on Friday" in profile


def test_handover_refusals(person, claims, programme_admin, employee):
    term = start(person, claims, programme_admin, -100, 265)
    url = f"/champions/terms/{term.pk}/handover/"
    assert as_user(employee).get(url).status_code == 403
    assert as_user(employee).post(url, {"successor": employee.pk,
                                        "note": "Me next"}).status_code == 403
    client = as_user(person)
    assert client.post(url, {"successor": employee.pk, "note": " "}).status_code == 400
    response = client.post(url, {"successor": person.pk, "note": "To myself"})
    assert response.status_code == 400
    assert "Choose someone else" in response.content.decode()
    term.refresh_from_db()
    assert term.ended_on is None and not Nomination.objects.exists()
    # `term` is now stale, as in a second request that loaded it before the first ended it.
    services.term_end(term=term, actor=person, reason="Stepped down")
    with pytest.raises(ValidationError, match="Only an active term"):
        services.term_handover(term=term, actor=person, successor=employee, note="Late")
    assert not Nomination.objects.exists()
    with pytest.raises(PermissionDenied):
        services.term_end(term=start(person, DepartmentFactory(name="Sales"),
                                     programme_admin, 0, 30),
                          actor=employee, reason="Not mine")
