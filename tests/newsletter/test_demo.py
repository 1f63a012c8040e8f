"""seed_demo adds two published issues (one sent, one paused) and a draft; running it
twice changes nothing and sends nothing more."""

import io

import pytest
from django.core.management import call_command

from champions.demo import seed_champions
from ideas.demo import seed_ideas
from newsletter.demo import DRAFT, PAUSED, PAUSED_AFTER, SENT, seed_newsletter
from newsletter.models import (
    Delivery,
    IssueRead,
    NewsletterIssuePage,
    Send,
)
from people import demo as people_demo
from people.models import User
from shared import demo

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "issues": list(NewsletterIssuePage.objects.order_by("pk").values_list(
            "slug", "live", "first_published_at", "search_text")),
        "revisions": sum(p.revisions.count() for p in NewsletterIssuePage.objects.all()),
        "sends": list(Send.objects.order_by("pk").values_list(
            "issue__slug", "status", "finished_at")),
        "deliveries": list(Delivery.objects.order_by("pk").values_list(
            "issue__slug", "email", "status", "attempts", "sent_at")),
        "reads": IssueRead.objects.count(),
    }


def seed(capture):
    with capture(execute=True):  # the tasks queued on commit run too
        call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_twice_changes_nothing(mailoutbox, django_capture_on_commit_callbacks):
    assert seed_newsletter in demo.LATE_SEEDERS
    # After the seeders whose ideas and insights the issues pick.
    order = demo.LATE_SEEDERS.index
    assert order(seed_newsletter) > max(order(seed_ideas), order(seed_champions))
    seed(django_capture_on_commit_callbacks)
    first = snapshot()
    newsletters = [m for m in mailoutbox if m.subject.startswith("Customer life:")]
    sent_mail = len(mailoutbox)
    issues = {p.slug: p for p in NewsletterIssuePage.objects.all()}
    assert set(issues) == {SENT, PAUSED, DRAFT}
    assert issues[SENT].live and issues[PAUSED].live and not issues[DRAFT].live
    sent, paused = Send.objects.get(issue__slug=SENT), Send.objects.get(issue__slug=PAUSED)
    assert sent.status == Send.Status.DONE
    assert set(sent.deliveries.values_list("status", flat=True)) == {"sent"}
    assert paused.status == Send.Status.PAUSED
    assert paused.deliveries.filter(status="sent").count() == PAUSED_AFTER
    assert paused.deliveries.filter(status="pending").exists()
    assert not Send.objects.filter(issue__slug=DRAFT).exists()
    assert len(newsletters) == sent.deliveries.count() + PAUSED_AFTER
    assert len({(m.subject, m.to[0]) for m in newsletters}) == len(newsletters)
    assert IssueRead.objects.filter(issue__slug=SENT).count() == 3
    body_types = {block.block_type for block in issues[SENT].body}
    assert body_types == {"story", "insights", "you_said_we_did", "recognition",
                          "persona_spotlight", "links"}
    assert "ลูกค้า" in issues[SENT].search_text
    assert "مشتری" in issues[PAUSED].search_text
    seed(django_capture_on_commit_callbacks)
    assert snapshot() == first
    assert len(mailoutbox) == sent_mail
    assert seed_newsletter() == 0


def test_seeded_archive_renders(client, django_capture_on_commit_callbacks):
    seed(django_capture_on_commit_callbacks)
    client.force_login(User.objects.get(email="employee@example.com"))
    archive = client.get("/newsletter/")
    assert archive.status_code == 200
    assert "Customer life: October" in archive.text
    assert "Customer life: December" not in archive.text
    for slug in (SENT, PAUSED):
        page = client.get(f"/newsletter/{slug}/")
        assert page.status_code == 200


def test_newsletter_seeder_alone_copes_without_insights(
        mailoutbox, django_capture_on_commit_callbacks):
    """Only departments and people exist (no ideas, no insights): the issues are made
    without an insights block, and a second run still changes nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        people_demo.seed_departments()
        people_demo.seed_people()
        assert seed_newsletter() == 3
    first = snapshot()
    sent = NewsletterIssuePage.objects.get(slug=SENT)
    assert "insights" not in {block.block_type for block in sent.body}
    assert Send.objects.get(issue=sent).status == Send.Status.DONE
    count = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert seed_newsletter() == 0
    assert snapshot() == first and len(mailoutbox) == count
