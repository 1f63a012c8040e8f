from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ideas.models import Idea, Stage
from shared.workdays import working_days_between
from tests.ideas.factories import IdeaFactory, move

pytestmark = pytest.mark.django_db


def test_dashboard_is_for_programme_admins_only(client, employee, reviewer, champion):
    for person in (employee, reviewer, champion):
        client.force_login(person)
        assert client.get("/dashboard/").status_code == 403


def test_dashboard_figures_on_a_known_data_set(admin_client_, reviewer):
    decided = IdeaFactory.create_batch(4)
    for i, idea in enumerate(decided):
        Idea.objects.filter(pk=idea.pk).update(
            submitted_at=timezone.now() - timedelta(days=10 + i))
        idea.refresh_from_db()
        move(idea, "Triage", "Accepted" if i < 3 else "Declined", actor=reviewer)
    IdeaFactory()  # still waiting
    page = admin_client_.get("/dashboard/")
    assert page.status_code == 200
    ideas = page.context["ideas"]
    assert ideas["submitted"] == 5
    assert ideas["decided"] == 4
    assert ideas["acceptance_rate"] == 75
    today = timezone.localdate()
    waits = sorted(working_days_between(timezone.now() - timedelta(days=10 + i), today)
                   for i in range(4))
    assert ideas["median_working_days"] == waits[2]
    assert ideas["p90_working_days"] == waits[3]
    csv = admin_client_.get("/dashboard/?export=funnel").content.decode()
    assert "Accepted,3" in csv and "Declined,1" in csv


def test_time_to_first_decision_is_in_working_days_against_the_whole_review_target(
        admin_client_, settings):
    """Submitted and first decided on known days (no holidays): 1, 4, 10 and 15 working
    days (3, 4, 14 and 21 calendar days). The default pipeline's open stages (Submitted
    2, Triage 2, In review 10) give a first decision 14 working days."""
    settings.HOLIDAYS = []
    accepted = Stage.objects.get(name="Accepted")

    def at(day: str):
        return timezone.make_aware(datetime.fromisoformat(f"{day}T12:00"))

    for submitted, decided in [("2026-10-02", "2026-10-05"), ("2026-10-05", "2026-10-09"),
                               ("2026-10-05", "2026-10-19"), ("2026-10-01", "2026-10-22")]:
        idea = IdeaFactory()
        Idea.objects.filter(pk=idea.pk).update(stage=accepted, submitted_at=at(submitted),
                                               first_decided_at=at(decided),
                                               decided_at=at(decided))
    IdeaFactory()  # not decided yet: not counted
    page = admin_client_.get("/dashboard/?start=2026-09-01&end=2026-12-31")
    ideas = page.context["ideas"]
    assert (ideas["decided"], ideas["median_working_days"], ideas["p90_working_days"]) == (
        4, 10, 15)
    assert (ideas["target_working_days"], ideas["within_target"]) == (14, 75)
    html = page.content.decode()
    assert "10 working days" in html and "14 working days" in html and "75%" in html


def test_bad_filters_are_400(admin_client_):
    for query in ("start=yesterday", "department=abc", "department=999999", "export=nope"):
        assert admin_client_.get(f"/dashboard/?{query}").status_code == 400, query


def test_dashboard_queries_do_not_grow_with_ideas(admin_client_, reviewer):
    IdeaFactory.create_batch(2)
    admin_client_.get("/dashboard/")
    with CaptureQueriesContext(connection) as few:
        admin_client_.get("/dashboard/")
    for idea in IdeaFactory.create_batch(12):
        move(idea, "Triage", actor=reviewer)
    # The factory's new customer segments change a vocabulary, so what is kept per
    # process until then (ideas.selectors.stages) is read again once.
    admin_client_.get("/dashboard/")
    with CaptureQueriesContext(connection) as many:
        admin_client_.get("/dashboard/")
    assert len(many) == len(few)


def test_figures_are_reused_for_a_while_say_how_old_they_are_and_refresh_on_request(
        admin_client_, settings):
    settings.DASHBOARD_CACHE_SECONDS = 300
    IdeaFactory.create_batch(2)
    first = admin_client_.get("/dashboard/")
    assert first.context["ideas"]["submitted"] == 2
    assert "Figures as of" in first.content.decode()

    IdeaFactory()
    with CaptureQueriesContext(connection) as cached_queries:
        cached = admin_client_.get("/dashboard/")
    # The page and its CSV exports read the same figures until they are refreshed.
    assert cached.context["ideas"]["submitted"] == 2
    assert len(cached_queries) < 10
    assert admin_client_.get("/dashboard/?export=funnel").content.decode().count(",2") == 1

    refreshed = admin_client_.get("/dashboard/?refresh=1")
    assert refreshed.context["ideas"]["submitted"] == 3
    # Another period or department is its own set of figures.
    start = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert admin_client_.get(f"/dashboard/?start={start}").context["ideas"]["submitted"] == 3
    # Links on the page keep the filters but never re-trigger a refresh.
    assert "refresh=1&amp;refresh" not in refreshed.content.decode()
    assert "refresh=1&amp;export" not in refreshed.content.decode()


def test_months_without_ideas_show_as_zero_and_the_overdue_chart_has_a_table(admin_client_):
    from datetime import date

    IdeaFactory()
    today = timezone.localdate()
    start = date(today.year - 1, today.month, 1)
    page = admin_client_.get(f"/dashboard/?start={start.isoformat()}")

    months = page.context["ideas"]["per_month"]
    assert len(months) == 13
    assert [m["n"] for m in months] == [0] * 12 + [1]
    csv = admin_client_.get(f"/dashboard/?start={start.isoformat()}&export=ideas_per_month")
    assert f"{start:%Y-%m},0" in csv.content.decode()

    Idea.objects.update(stage_entered_at=timezone.now() - timedelta(days=60))
    page = admin_client_.get("/dashboard/").content.decode()
    assert page.count("<details>") == 3  # month, funnel and overdue charts each have a table
    assert "<polyline" in page  # ideas per month is a line; the stages a centred funnel


def test_the_funnel_centres_narrower_stages():
    from portal.dashboard import bar_chart

    wide, narrow = bar_chart([{"s": "Submitted", "n": 10}, {"s": "Accepted", "n": 4}],
                             label="s", value="n", funnel=True)["bars"]
    assert narrow["w"] < wide["w"]
    assert narrow["x"] - wide["x"] == (wide["w"] - narrow["w"]) // 2


def test_champion_and_newsletter_panels_on_a_known_data_set(admin_client_, programme_admin):
    from newsletter.models import Delivery, IssueRead, Send
    from people.models import Department
    from tests.champions.factories import TermFactory, days, published_issue
    from tests.factories import DepartmentFactory, UserFactory

    covered, uncovered = DepartmentFactory(name="Claims desk"), DepartmentFactory(name="Billing")
    TermFactory(department=covered, starts_on=days(-10), ends_on=days(300))
    issue = published_issue(owner=programme_admin, title="Customer life: autumn")
    send = Send.objects.create(issue=issue, status="done")
    readers = UserFactory.create_batch(4)
    for person, status in zip(readers, ["sent", "sent", "sent", "failed"], strict=True):
        Delivery.objects.create(send=send, issue=issue, recipient=person, email=person.email,
                                status=status)
    for person in readers[:2]:
        IssueRead.objects.create(issue=issue, user=person)

    page = admin_client_.get("/dashboard/")

    champions = page.context["champions"]
    assert champions["total"] == Department.objects.count()
    assert champions["covered"] == 1
    assert uncovered in champions["gaps"] and covered not in champions["gaps"]
    newsletter = page.context["newsletter"]
    assert newsletter["issues_sent"] == 1
    assert newsletter["deliveries"] == {"sent": 3, "failed": 1}
    assert [(i.title, i.read_count) for i in newsletter["issues"]] == [
        ("Customer life: autumn", 2)]
    html = " ".join(page.content.decode().split())
    assert "<dt>Issues sent</dt><dd>1</dd>" in html.replace("> <", "><")
    assert "<dt>E-mails delivered</dt><dd>3</dd>" in html.replace("> <", "><")
    assert "<dt>Delivery failures</dt><dd>1</dd>" in html.replace("> <", "><")


def test_dashboard_csv_neutralises_every_formula_start(admin_client_, reviewer):
    """The dashboard wrote its own copy of the CSV rule and missed tab and CR: a
    department named "\\t=cmd|..." reached a spreadsheet as a formula."""
    from tests.factories import DepartmentFactory

    for name in ("\t=1+1", "\r=2+2", "=3+3"):
        idea = IdeaFactory(department=DepartmentFactory(name=name))
        Idea.objects.filter(pk=idea.pk).update(
            stage_entered_at=timezone.now() - timedelta(days=60))
    raw = admin_client_.get("/dashboard/?export=overdue").content.decode()
    assert "'\t=1+1" in raw and "'\r=2+2" in raw and "'=3+3" in raw
    assert "\n\t=" not in raw and "\n\r=" not in raw


def test_one_csv_rule_for_every_export():
    from shared.spreadsheets import csv_cell

    assert [csv_cell(v) for v in ("=x", "+x", "-x", "@x", "\tx", "\rx", "plain")] == [
        "'=x", "'+x", "'-x", "'@x", "'\tx", "'\rx", "plain"]
    assert csv_cell(-5) == -5 and csv_cell(None) == ""
