"""Thin tasks: each calls the notification services (the outbox states make every one
safe to run twice)."""

from celery import shared_task

from . import services as notifications


@shared_task(name="notifications.send_email", bind=True, max_retries=5,
             default_retry_delay=60)
def send_notification_email(self, notification_id: int) -> str:
    if not notifications.claim_email(notification_id):
        return "already claimed"
    try:
        return notifications.send_claimed_email(notification_id)
    except Exception as exc:
        # Temporary failures go back to pending; retry with backoff (the sweep also will).
        raise self.retry(exc=exc, countdown=60 * 2 ** self.request.retries) from exc


@shared_task(name="notifications.send_pending_emails")
def send_pending_notification_emails() -> int:
    notifications.release_stale_claims()
    sent = 0
    for pk in notifications.pending_email_ids():
        if notifications.claim_email(pk):
            try:
                notifications.send_claimed_email(pk)
                sent += 1
            except Exception:  # noqa: BLE001, S112 - recorded on the row; next sweep retries
                continue
    return sent


@shared_task(name="notifications.send_daily_digests")
def send_daily_digests() -> int:
    """One e-mail per person per day for those who chose the digest."""
    sent = 0
    for user_id in notifications.digest_recipient_ids():
        try:
            sent += bool(notifications.digest_send(user_id=user_id))
        except Exception:  # noqa: BLE001, S112 - put back on the row; the next run retries
            continue
    return sent
