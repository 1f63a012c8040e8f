"""Query counts per delivery batch stay bounded: no per-recipient query storms."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsletter import services
from newsletter.models import Delivery
from people.models import User
from tests.champions.factories import InsightFactory
from tests.factories import UserFactory
from tests.ideas.factories import CustomerSegmentFactory

from .conftest import PERSIAN, THAI, make_issue, prepared_send, story

pytestmark = pytest.mark.django_db


def batch_queries(archive, admin, recipients: int, slug: str) -> tuple[int, list[str]]:
    UserFactory.create_batch(recipients - 1)  # plus the programme admin
    insight = InsightFactory(text=THAI, author=admin)
    segment = CustomerSegmentFactory(name=f"Segment for {slug}")
    issue = make_issue(archive, f"Issue {slug}", slug=slug, body=[
        story("Story", f"<p>{THAI}</p><p>{PERSIAN}</p>"),
        {"type": "insights", "value": {"heading": "Insights", "insights": [insight.pk]}},
        {"type": "you_said_we_did", "value": {"heading": "You said", "limit": 8,
                                              "include_declined": True}},
        {"type": "persona_spotlight", "value": {"persona": segment.pk, "text": ""}},
        {"type": "links", "value": {"heading": "Links", "links": [
            {"title": "Ideas", "url": "http://testserver/ideas/"}]}},
    ])
    send = prepared_send(issue, admin)
    assert send.deliveries.count() == recipients
    with CaptureQueriesContext(connection) as context:
        result = services.send_batch(send_id=send.pk)
    assert result["sent"] == recipients and not result["more"]
    return len(context.captured_queries), [q["sql"] for q in context.captured_queries]


@pytest.mark.parametrize("n", [5, 25])
def test_queries_per_batch_are_bounded(archive, programme_admin, mailoutbox, settings, n):
    settings.NEWSLETTER_BATCH_SIZE = 100
    count, sqls = batch_queries(archive, programme_admin, n, f"batch-{n}")
    assert len(mailoutbox) == n
    assert count <= 6 * n + 15, count
    # Recipients come with their delivery (select_related), never one by one: the only
    # user loaded on its own is the insight's author, once per batch.
    user_queries = [sql for sql in sqls if 'FROM "portal_user"' in sql]
    assert len(user_queries) <= 1, user_queries
    assert any('FROM "newsletter_delivery" INNER JOIN "portal_user"' in sql for sql in sqls)


def test_queries_grow_by_a_small_constant_per_delivery(archive, programme_admin, settings):
    settings.NEWSLETTER_BATCH_SIZE = 100
    small, _ = batch_queries(archive, programme_admin, 5, "small")
    User.objects.exclude(pk=programme_admin.pk).update(is_active=False)
    large, _ = batch_queries(archive, programme_admin, 25, "large")
    per_delivery = (large - small) / 20
    assert per_delivery <= 6, (small, large)


def publish_queries(archive, admin, slug) -> int:
    issue = make_issue(archive, f"Issue {slug}", slug=slug)
    with CaptureQueriesContext(connection) as context:
        issue.save_revision(user=admin).publish(user=admin)
    return len(context.captured_queries)


def test_publishing_work_does_not_depend_on_the_number_of_recipients(
        archive, programme_admin, mailoutbox):
    """The publishing request only records the send; the workers do the rest."""
    few = publish_queries(archive, programme_admin, "few")
    UserFactory.create_batch(40)
    many = publish_queries(archive, programme_admin, "many")
    assert abs(many - few) <= 3, (few, many)
    assert not Delivery.objects.exists() and mailoutbox == []
