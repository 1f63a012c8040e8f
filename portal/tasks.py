import socket

from celery import shared_task


@shared_task(name="portal.ping")
def ping(value: str) -> dict:
    """Round trip through the broker; the health of the worker fleet is checked with it."""
    return {"echo": value, "worker": socket.gethostname()}


@shared_task(name="portal.refresh_dashboard_rollup")
def refresh_dashboard_rollup() -> dict:
    """Recount the days of ideas changed since the last run (portal.rollup); queued by
    beat every few minutes and by a dashboard read that met changed days."""
    from . import rollup

    return rollup.refresh()
