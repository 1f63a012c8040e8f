from celery import shared_task

from . import services
from .models import Send


@shared_task(name="newsletter.prepare_send", acks_late=True)
def prepare_send(send_id: int) -> int:
    count = services.send_prepare(send_id)
    send_batches.delay(send_id)
    return count


@shared_task(name="newsletter.send_batches", bind=True, acks_late=True, max_retries=None)
def send_batches(self, send_id: int, max_batches: int = 20) -> dict:
    """Send a few batches, then hand over to a fresh task so one send never hogs a
    worker and a pause takes effect between batches."""
    totals = {"sent": 0, "failed": 0}
    result = {"more": False}
    for _ in range(max_batches):
        result = services.send_batch(send_id)
        totals["sent"] += result["sent"]
        totals["failed"] += result["failed"]
        if not result["more"] or result.get("temporary"):
            break
    if result.get("more") and not (result.get("temporary") and self.app.conf.task_always_eager):
        # (In-process mode cannot wait: the sweep or a retry picks temporary failures up.)
        countdown = min(600, 30 * 2 ** min(self.request.retries, 5)) if result.get(
            "temporary") else 0
        send_batches.apply_async(args=[send_id], countdown=countdown)
    return totals


@shared_task(name="newsletter.sweep")
def sweep() -> int:
    """Every few minutes: recover interrupted deliveries and restart sends whose task
    was lost (e.g. the broker was down when they were queued)."""
    services.recover_interrupted()
    restarted = 0
    for send in Send.objects.filter(status__in=[Send.Status.PREPARING, Send.Status.SENDING]):
        if send.status == Send.Status.PREPARING:
            prepare_send.delay(send.pk)
        else:
            send_batches.delay(send.pk)
        restarted += 1
    return restarted
