"""Shared helpers for the newsletter tests.

Inside a test (one transaction that is rolled back) on_commit callbacks never run
unless captured, so `publish(issue, user)` starts a send (Send row, status "preparing")
without sending anything; tests then drive the steps themselves (send_prepare,
claim_batch, send_batch) in whatever order they need. `publish(..., run=True)` runs the
whole send the way production does after the commit (Celery runs eagerly in tests)."""

import pytest
from django.utils.text import slugify

from newsletter import services
from newsletter.models import NewsletterArchivePage, NewsletterIssuePage, Send
from people.models import User

THAI = "ลูกค้ารอสายนานเกินไปเมื่อโทรแจ้งเคลม"
LAO = "ລູກຄ້າຢາກໄດ້ຄຳຕອບໄວ"
KHMER = "អតិថិជនចង់បានចម្លើយលឿន"
PERSIAN = "مشتری گفت وقتی یک نفر پرونده‌اش را پیگیری کرد، احساس کرد کسی حرفش را می‌فهمد."


def story(heading: str, html: str) -> dict:
    return {"type": "story", "value": {"heading": heading, "text": html}}


@pytest.fixture
def archive(db) -> NewsletterArchivePage:
    return NewsletterArchivePage.objects.get()


def make_issue(archive, title="Customer life: November", *, slug=None, intro="",
               body=None) -> NewsletterIssuePage:
    """A draft issue (not live, never published)."""
    return archive.add_child(instance=NewsletterIssuePage(
        title=title, slug=slug or slugify(title) or "issue", intro=intro, body=body or [],
        live=False))


def publish(issue, user, *, run=False, capture=None):
    """Publish the latest draft as `user`. With run=True pass
    django_capture_on_commit_callbacks as capture: the send then runs to the end."""
    if run:
        with capture(execute=True):
            issue.save_revision(user=user).publish(user=user)
    else:
        issue.save_revision(user=user).publish(user=user)
    issue.refresh_from_db()
    return Send.objects.filter(issue=issue).first()


def prepared_send(issue, user) -> Send:
    """Publish and freeze the recipient list, without sending anything yet."""
    send = publish(issue, user)
    services.send_prepare(send_id=send.pk)
    send.refresh_from_db()
    return send


def active_emails() -> set[str]:
    return set(User.objects.filter(is_active=True).values_list("email", flat=True))


def recipients_of(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)
