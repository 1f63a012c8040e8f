"""Sending an issue exactly once to each subscriber: retried tasks, a worker that dies
mid-batch, concurrent claimers, SMTP errors, pause/resume, the frozen recipient list."""

import smtplib
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from newsletter import services, tasks
from newsletter.delivery import claim_lease
from newsletter.emails import message_id
from newsletter.models import Delivery, Send, Unsubscription
from tests.factories import UserFactory

from .conftest import active_emails, make_issue, prepared_send, publish, recipients_of

pytestmark = pytest.mark.django_db


def statuses(send) -> Counter:
    return Counter(send.deliveries.values_list("status", flat=True))


def test_retried_task_after_completion_sends_nothing_more(
        archive, programme_admin, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory.create_batch(6)
    send = publish(make_issue(archive), programme_admin, run=True,
                   capture=django_capture_on_commit_callbacks)
    expected = sorted(active_emails())
    assert recipients_of(mailoutbox) == expected
    # The broker redelivers the tasks (acks_late), a second scheduler runs them again...
    tasks.prepare_send(send.pk)
    tasks.send_batches(send.pk)
    services.send_batch(send_id=send.pk)
    # ...even if a stale task still thinks the send is running.
    Send.objects.filter(pk=send.pk).update(status=Send.Status.SENDING)
    services.send_batch(send_id=send.pk)
    tasks.sweep()
    assert recipients_of(mailoutbox) == expected
    assert statuses(send) == {"sent": len(expected)}
    assert Delivery.objects.filter(send=send).count() == len(expected)


def test_worker_dying_mid_batch_never_double_sends_nor_skips(
        archive, programme_admin, mailoutbox, settings):
    """The claim is a lease: once it runs out, the dead worker's rows go back to
    pending. Only the first of them can have been on the wire (a batch is sent in pk
    order, each result recorded before the next message): it is noted as uncertain and
    sent again with the same Message-ID. (With a real SMTP server and a SIGKILLed
    worker: tests/faults/test_worker_killed.py.)"""
    UserFactory.create_batch(8)
    send = prepared_send(make_issue(archive), programme_admin)
    everyone = sorted(active_emails())
    # A worker claims three deliveries and dies before recording any of them.
    crashed = services.send_claim_batch(send_id=send.pk, size=3)
    assert len(crashed) == 3
    crashed_emails = set(Delivery.objects.filter(pk__in=crashed).values_list("email", flat=True))
    # Another worker (the redelivered task) sends the rest, but not the claimed rows.
    tasks.send_batches(send.pk)
    services.send_batch(send_id=send.pk)
    assert recipients_of(mailoutbox) == sorted(set(everyone) - crashed_emails)
    assert statuses(send)["sending"] == 3
    send.refresh_from_db()
    assert send.status == Send.Status.SENDING  # not "done": three are unresolved
    # The lease has not run out: the claim may belong to a worker that is just slow.
    assert services.delivery_recover_interrupted() == 0
    Delivery.objects.filter(pk__in=crashed).update(
        claimed_at=timezone.now() - claim_lease() - timedelta(seconds=1))
    assert services.delivery_recover_interrupted() == 3
    recovered = list(Delivery.objects.filter(pk__in=crashed).order_by("pk"))
    assert {d.status for d in recovered} == {"pending"}
    assert [d.error == services.UNCERTAIN for d in recovered] == [True, False, False]
    assert [d.attempts for d in recovered] == [1, 0, 0]
    services.send_batch(send_id=send.pk)
    send.refresh_from_db()
    assert send.status == Send.Status.DONE
    assert recipients_of(mailoutbox) == everyone  # nobody skipped
    assert statuses(send) == {"sent": len(everyone)}
    # Every delivery has one Message-ID, the same on any re-transmission.
    ids = {m.to[0]: m.extra_headers["Message-ID"] for m in mailoutbox}
    assert len(set(ids.values())) == len(everyone)
    first = recovered[0]
    assert ids[first.email] == message_id(first)


def test_a_live_worker_renews_its_claim_and_stops_when_it_lost_it(archive, programme_admin,
                                                                  mailoutbox, settings):
    UserFactory.create_batch(3)
    send = prepared_send(make_issue(archive), programme_admin)
    token = "a" * 32
    ids = services.send_claim_batch(send_id=send.pk, size=2, token=token)
    old = timezone.now() - timedelta(hours=1)
    Delivery.objects.filter(pk__in=ids).update(claimed_at=old)
    current = Delivery.objects.get(pk=ids[0])
    assert services._renew_claim(token, current)
    assert all(d.claimed_at > old for d in Delivery.objects.filter(pk__in=ids))
    Delivery.objects.filter(pk=ids[0]).update(status="pending", claim_token="")  # recovered
    assert not services._renew_claim(token, current)


def test_two_claimers_never_claim_the_same_rows(archive, programme_admin):
    UserFactory.create_batch(6)
    send = prepared_send(make_issue(archive), programme_admin)
    total = send.deliveries.count()
    first = services.send_claim_batch(send_id=send.pk, size=4)
    second = services.send_claim_batch(send_id=send.pk, size=100)
    assert len(first) == 4
    assert set(first).isdisjoint(second)
    assert len(first) + len(second) == total
    assert services.send_claim_batch(send_id=send.pk, size=100) == []


def test_interleaved_claimers_cannot_both_win(archive, programme_admin, monkeypatch):
    """Both workers read the same pending ids before either updates them (the race the
    conditional UPDATE guards against): the one that updates second gets nothing."""
    UserFactory.create_batch(4)
    send = prepared_send(make_issue(archive), programme_admin)
    real_now = timezone.now
    claimed = {}

    class Clock:
        @staticmethod
        def now():
            # Called by worker A after it has read the pending ids and before its
            # UPDATE: worker B claims the same rows right then.
            if "b" not in claimed:
                claimed["b"] = []
                claimed["b"] = services.send_claim_batch(send_id=send.pk, size=100)
            return real_now()

    monkeypatch.setattr(services, "timezone", Clock)
    claimed["a"] = services.send_claim_batch(send_id=send.pk, size=100)
    assert claimed["b"], "worker B claimed the batch"
    assert set(claimed["a"]).isdisjoint(claimed["b"])
    assert sorted(claimed["a"] + claimed["b"]) == sorted(send.deliveries.values_list("pk",
                                                                                   flat=True))


def refuse(code: int, addresses: set[str], calls: list | None = None):
    real = EmailBackend.send_messages

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & addresses:
                if calls is not None:
                    calls.append(message.to[0])
                raise smtplib.SMTPResponseException(code, b"Mailbox says no")
        return real(self, messages)

    return send_messages


def test_temporary_smtp_error_leaves_delivery_pending_and_retries_it(
        archive, programme_admin, mailoutbox, monkeypatch, settings,
        django_capture_on_commit_callbacks):
    settings.NEWSLETTER_BATCH_SIZE = 100  # one batch: the others share its connection
    unlucky = UserFactory(username="greylisted")
    UserFactory.create_batch(7)
    monkeypatch.setattr(EmailBackend, "send_messages", refuse(451, {unlucky.email}))
    send = publish(make_issue(archive), programme_admin, run=True,
                   capture=django_capture_on_commit_callbacks)
    delivery = send.deliveries.get(recipient=unlucky)
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert "451" in delivery.error
    # One recipient's temporary refusal does not hold back the others.
    assert recipients_of(mailoutbox) == sorted(active_emails() - {unlucky.email})
    send.refresh_from_db()
    assert send.status == Send.Status.SENDING
    # The server accepts it later: the retry delivers it once.
    monkeypatch.undo()
    tasks.send_batches(send.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, "")
    assert recipients_of(mailoutbox) == sorted(active_emails())
    send.refresh_from_db()
    assert send.status == Send.Status.DONE


def test_temporary_error_gives_up_after_max_attempts(archive, programme_admin, mailoutbox,
                                                    monkeypatch):
    unlucky = UserFactory()
    send = prepared_send(make_issue(archive), programme_admin)
    monkeypatch.setattr(EmailBackend, "send_messages", refuse(452, {unlucky.email}))
    for _ in range(services.MAX_ATTEMPTS + 2):
        services.send_batch(send_id=send.pk)
    delivery = send.deliveries.get(recipient=unlucky)
    assert (delivery.status, delivery.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert unlucky.email not in recipients_of(mailoutbox)


def test_permanent_smtp_error_marks_failed_with_the_error(
        archive, programme_admin, admin_client_, mailoutbox, monkeypatch, settings,
        django_capture_on_commit_callbacks):
    settings.NEWSLETTER_BATCH_SIZE = 4
    gone = UserFactory(username="gone")
    UserFactory.create_batch(6)
    calls = []
    monkeypatch.setattr(EmailBackend, "send_messages", refuse(550, {gone.email}, calls))
    send = publish(make_issue(archive), programme_admin, run=True,
                   capture=django_capture_on_commit_callbacks)
    delivery = send.deliveries.get(recipient=gone)
    assert delivery.status == "failed"
    assert "550" in delivery.error and "Mailbox says no" in delivery.error
    assert calls == [gone.email]  # tried once, not retried
    assert recipients_of(mailoutbox) == sorted(active_emails() - {gone.email})
    send.refresh_from_db()
    assert send.status == Send.Status.DONE
    # Listed on the progress page.
    response = admin_client_.get(f"/admin/newsletter-sends/{send.pk}/")
    assert response.status_code == 200
    assert gone.email in response.text and "550" in response.text
    assert response.context["progress"]["failed"] == 1


def test_pause_stops_further_batches_and_resume_continues(
        archive, programme_admin, champion, mailoutbox, settings,
        django_capture_on_commit_callbacks):
    settings.NEWSLETTER_BATCH_SIZE = 2
    UserFactory.create_batch(7)
    everyone = sorted(active_emails())
    send = prepared_send(make_issue(archive), programme_admin)
    services.send_batch(send_id=send.pk)
    assert len(mailoutbox) == 2
    with pytest.raises(PermissionDenied):
        services.send_pause(send=send, actor=champion)
    services.send_pause(send=send, actor=programme_admin)
    send.refresh_from_db()
    assert send.status == Send.Status.PAUSED
    # Tasks already queued (or the sweep) find the send paused and send nothing.
    tasks.send_batches(send.pk)
    services.send_batch(send_id=send.pk)
    tasks.sweep()
    assert len(mailoutbox) == 2
    assert statuses(send)["pending"] == len(everyone) - 2
    with django_capture_on_commit_callbacks(execute=True):
        services.send_resume(send=send, actor=programme_admin)
    assert recipients_of(mailoutbox) == everyone
    send.refresh_from_db()
    assert send.status == Send.Status.DONE


def test_pause_and_resume_from_the_admin(
        archive, programme_admin, admin_client_, mailoutbox, settings,
        django_capture_on_commit_callbacks):
    settings.NEWSLETTER_BATCH_SIZE = 2
    UserFactory.create_batch(3)
    send = prepared_send(make_issue(archive), programme_admin)
    url = f"/admin/newsletter-sends/{send.pk}/control/"
    assert admin_client_.post(url, {"action": "pause"}).status_code == 302
    tasks.send_batches(send.pk)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client_.post(url, {"action": "resume"}).status_code == 302
    assert recipients_of(mailoutbox) == sorted(active_emails())


def test_recipient_list_is_frozen_when_the_send_starts(
        archive, programme_admin, mailoutbox, django_capture_on_commit_callbacks):
    subscribed = UserFactory.create_batch(3)
    leaver = UserFactory(is_active=False)
    opted_out = UserFactory()
    Unsubscription.objects.create(user=opted_out)
    no_address = UserFactory(email="")
    send = prepared_send(make_issue(archive), programme_admin)
    late_joiner = UserFactory()  # joins after the list was frozen
    with django_capture_on_commit_callbacks(execute=True):
        tasks.prepare_send(send.pk)  # a redelivered prepare adds nobody
    tasks.send_batches(send.pk)
    received = recipients_of(mailoutbox)
    assert {u.email for u in subscribed} <= set(received)
    for person in (leaver, opted_out, late_joiner):
        assert person.email not in received
    assert "" not in received and no_address.pk not in set(
        send.deliveries.values_list("recipient_id", flat=True))
    assert sorted(received) == sorted(
        set(active_emails()) - {opted_out.email, late_joiner.email, ""})
    assert len(received) == len(set(received))


def test_publishing_again_sends_nothing_more(
        archive, programme_admin, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory.create_batch(2)
    issue = make_issue(archive)
    publish(issue, programme_admin, run=True, capture=django_capture_on_commit_callbacks)
    count = len(mailoutbox)
    assert count == len(active_emails())
    issue.title = "Customer life: November (corrected)"
    publish(issue, programme_admin, run=True, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        issue.unpublish(user=programme_admin)
    publish(issue, programme_admin, run=True, capture=django_capture_on_commit_callbacks)
    assert len(mailoutbox) == count
    assert Send.objects.filter(issue=issue).count() == 1
    assert Delivery.objects.filter(issue=issue).count() == count


def test_sweep_restarts_a_send_whose_task_was_lost(archive, programme_admin, mailoutbox):
    UserFactory.create_batch(3)
    # Published, but the queued task never ran (the broker was down, the worker died).
    send = publish(make_issue(archive), programme_admin)
    assert send.status == Send.Status.PREPARING and mailoutbox == []
    tasks.sweep()
    assert recipients_of(mailoutbox) == sorted(active_emails())
    tasks.sweep()
    tasks.sweep()
    assert recipients_of(mailoutbox) == sorted(active_emails())
    send.refresh_from_db()
    assert send.status == Send.Status.DONE


def test_broker_down_when_publishing_does_not_break_publishing(
        archive, programme_admin, mailoutbox, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.prepare_send, "apply_async", broker_down)
    issue = make_issue(archive)
    send = publish(issue, programme_admin, run=True, capture=django_capture_on_commit_callbacks)
    assert issue.live and send.status == Send.Status.PREPARING and mailoutbox == []
    monkeypatch.undo()
    tasks.sweep()
    assert recipients_of(mailoutbox) == sorted(active_emails())
