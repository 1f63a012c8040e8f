"""Notifications: recorded inside the caller's transaction, e-mailed after commit.

notification_create() writes the row (and marks its e-mail pending when the person
wants e-mail); after the transaction commits, a Celery task sends it. The task claims
the row atomically (pending -> sending) so a retried task, a second worker or the
periodic sweep never send the same notification twice. If the broker is down at
commit time the row stays pending and the sweep (CELERY_BEAT_SCHEDULE) sends it later."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from people.models import User
from shared.resilience import publish

from .kinds import TOPICS, kinds, topic_for
from .models import Notification
from .replies import reply_address

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
# A claim older than this is taken to be from a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=15)


def email_status_for(person: User, verb: str) -> str:
    """How this person wants this notification e-mailed, from their settings."""
    if (person.email_delivery == User.EmailDelivery.NEVER
            or topic_for(verb) in (person.email_muted_topics or [])):
        return Notification.EmailStatus.NOT_NEEDED
    if person.email_delivery == User.EmailDelivery.DAILY:
        return Notification.EmailStatus.DIGEST
    return Notification.EmailStatus.PENDING


def notification_create(*, recipients: Iterable[User], verb: str, params: dict | None = None,
                        actor: User | None = None, email: bool = True,
                        once_key: str = "") -> list[Notification]:
    """Record one notification per distinct active recipient (never the actor).

    `params` is what happened as plain data; the text is rendered from it, in each
    reader's language, by the kind registered for `verb` (notifications.kinds).

    `once_key` makes it a reminder sent at most once per recipient for that key (say
    "ideas.overdue:2026-11-30"): the one mechanism every scheduled job uses, backed by
    a database constraint, so a job run twice, or by two schedulers at once, reminds
    nobody twice. Returns the rows recorded (with a key: those that now exist)."""
    if verb not in kinds:
        raise ValueError(f"Unknown notification kind {verb!r}")
    params = dict(params or {})
    seen, rows = set(), []
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        if actor is not None and person.pk == actor.pk:
            continue
        seen.add(person.pk)
        rows.append(Notification(
            recipient=person, actor=actor, verb=verb, params=params, once_key=once_key,
            email_status=(email_status_for(person, verb) if email
                          else Notification.EmailStatus.NOT_NEEDED),
            in_digest=email and person.email_delivery == User.EmailDelivery.DAILY,
        ))
    if once_key:
        reminded = set(Notification.objects.filter(
            once_key=once_key, recipient_id__in=seen).values_list("recipient_id", flat=True))
        rows = [row for row in rows if row.recipient_id not in reminded]
        # A job racing this one may insert the same reminder in between: the constraint
        # keeps one, and only the rows stored now are returned (and e-mailed).
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(Notification.objects.filter(
            once_key=once_key, recipient_id__in=[row.recipient_id for row in rows]))
    else:
        created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.email_status == Notification.EmailStatus.PENDING]
    if ids:
        transaction.on_commit(lambda: enqueue_emails(ids))
    return created


def enqueue_emails(ids: list[int]) -> None:
    for pk in ids:
        # Broker down: the row stays pending and the sweep sends it later; the request
        # does not wait for the broker (at most one short try, see shared.resilience).
        if not publish("notifications.send_email", args=[pk]):
            logger.warning("Could not enqueue e-mail for notification %s; left pending", pk)


def claim_email(pk: int) -> bool:
    """Atomically move one notification's e-mail from pending to sending."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=pk, email_status=Notification.EmailStatus.PENDING,
    ).update(email_status=Notification.EmailStatus.SENDING, email_claimed_at=now)
    return claimed == 1


def render_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail in the recipient's language, whatever the actor's."""
    person = notification.recipient
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(person.preferred_language):
        shown = notification.rendered()
        context = {"notification": shown, "person": person,
                   "link": base + (shown.link or "/"),
                   "site_name": settings.WAGTAIL_SITE_NAME}
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
        subject = shown.title.replace("\n", " ").replace("\r", " ")
    reply_to = reply_address(notification)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[person.email], reply_to=[reply_to] if reply_to else None,
        # Auto-responders (out of office) must not answer, nor loop with e-mail in.
        headers={"Auto-Submitted": "auto-generated"})
    message.attach_alternative(html, "text/html")
    return message


def send_claimed_email(pk: int) -> str:
    """Send a claimed e-mail; on failure put it back to pending (or failed at the limit)."""
    notification = Notification.objects.select_related("recipient").get(pk=pk)
    try:
        render_email(notification).send()
    except Exception as exc:  # noqa: BLE001 - any SMTP/network failure
        attempts = notification.email_attempts + 1
        status = (Notification.EmailStatus.FAILED if attempts >= MAX_EMAIL_ATTEMPTS
                  else Notification.EmailStatus.PENDING)
        Notification.objects.filter(pk=pk).update(
            email_status=status, email_attempts=attempts, email_error=repr(exc)[:2000])
        logger.warning("E-mail for notification %s failed (attempt %s): %r", pk, attempts, exc)
        raise
    Notification.objects.filter(pk=pk).update(
        email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now(),
        email_attempts=notification.email_attempts + 1, email_error="")
    return "sent"


def release_stale_claims() -> int:
    stale = Notification.objects.filter(
        email_status=Notification.EmailStatus.SENDING,
        email_claimed_at__lt=timezone.now() - STALE_CLAIM,
    )
    return (stale.filter(in_digest=False).update(email_status=Notification.EmailStatus.PENDING)
            + stale.filter(in_digest=True).update(email_status=Notification.EmailStatus.DIGEST))


def pending_email_ids(limit: int = 500) -> list[int]:
    return list(Notification.objects.filter(
        email_status=Notification.EmailStatus.PENDING,
    ).order_by("created_at").values_list("pk", flat=True)[:limit])


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def notification_settings_update(*, user: User, actor: User, email_delivery: str,
                                 muted_topics: Iterable[str]) -> User:
    if actor.pk != user.pk:
        raise PermissionError("People choose their own notification e-mails.")
    if email_delivery not in User.EmailDelivery.values:
        raise ValueError(f"Unknown e-mail delivery {email_delivery!r}")
    user.email_delivery = email_delivery
    user.email_muted_topics = sorted(set(muted_topics) & set(TOPICS))
    user.save(update_fields=["email_delivery", "email_muted_topics"])
    return user


def digest_recipient_ids() -> list[int]:
    """People with notifications waiting for a digest and no digest yet today."""
    today = timezone.localdate()
    return list(User.objects.filter(
        notifications__email_status=Notification.EmailStatus.DIGEST, is_active=True,
    ).exclude(digest_sent_on=today).distinct().values_list("pk", flat=True))


def digest_send(*, user_id: int) -> int:
    """Send one person's daily digest; returns how many notifications it carried.

    The day is claimed first (a conditional update), so two schedulers, a retried
    task or a second run on the same day never send a second digest. On failure
    the claim and the rows are put back for the next run."""
    today = timezone.localdate()
    with transaction.atomic():
        claimed = User.objects.filter(pk=user_id).exclude(digest_sent_on=today).update(
            digest_sent_on=today)
        if not claimed:
            return 0
        rows = list(Notification.objects.select_for_update().filter(
            recipient_id=user_id, email_status=Notification.EmailStatus.DIGEST,
        ).order_by("created_at").values_list("pk", flat=True))
        Notification.objects.filter(pk__in=rows).update(
            email_status=Notification.EmailStatus.SENDING, email_claimed_at=timezone.now())
    if not rows:
        return 0
    person = User.objects.get(pk=user_id)
    notes = list(Notification.objects.filter(pk__in=rows).order_by("created_at"))
    try:
        render_digest(person, notes).send()
    except Exception as exc:  # noqa: BLE001 - any SMTP/network failure
        Notification.objects.filter(pk__in=rows).update(
            email_status=Notification.EmailStatus.DIGEST, email_error=repr(exc)[:2000])
        User.objects.filter(pk=user_id, digest_sent_on=today).update(digest_sent_on=None)
        logger.warning("Daily digest for user %s failed: %r", user_id, exc)
        raise
    Notification.objects.filter(pk__in=rows).update(
        email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now(), email_error="")
    return len(rows)


def render_digest(person: User, notes: list[Notification]) -> EmailMultiAlternatives:
    """The daily digest in the recipient's language."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(person.preferred_language):
        items = [{"note": shown, "link": base + (shown.link or "/")}
                 for shown in (n.rendered() for n in notes)]
        context = {"person": person, "items": items, "site_name": settings.WAGTAIL_SITE_NAME,
                   "settings_link": base + reverse("notifications:settings")}
        subject = ngettext("Your daily digest: %(count)d notification",
                           "Your daily digest: %(count)d notifications",
                           len(notes)) % {"count": len(notes)}
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[person.email])
    message.attach_alternative(html, "text/html")
    return message
