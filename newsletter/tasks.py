"""Celery tasks: thin, they call services. (Services queue these by name and never
import this module: see services._enqueue.)"""

from celery import shared_task
from django.core.management import call_command

from . import services
from .models import Send


@shared_task(name="newsletter.prepare_send", acks_late=True)
def prepare_send(send_id: int) -> int:
    count = services.send_prepare(send_id=send_id)
    send_batches.delay(send_id)
    return count


@shared_task(name="newsletter.send_batches", bind=True, acks_late=True, max_retries=None)
def send_batches(self, send_id: int, max_batches: int = 20, attempt: int = 0) -> dict:
    """Send a few batches, then hand over to a fresh task so one send never hogs a
    worker and a pause takes effect between batches. `attempt` counts consecutive
    hand-overs after temporary SMTP errors (a re-queued task starts with retries == 0,
    so the backoff is computed from this counter)."""
    totals = {"sent": 0, "failed": 0}
    result = {"more": False}
    for _ in range(max_batches):
        result = services.send_batch(send_id=send_id)
        totals["sent"] += result["sent"]
        totals["failed"] += result["failed"]
        if not result["more"] or result.get("temporary"):
            break
    if result.get("more") and not (result.get("temporary") and self.app.conf.task_always_eager):
        # (In-process mode cannot wait: the sweep or a retry picks temporary failures up.)
        if result.get("temporary"):
            countdown, next_attempt = retry_countdown(attempt), attempt + 1
        else:
            countdown, next_attempt = 0, 0
        send_batches.apply_async(args=[send_id], kwargs={"attempt": next_attempt},
                                 countdown=countdown)
    return totals


RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 600


def retry_countdown(attempt: int) -> int:
    """30 s, 60 s, 120 s, ... after consecutive temporary errors, at most 10 minutes."""
    return min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** min(max(attempt, 0), 10))


@shared_task(name="newsletter.publish_scheduled")
def publish_scheduled() -> None:
    """Every minute: publish pages whose go-live time has come (Wagtail's scheduled
    publishing). Publishing a newsletter issue starts its send (signals.send_on_publish)."""
    call_command("publish_scheduled")


@shared_task(name="newsletter.sweep")
def sweep() -> int:
    """Every few minutes: recover interrupted deliveries and restart sends whose task
    was lost (e.g. the broker was down when they were queued)."""
    services.delivery_recover_interrupted()
    restarted = 0
    for send in Send.objects.filter(status__in=[Send.Status.PREPARING, Send.Status.SENDING]):
        if send.status == Send.Status.PREPARING:
            prepare_send.delay(send.pk)
        else:
            send_batches.delay(send.pk)
        restarted += 1
    return restarted
