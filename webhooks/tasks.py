"""Thin tasks over webhooks.services (the claim makes each safe to run twice)."""

from celery import shared_task

from . import services


@shared_task(name="webhooks.deliver")
def deliver(delivery_id: str) -> str:
    if not services.delivery_claim(delivery_id):
        return "already claimed or not due"
    # Failures are recorded on the row with its next attempt time; the sweep retries.
    return services.delivery_send(delivery_id)


@shared_task(name="webhooks.sweep")
def sweep() -> int:
    return services.sweep()
