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
from django.utils import timezone, translation

from .models import Notification, User

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
# A claim older than this is taken to be from a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=15)


def notification_create(*, recipients: Iterable[User], verb: str, title: str, body: str = "",
                        url: str = "", actor: User | None = None, email: bool = True
                        ) -> list[Notification]:
    """Record one notification per distinct active recipient (never the actor)."""
    seen, rows = set(), []
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        if actor is not None and person.pk == actor.pk:
            continue
        seen.add(person.pk)
        rows.append(Notification(
            recipient=person, actor=actor, verb=verb, title=title[:255], body=body, url=url,
            email_status=(Notification.EmailStatus.PENDING if email
                          else Notification.EmailStatus.NOT_NEEDED),
        ))
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.email_status == Notification.EmailStatus.PENDING]
    if ids:
        transaction.on_commit(lambda: enqueue_emails(ids))
    return created


def enqueue_emails(ids: list[int]) -> None:
    from .tasks import send_notification_email

    for pk in ids:
        try:
            send_notification_email.delay(pk)
        except Exception:  # noqa: BLE001 - broker down: the sweep sends it later
            logger.warning("Could not enqueue e-mail for notification %s; left pending", pk)


def claim_email(pk: int) -> bool:
    """Atomically move one notification's e-mail from pending to sending."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=pk, email_status=Notification.EmailStatus.PENDING,
    ).update(email_status=Notification.EmailStatus.SENDING, email_claimed_at=now)
    return claimed == 1


def render_email(notification: Notification) -> EmailMultiAlternatives:
    person = notification.recipient
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {"notification": notification, "person": person,
               "link": base + notification.url if notification.url else base + "/",
               "site_name": settings.WAGTAIL_SITE_NAME}
    with translation.override(person.preferred_language):
        text = render_to_string("portal/email/notification.txt", context)
        html = render_to_string("portal/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=notification.title.replace("\n", " ").replace("\r", " "),
        body=text, to=[person.email],
    )
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
    return Notification.objects.filter(
        email_status=Notification.EmailStatus.SENDING,
        email_claimed_at__lt=timezone.now() - STALE_CLAIM,
    ).update(email_status=Notification.EmailStatus.PENDING)


def pending_email_ids(limit: int = 500) -> list[int]:
    return list(Notification.objects.filter(
        email_status=Notification.EmailStatus.PENDING,
    ).order_by("created_at").values_list("pk", flat=True)[:limit])


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
