"""seed_demo adds champions content, and running it twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from champions import selectors
from champions.demo import seed_champions
from champions.models import Insight, Nomination, TaggedInsight, Term
from notifications.models import Notification
from people.models import User
from shared import demo

from .factories import as_user, days

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "terms": list(Term.objects.order_by("pk").values_list(
            "person__email", "department__name", "starts_on", "ends_on", "ended_on")),
        "nominations": list(Nomination.objects.order_by("pk").values_list(
            "nominee__email", "department__name", "status", "decision_reason")),
        "insights": list(Insight.objects.order_by("pk").values_list(
            "author__email", "text", "sentiment", "idea_id", "created_at")),
        "tags": TaggedInsight.objects.count(),
        "users": User.objects.count(),
        "champions": sorted(User.objects.filter(groups__name="Champion")
                            .values_list("email", flat=True)),
        "notifications": Notification.objects.count(),
        "log": ModelLogEntry.objects.count(),
    }


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_twice_changes_nothing():
    assert seed_champions in demo.LATE_SEEDERS
    seed()
    first = snapshot()
    assert first["terms"] and first["nominations"] and first["insights"]
    seed()
    assert snapshot() == first
    assert seed_champions() == 0


def test_demo_content_tells_the_champions_story():
    seed()
    active = Term.objects.active()
    champion = User.objects.get(email="champion@example.com")
    assert active.filter(person=champion, department__name="Engineering").exists()
    assert champion.groups.filter(name="Champion").exists()
    past = Term.objects.get(person__email="reviewer@example.com")
    assert past.ended_on is not None and past.ended_on < days(0)
    assert active.filter(ends_on__lte=days(30)).count() == 1
    statuses = sorted(Nomination.objects.values_list("status", flat=True))
    assert statuses == ["declined", "open"]
    assert Nomination.objects.get(status="declined").decision_reason
    insights = list(Insight.objects.all())
    assert len(insights) >= 8
    texts = " ".join(i.text for i in insights)
    assert "ลูกค้า" in texts and "مشتری" in texts and "customer" in texts
    assert {i.sentiment for i in insights} == {"positive", "neutral", "negative"}
    assert all(i.customer_segment_id and i.channel_id for i in insights)
    assert Insight.objects.filter(idea__isnull=False).exists()
    cover = selectors.coverage()
    assert cover["gaps"] and 0 < cover["covered"] < cover["total"]


def test_demo_pages_render():
    seed()
    admin = User.objects.get(email="admin@example.com")
    champion = User.objects.get(email="champion@example.com")
    client = as_user(admin)
    for url in ["/champions/", "/champions/?status=all", "/champions/coverage/",
                "/champions/insights/", "/champions/nominations/",
                "/champions/nominations/?status=declined",
                f"/champions/people/{champion.pk}/",
                f"/champions/meeting/{champion.department_id}/"]:
        assert client.get(url).status_code == 200, url
