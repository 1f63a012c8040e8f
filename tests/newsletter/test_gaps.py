"""Scheduled publishing starts the send; leavers and late unsubscribers are skipped; the
subject is validated in the editor; the retry backoff grows; previews are not reads; the
home page shows the latest issue."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client, RequestFactory
from django.utils import timezone
from wagtail.models import Revision

from newsletter import services, tasks
from newsletter.models import (
    Delivery,
    IssueRead,
    NewsletterIssuePage,
    Send,
    Unsubscription,
)
from tests.factories import UserFactory

from .conftest import active_emails, make_issue, prepared_send, publish, recipients_of
from .test_sending import refuse

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Scheduled sends -------------------------------------------------------------------

def test_beat_runs_scheduled_publishing_every_minute():
    entry = django_settings.CELERY_BEAT_SCHEDULE["newsletter-publish-scheduled"]
    assert entry["task"] == "newsletter.publish_scheduled"
    assert entry["schedule"] == 60.0


def test_scheduled_issue_goes_live_and_its_send_starts_when_the_task_runs(
        archive, programme_admin, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory.create_batch(3)
    issue = make_issue(archive, "Customer life: December", slug="december")
    issue.go_live_at = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        revision = issue.save_revision(user=programme_admin)
        revision.publish(user=programme_admin)
    issue.refresh_from_db()
    revision.refresh_from_db()
    assert not issue.live and revision.approved_go_live_at is not None
    # Before the go-live time the beat job publishes nothing and nothing is sent.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.publish_scheduled.delay()
    issue.refresh_from_db()
    assert not issue.live
    assert not Send.objects.filter(issue=issue).exists() and mailoutbox == []
    # The go-live time passes (moved into the past rather than waiting for it).
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    with django_capture_on_commit_callbacks(execute=True):
        tasks.publish_scheduled.delay()
    issue.refresh_from_db()
    assert issue.live
    send = Send.objects.get(issue=issue)
    assert send.status == Send.Status.DONE
    assert recipients_of(mailoutbox) == sorted(active_emails())
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    # The next run (a minute later) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        tasks.publish_scheduled.delay()
    assert len(mailoutbox) == len(active_emails())


# --- Leavers and late unsubscribers ----------------------------------------------------

def test_leavers_and_late_unsubscribers_are_skipped_with_a_reason(
        archive, programme_admin, mailoutbox):
    stays = UserFactory.create_batch(3)
    leaver, late = UserFactory(username="leaver"), UserFactory(username="late")
    send = prepared_send(make_issue(archive), programme_admin)
    assert send.deliveries.filter(recipient__in=[leaver, late]).count() == 2
    # After the list was frozen: one leaves the company, one unsubscribes.
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    Unsubscription.objects.create(user=late)
    services.send_batch(send_id=send.pk)
    received = recipients_of(mailoutbox)
    assert leaver.email not in received and late.email not in received
    assert {u.email for u in stays} <= set(received)
    skipped = {d.recipient_id: d for d in send.deliveries.filter(status="skipped")}
    assert set(skipped) == {leaver.pk, late.pk}
    assert "deactivated" in skipped[leaver.pk].error
    assert "unsubscribed" in skipped[late.pk].error
    assert not send.deliveries.filter(status__in=["pending", "sending", "failed"]).exists()
    send.refresh_from_db()
    assert send.status == Send.Status.DONE
    from newsletter.selectors import send_progress

    progress = send_progress(send)
    assert progress["skipped"] == 2 and progress["percent"] == 100


def test_a_batch_of_only_leavers_sends_nothing_and_finishes(archive, programme_admin,
                                                           mailoutbox):
    send = prepared_send(make_issue(archive), programme_admin)
    Unsubscription.objects.bulk_create(
        [Unsubscription(user_id=pk) for pk in
         send.deliveries.values_list("recipient_id", flat=True)])
    result = services.send_batch(send_id=send.pk)
    assert result["sent"] == 0 and mailoutbox == []
    assert set(send.deliveries.values_list("status", flat=True)) == {"skipped"}
    send.refresh_from_db()
    assert send.status == Send.Status.DONE


# --- Subject validated in the editor ---------------------------------------------------

@pytest.mark.parametrize("title", ["November\r\nBcc: everyone@example.com", "Line\nbreak",
                                   "Carriage\rreturn", "Null\x00byte", "Tab\tbed"])
def test_issue_title_with_control_characters_is_a_form_error(archive, programme_admin, title):
    issue = NewsletterIssuePage(title=title, slug="bad-subject")
    with pytest.raises(ValidationError) as error:
        issue.full_clean()
    assert "title" in error.value.message_dict
    form_class = NewsletterIssuePage.get_edit_handler().get_form_class()
    form = form_class({"title": title, "slug": "bad-subject", "intro": "", "body-count": "0"},
                      instance=NewsletterIssuePage(), parent_page=archive,
                      for_user=programme_admin)
    assert not form.is_valid()
    assert form.errors["title"]  # (a null byte is refused by the form field itself)


def test_ordinary_titles_in_any_script_are_fine(archive):
    issue = NewsletterIssuePage(title="ลูกค้า: مشتری — “Customer life” #12", slug="fine")
    issue.full_clean(exclude=["path", "depth"])


# --- Retry backoff ---------------------------------------------------------------------

def test_retry_countdown_grows_and_is_capped():
    countdowns = [tasks.retry_countdown(n) for n in range(8)]
    assert countdowns[:5] == [30, 60, 120, 240, 480]
    assert countdowns[5:] == [600, 600, 600]
    assert tasks.retry_countdown(1000) == 600


def test_requeued_task_backs_off_longer_after_each_temporary_error(
        archive, programme_admin, mailoutbox, monkeypatch):
    unlucky = UserFactory(username="greylisted")
    send = prepared_send(make_issue(archive), programme_admin)
    accepting = EmailBackend.send_messages
    monkeypatch.setattr(EmailBackend, "send_messages", refuse(451, {unlucky.email}))
    # As on a real worker: the task re-queues itself instead of running in-process.
    monkeypatch.setitem(tasks.send_batches.app.conf, "task_always_eager", False)
    queued = []
    monkeypatch.setattr(tasks.send_batches, "apply_async",
                        lambda args, kwargs=None, countdown=0: queued.append(
                            (kwargs["attempt"], countdown)))
    attempt = 0
    for _ in range(4):
        tasks.send_batches(send.pk, attempt=attempt)
        attempt = queued[-1][0]
    assert queued == [(1, 30), (2, 60), (3, 120), (4, 240)]
    assert send.deliveries.get(recipient=unlucky).status == Delivery.Status.PENDING
    # Once the server accepts again, the hand-over resets the counter.
    monkeypatch.setattr(EmailBackend, "send_messages", accepting)
    assert tasks.send_batches(send.pk, attempt=4) == {"sent": 1, "failed": 0}
    assert send.deliveries.get(recipient=unlucky).status == Delivery.Status.SENT
    assert len(queued) == 4  # nothing left: no further task


# --- Read counts -----------------------------------------------------------------------

def test_editor_preview_is_not_a_read(archive, programme_admin, champion):
    issue = make_issue(archive, "Preview only", slug="preview-only")
    publish(issue, programme_admin)
    request = RequestFactory().get("/newsletter/preview-only/")
    request.user = champion
    request.is_preview = True
    assert issue.serve(request).status_code == 200
    assert not IssueRead.objects.exists()
    assert client_for(champion).get("/newsletter/preview-only/").status_code == 200
    assert IssueRead.objects.filter(issue=issue, user=champion).count() == 1


# --- Home page panel -------------------------------------------------------------------

def test_home_page_shows_the_latest_live_issue(archive, programme_admin, employee):
    client = client_for(employee)
    page = client.get("/").content.decode()
    assert "Latest newsletter issue" in page
    assert "No newsletter issue has been published yet." in page
    older = make_issue(archive, "Customer life: October", slug="october")
    publish(older, programme_admin)
    latest = make_issue(archive, "Customer life: November", slug="november")
    publish(latest, programme_admin)
    NewsletterIssuePage.objects.filter(pk=older.pk).update(
        first_published_at=timezone.now() - timedelta(days=30))
    make_issue(archive, "Draft: December", slug="december")
    page = client.get("/").content.decode()
    assert "Customer life: November" in page
    assert 'href="/newsletter/november/"' in page
    assert f'datetime="{latest.first_published_at.isoformat()}"' in page
    assert "Customer life: October" not in page and "Draft: December" not in page
