"""Dates, durations and numbers in the reader's calendar and digits (shared.l10n):
Solar Hijri and Persian digits for Persian, the Buddhist era for Thai, Gregorian for
English; machine values (<time datetime>) stay ISO with ASCII digits."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from notifications.kinds import show_date, show_number
from shared import l10n
from tests.ideas.factories import IdeaFactory

ASCII_DIGIT = re.compile("[0-9]")
GREGORIAN_MONTHS = re.compile(
    "January|February|March|April|May|June|July|August|September|October|November|"
    "December|ژانویه|فوریه|مارس|آوریل|مه|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر")


def test_nowruz_is_the_first_of_farvardin_in_persian_digits():
    with translation.override("fa"):
        assert l10n.format_date(date(2026, 3, 21)) == "۱ فروردین ۱۴۰۵"
        assert l10n.format_date(date(2026, 3, 21), "short") == "۱۴۰۵/۰۱/۰۱"
        assert l10n.format_date(date(2026, 3, 20)) == "۲۹ اسفند ۱۴۰۴"
        assert l10n.format_month(date(2026, 3, 21)) == "فروردین ۱۴۰۵"


def test_thai_dates_are_in_the_buddhist_era():
    with translation.override("th"):
        assert l10n.format_date(date(2026, 3, 21)) == "21 มีนาคม 2569"
        assert l10n.format_date(date(2026, 12, 5), "short") == "5 ธ.ค. 2569"
        assert "2026" not in l10n.format_datetime(datetime(2026, 3, 21, 9, 5,
                                                           tzinfo=UTC))


def test_english_keeps_djangos_gregorian_formats():
    with translation.override("en"):
        assert l10n.format_date(date(2026, 3, 21)) == "March 21, 2026"
        assert l10n.format_month(date(2026, 3, 1)) == "Mar 2026"


def test_datetimes_are_shown_in_the_current_time_zone():
    moment = datetime(2026, 3, 20, 23, 30, tzinfo=UTC)
    with translation.override("fa"), timezone.override("Asia/Tehran"):
        # 03:00 on 21 March in Tehran: already the new year.
        assert l10n.format_datetime(moment) == "۱ فروردین ۱۴۰۵ ۰۳:۰۰"


def test_durations_use_one_kind_of_digit():
    start, end = date(2025, 4, 1), date(2026, 3, 10)
    with translation.override("fa"):
        text = l10n.format_duration(start, end)
        assert not ASCII_DIGIT.search(text)
        assert "۱۱" in text and "۱" in text and "، " in text
        zero = l10n.format_duration(end, end)
        assert zero.startswith("۰") and not ASCII_DIGIT.search(zero)
    with translation.override("en"):
        assert l10n.format_duration(start, end) == "11\xa0months, 1\xa0week"
        assert l10n.format_duration(end, end) == "0\xa0days"
        assert l10n.format_duration(end - timedelta(days=3), end) == "3\xa0days"


@pytest.mark.parametrize("lang, expected", [
    ("en", "1,234"), ("fa", "۱٬۲۳۴"), ("th", "1,234"),
])
def test_numbers_are_grouped_per_language(lang, expected):
    with translation.override(lang):
        assert l10n.format_number(1234) == expected


def test_number_decimals():
    with translation.override("fa"):
        assert l10n.format_number(1234.5) == "۱٬۲۳۴٫۵"
        assert l10n.format_number(66.666, 1) == "۶۶٫۷"
        assert l10n.format_number(None) == ""
    with translation.override("en"):
        assert l10n.format_number(1234567.25) == "1,234,567.25"
        assert l10n.format_number(50.0) == "50"


def test_machine_values_stay_iso_with_ascii_digits():
    template = Template('{% load l10n_dates %}<time datetime="{{ d|date:\'c\' }}">'
                        '{{ d|local_date }}</time> {{ n|local_number }} {{ n }}')
    with translation.override("fa"):
        out = template.render(Context({"d": date(2026, 3, 21), "n": 1234}))
    assert out == '<time datetime="2026-03-21">۱ فروردین ۱۴۰۵</time> ۱٬۲۳۴ 1234'


def test_notification_text_uses_the_readers_calendar():
    with translation.override("fa"):
        assert show_date("2026-03-21") == "۱ فروردین ۱۴۰۵"
        assert show_number(1500) == "۱٬۵۰۰"
    with translation.override("th"):
        assert show_date("2026-03-21") == "21 มีนาคม 2569"


def dates_on(page: str) -> list[str]:
    return re.findall(r"<time[^>]*>(.*?)</time>", page, flags=re.S)


@pytest.mark.django_db
def test_a_persian_idea_page_shows_solar_hijri_dates(employee_client, employee):
    idea = IdeaFactory(submitter=employee, title="Call back before noon")
    employee_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    page = employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    shown = dates_on(page)
    assert shown
    for text in shown:
        assert not ASCII_DIGIT.search(text), text
        assert not GREGORIAN_MONTHS.search(text), text
    # The machine values beside them stay ISO.
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}T', page)
    # The idea's number is an identifier: Persian digits, never grouped.
    assert f"{idea.pk}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page


@pytest.mark.django_db
def test_the_english_idea_page_is_unchanged(employee_client, employee):
    idea = IdeaFactory(submitter=employee, title="Call back before noon")
    page = employee_client.get(f"/ideas/{idea.pk}/").content.decode()
    expected = translation.override("en")
    with expected:
        from django.utils.formats import date_format
        want = date_format(timezone.localtime(idea.submitted_at), "DATE_FORMAT")
    assert want in dates_on(page)


def test_counts_in_plural_messages_show_the_readers_digits():
    template = Template("{% load i18n l10n_dates %}{% blocktranslate count n=c|local_count %}"
                        "{{ n }} idea{% plural %}{{ n }} ideas{% endblocktranslate %}")
    with translation.override("en"):
        assert template.render(Context({"c": 1})) == "1 idea"
        assert template.render(Context({"c": 1234})) == "1,234 ideas"
    with translation.override("fa"):
        shown = template.render(Context({"c": 1234}))
        assert "۱٬۲۳۴" in shown and not ASCII_DIGIT.search(shown)


def test_percentages():
    with translation.override("fa"):
        assert l10n.format_percent(45) == "۴۵٪"
        assert l10n.format_percent(66.666, 0) == "۶۷٪"
    with translation.override("en"):
        assert l10n.format_percent(45) == "45%"


@pytest.mark.django_db
def test_an_email_to_a_persian_reader_carries_a_solar_hijri_date():
    from notifications.services import notification_create, render_email
    from tests.factories import UserFactory

    persian = UserFactory(preferred_language="fa", email="navid@example.com")
    english = UserFactory(preferred_language="en", email="sam@example.com")
    rows = notification_create(recipients=[persian, english], verb="training.due",
                               params={"module": "Our customers", "due_on": "2026-03-21"})
    mails = {row.recipient.email: render_email(row) for row in rows}
    assert "۱ فروردین ۱۴۰۵" in mails["navid@example.com"].body
    assert "March 21, 2026" in mails["sam@example.com"].body


@pytest.mark.django_db
def test_the_persian_notifications_page_shows_solar_hijri_dates(client):
    from notifications.services import notification_create
    from tests.factories import UserFactory

    reader = UserFactory(preferred_language="fa")
    notification_create(recipients=[reader], verb="training.due",
                        params={"module": "Our customers", "due_on": "2026-03-21"})
    client.force_login(reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    page = client.get("/notifications/").content.decode()
    assert "۱ فروردین ۱۴۰۵" in page
    shown = dates_on(page)
    assert shown
    for text in shown:
        assert not ASCII_DIGIT.search(text), text
        assert not GREGORIAN_MONTHS.search(text), text


@pytest.mark.django_db
def test_the_header_counts_unread_notifications_in_persian_digits(client):
    from notifications.services import notification_create
    from tests.factories import UserFactory

    reader = UserFactory(preferred_language="fa")
    for _ in range(3):
        notification_create(recipients=[reader], verb="training.due",
                            params={"module": "Our customers", "due_on": "2026-03-21"})
    client.force_login(reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    assert '<span class="count">۳<' in client.get("/").content.decode()


def test_calendar_months_for_monthly_figures():
    """The dashboard counts per Gregorian month: Persian readers see that month in
    Persian with Persian digits and the Solar Hijri months it spans, Thai readers the
    Buddhist era."""
    with translation.override("fa"):
        assert l10n.format_calendar_month(date(2026, 3, 1)) == "مارس ۲۰۲۶ (اسفند–فروردین)"
    with translation.override("th"):
        assert l10n.format_calendar_month(date(2026, 3, 1)) == "มี.ค. 2569"
    with translation.override("en"):
        assert l10n.format_calendar_month(date(2026, 3, 1)) == "Mar 2026"


@pytest.mark.django_db
def test_dashboard_month_labels_in_the_readers_calendar(client, programme_admin):
    client.force_login(programme_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    page = client.get("/dashboard/", {"start": "2026-01-01", "end": "2026-03-31"})
    text = page.content.decode()
    assert "مارس ۲۰۲۶" in text
    assert "Mar 2026" not in text
