import socket

from celery import shared_task


@shared_task(name="portal.ping")
def ping(value: str) -> dict:
    """Round trip through the broker; the health of the worker fleet is checked with it."""
    return {"echo": value, "worker": socket.gethostname()}
