"""Sending a newsletter issue exactly once to each subscriber.

1. send_start() records one Send per issue (publishing twice starts nothing new).
2. send_prepare() freezes the recipient list: one Delivery row per (issue, recipient),
   streamed in batches, unique — re-running it adds nobody twice.
3. send_batch() claims up to N pending deliveries (send_claim_batch: pending -> sending,
   a conditional UPDATE, so two workers never claim the same row), sends them over one SMTP
   connection, and marks each sent or failed. Temporary SMTP errors put the row back to
   pending (retried with backoff); permanent ones mark it failed with the error.
4. A worker that dies (SIGKILL, lost machine) leaves its claimed rows in "sending".
   A claim is a lease: it carries a token and a timestamp the worker renews while it
   sends; delivery_recover_interrupted() takes back claims not renewed for
   NEWSLETTER_CLAIM_LEASE_SECONDS. The worker sends its batch in pk order and records
   each result before the next message, so of a dead worker's unresolved rows only the
   first can have been on the wire (SMTP cannot tell us whether the server accepted it);
   the others were never sent. All go back to pending: nobody is skipped. The one
   uncertain message is sent again with the same Message-ID (every delivery has a fixed
   one), so at most one message per killed worker is transmitted twice, and as the same
   message, which receiving servers and mail stores drop as a duplicate. (The other
   choice, marking it failed for an admin, loses that person's newsletter unless
   someone acts; a lost SMTP reply after the final dot is handled the same way.)"""

import logging
import time
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from people.models import User
from shared.resilience import publish
from webhooks.services import event_record

from . import permissions
from .delivery import claim_lease, connection_lost, is_temporary
from .emails import build_message, message_id
from .models import Delivery, NewsletterIssuePage, Send, Unsubscription
from .selectors import subscribers

logger = logging.getLogger(__name__)

# The tasks (newsletter.tasks) that services queue, by their registered names: services
# never import the tasks module, which calls services.
PREPARE_TASK = "newsletter.prepare_send"
SEND_TASK = "newsletter.send_batches"


@transaction.atomic
def send_start(*, issue: NewsletterIssuePage, actor: User | None) -> Send:
    send, created = Send.objects.get_or_create(issue=issue, defaults={"started_by": actor})
    if created:
        log(instance=issue, action="newsletter.send_start", user=actor)
        event_record(type="newsletter.published", data={
            "issue": issue.pk, "title": issue.title, "url": issue.full_url or ""})
        transaction.on_commit(lambda: _enqueue(PREPARE_TASK, send.pk))
    return send


def _enqueue(task_name: str, send_id: int, countdown: int = 0) -> None:
    """Queue a task by its name (shared.resilience.publish looks it up)."""
    if not publish(task_name, args=[send_id], countdown=countdown):
        # Broker down: the sweep picks the send up later (shared.resilience).
        logger.warning("Could not enqueue %s for send %s; the sweep will", task_name, send_id)


def send_prepare(*, send_id: int) -> int:
    """Freeze the recipient list (idempotent)."""
    send = Send.objects.get(pk=send_id)
    if send.recipients_frozen_at is None:
        created = 0
        batch = []
        for user_id, email in subscribers().values_list("pk", "email").iterator(chunk_size=2000):
            batch.append(Delivery(send=send, issue_id=send.issue_id, recipient_id=user_id,
                                  email=email))
            if len(batch) >= 2000:
                created += len(Delivery.objects.bulk_create(batch, ignore_conflicts=True))
                batch = []
        if batch:
            created += len(Delivery.objects.bulk_create(batch, ignore_conflicts=True))
        Send.objects.filter(pk=send.pk, recipients_frozen_at__isnull=True).update(
            recipients_frozen_at=timezone.now(), status=Send.Status.SENDING)
        logger.info("Send %s: %s recipients frozen", send.pk, created)
    return Delivery.objects.filter(send_id=send_id).count()


def send_claim_batch(*, send_id: int, size: int, token: str | None = None) -> list[int]:
    """Claim up to `size` pending deliveries under `token` (a new one if not given)."""
    token = token or uuid.uuid4().hex
    with transaction.atomic():
        ids = list(Delivery.objects.select_for_update(skip_locked=True)
                   .filter(send_id=send_id, status=Delivery.Status.PENDING)
                   .order_by("pk").values_list("pk", flat=True)[:size])
        now = timezone.now()
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, claimed_at=now, claim_token=token)
        return list(Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING,
                                            claim_token=token)
                    .order_by("pk").values_list("pk", flat=True))


def _renew_claim(token: str, current: Delivery) -> bool:
    """Extend the lease on what is left of the batch; False if `current` is no longer
    ours (the lease ran out and another worker recovered it)."""
    Delivery.objects.filter(claim_token=token, status=Delivery.Status.SENDING).update(
        claimed_at=timezone.now())
    return Delivery.objects.filter(pk=current.pk, claim_token=token,
                                   status=Delivery.Status.SENDING).exists()


MAX_ATTEMPTS = 5


def send_batch(*, send_id: int, size: int | None = None) -> dict:
    """Send one claimed batch; returns counts and whether more is pending."""
    send = Send.objects.select_related("issue").get(pk=send_id)
    if send.status != Send.Status.SENDING:
        return {"sent": 0, "failed": 0, "more": False}
    # Claims of workers that died, if their lease ran out.
    delivery_recover_interrupted(send_id=send_id)
    token = uuid.uuid4().hex
    ids = send_claim_batch(send_id=send_id, size=size or settings.NEWSLETTER_BATCH_SIZE,
                           token=token)
    if not ids:
        # Nothing claimable: what is left (if anything) is being sent by another worker,
        # or was claimed by one that died (delivery_recover_interrupted resolves those).
        _finish_if_done(send_id)
        return {"sent": 0, "failed": 0, "more": False}
    issue = send.issue.specific
    # In pk order, each result recorded before the next message: recovery relies on it.
    deliveries = list(Delivery.objects.filter(pk__in=ids).select_related(
        "recipient", "recipient__newsletter_optout").order_by("pk"))
    deliveries = _skip_leavers(deliveries)
    sent = failed = 0
    temporary = False
    if not deliveries:
        more = Delivery.objects.filter(send_id=send_id, status=Delivery.Status.PENDING).exists()
        if not more:
            _finish_if_done(send_id)
        return {"sent": 0, "failed": 0, "more": more, "temporary": False}
    connection = mailers.default
    renew_every = settings.NEWSLETTER_CLAIM_LEASE_SECONDS / 3
    renewed = time.monotonic()
    try:
        connection.open()
        for delivery in deliveries:
            if time.monotonic() - renewed > renew_every:
                if not _renew_claim(token, delivery):
                    logger.warning("Send %s: claim %s expired mid-batch; leaving the rest",
                                   send_id, token)
                    break
                renewed = time.monotonic()
            try:
                message = build_message(issue, delivery.recipient, to=delivery.email)
                message.extra_headers["Message-ID"] = message_id(delivery)
                connection.send_messages([message])
            except Exception as exc:  # noqa: BLE001 - recorded per delivery
                attempts = delivery.attempts + 1
                retry = is_temporary(exc) and attempts < MAX_ATTEMPTS
                temporary |= retry
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.PENDING if retry else Delivery.Status.FAILED,
                    attempts=attempts, error=repr(exc)[:2000])
                failed += not retry
                if connection_lost(exc):
                    # The connection is gone: put the rest of the batch back untouched.
                    rest = [d.pk for d in deliveries if d.pk != delivery.pk]
                    Delivery.objects.filter(pk__in=rest, status=Delivery.Status.SENDING
                                            ).update(status=Delivery.Status.PENDING)
                    break
            else:
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.SENT, sent_at=timezone.now(),
                    attempts=delivery.attempts + 1, error="")
                sent += 1
    except OSError as exc:  # could not connect at all: nothing was sent from this batch
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.PENDING, error=repr(exc)[:2000])
        temporary = True
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110 - closing a broken connection
            pass
    more = Delivery.objects.filter(send_id=send_id, status=Delivery.Status.PENDING).exists()
    if not more:
        _finish_if_done(send_id)
    return {"sent": sent, "failed": failed, "more": more, "temporary": temporary}


SKIP_REASONS = {
    "inactive": "Skipped: the account was deactivated after the recipient list was frozen.",
    "unsubscribed": "Skipped: the person unsubscribed after the recipient list was frozen.",
}


def _skip_reason(recipient: User) -> str | None:
    if not recipient.is_active:
        return "inactive"
    try:
        recipient.newsletter_optout  # noqa: B018 - prefetched by select_related
    except Unsubscription.DoesNotExist:
        return None
    return "unsubscribed"


def _skip_leavers(deliveries: list[Delivery]) -> list[Delivery]:
    """Mark claimed deliveries of leavers and late unsubscribers skipped (with the reason)
    instead of mailing them; return the deliveries still to send. At most two UPDATEs."""
    skipped: dict[str, list[int]] = {}
    keep = []
    for delivery in deliveries:
        reason = _skip_reason(delivery.recipient)
        if reason:
            skipped.setdefault(reason, []).append(delivery.pk)
        else:
            keep.append(delivery)
    for reason, pks in skipped.items():
        Delivery.objects.filter(pk__in=pks, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.SKIPPED, error=SKIP_REASONS[reason])
    return keep


def _finish_if_done(send_id: int) -> None:
    """Mark the send done once no delivery is pending or being sent."""
    if not Delivery.objects.filter(send_id=send_id, status__in=[
            Delivery.Status.PENDING, Delivery.Status.SENDING]).exists():
        Send.objects.filter(pk=send_id, status=Send.Status.SENDING).update(
            status=Send.Status.DONE, finished_at=timezone.now())


UNCERTAIN = ("Interrupted: the worker stopped while this message may have been on the "
             "wire; sent again with the same Message-ID.")


def delivery_recover_interrupted(*, send_id: int | None = None) -> int:
    """Take back the claims of workers that died (lease not renewed): every row goes
    back to pending; the first unresolved row of each claim is the one that may have
    reached the SMTP server and is noted as such (see 4. above). Returns the count."""
    stale = Delivery.objects.filter(status=Delivery.Status.SENDING,
                                    claimed_at__lt=timezone.now() - claim_lease())
    if send_id is not None:
        stale = stale.filter(send_id=send_id)
    with transaction.atomic():
        rows = list(stale.select_for_update(skip_locked=True).order_by("pk")
                    .values_list("pk", "claim_token"))
        if not rows:
            return 0
        first_of_claim: dict[str, int] = {}
        uncertain = []
        for pk, token in rows:
            if not token:  # claimed before claims had tokens: order unknown
                uncertain.append(pk)
            elif token not in first_of_claim:
                first_of_claim[token] = pk
                uncertain.append(pk)
        pks = [pk for pk, _ in rows]
        Delivery.objects.filter(pk__in=pks).exclude(pk__in=uncertain).update(
            status=Delivery.Status.PENDING, claim_token="")
        # The attempt that may have reached the server counts as one.
        Delivery.objects.filter(pk__in=uncertain).update(
            status=Delivery.Status.PENDING, claim_token="", error=UNCERTAIN,
            attempts=F("attempts") + 1)
    logger.warning("Recovered %s deliveries from %s dead claims", len(rows), len(uncertain))
    return len(rows)


@transaction.atomic
def send_pause(*, send: Send, actor: User) -> None:
    if not permissions.can_send(actor):
        raise PermissionDenied
    Send.objects.filter(pk=send.pk, status=Send.Status.SENDING).update(status=Send.Status.PAUSED)
    log(instance=send.issue, action="newsletter.send_pause", user=actor)


@transaction.atomic
def send_resume(*, send: Send, actor: User) -> None:
    if not permissions.can_send(actor):
        raise PermissionDenied
    if Send.objects.filter(pk=send.pk, status=Send.Status.PAUSED).update(
            status=Send.Status.SENDING):
        log(instance=send.issue, action="newsletter.send_resume", user=actor)
        transaction.on_commit(lambda: _enqueue(SEND_TASK, send.pk))


@transaction.atomic
def send_retry_failed(*, send: Send, actor: User) -> int:
    if not permissions.can_send(actor):
        raise PermissionDenied
    count = send.deliveries.filter(status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0)
    if count:
        Send.objects.filter(pk=send.pk, status=Send.Status.DONE).update(
            status=Send.Status.SENDING, finished_at=None)
        log(instance=send.issue, action="newsletter.send_retry", user=actor,
            data={"deliveries": count})
        transaction.on_commit(lambda: _enqueue(SEND_TASK, send.pk))
    return count


def issue_send_test(*, issue: NewsletterIssuePage, actor: User) -> None:
    """Send the issue (e.g. its latest revision) to oneself only; not a delivery."""
    if not permissions.can_send_test(actor, issue):
        raise PermissionDenied
    build_message(issue.specific, actor).send()
    log(instance=issue, action="newsletter.send_test", user=actor,
        data={"email": actor.email})


@transaction.atomic
def subscription_cancel(*, user: User) -> bool:
    """Stop e-mailing the newsletter to `user` (True if they were subscribed)."""
    _, created = Unsubscription.objects.get_or_create(user=user)
    if created:
        log(instance=user, action="newsletter.unsubscribe", user=user)
    return created


@transaction.atomic
def subscription_renew(*, user: User) -> bool:
    """E-mail the newsletter to `user` again (True if they had unsubscribed)."""
    deleted, _ = Unsubscription.objects.filter(user=user).delete()
    if deleted:
        log(instance=user, action="newsletter.resubscribe", user=user)
    return bool(deleted)
