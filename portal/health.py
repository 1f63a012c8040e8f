"""Health of the services the intranet depends on, for load balancers and humans.

Database, cache and broker are checked directly. Celery workers and beat are separate
processes (perhaps on other machines), so they report liveness themselves: each writes
a heartbeat (the time) into the shared cache, workers every HEARTBEAT_SECONDS from their
own event loop and beat on every tick of its scheduler (portal.celery). A heartbeat
older than HEARTBEAT_MAX_AGE means the process is down. In the embedded setup (no
REDIS_URL) tasks run in-process: there is no worker or beat to be down ("not used")."""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

UP = "up"
NOT_USED = "not used"
HEARTBEAT_KEY = "heartbeat:{}"


def _shared_cache():
    # The shared cache itself, not the per-process stand-in used while it is down: a
    # heartbeat kept in one process's memory would tell the web servers nothing.
    return getattr(cache, "primary", cache)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    shared = _shared_cache()
    key = f"healthz:{uuid.uuid4().hex}"
    shared.set(key, "ok", 10)
    if shared.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")
    shared.delete(key)


def check_broker() -> None:
    if not settings.REDIS_URL:
        return  # Tasks run in-process: there is no broker to be down.
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def record_heartbeat(process: str) -> None:
    """Called inside a worker or beat. Never raises: a cache outage must not stop the
    process, and /healthz reports the cache itself."""
    try:
        # Kept well past HEARTBEAT_MAX_AGE, so /healthz can say how long ago it was.
        _shared_cache().set(HEARTBEAT_KEY.format(process), time.time(), timeout=86_400)
    except Exception as exc:  # noqa: BLE001 - whatever the cache raises
        logger.warning("Could not record the %s heartbeat: %r", process, exc)


def process_used(process: str) -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return False  # tasks run in the web process; nothing else is started
    if process == "beat":
        return bool(settings.CELERY_BEAT_SCHEDULE)  # no periodic jobs, no beat needed
    return True


def heartbeat_status(process: str, *, cache_up: bool = True) -> str:
    if not process_used(process):
        return NOT_USED
    if not cache_up:
        # Not asked again: a frozen cache would make each read wait out its timeout.
        return "unknown: the cache is down"
    try:
        seen = _shared_cache().get(HEARTBEAT_KEY.format(process))
    except Exception as exc:  # noqa: BLE001 - the cache check names the outage
        return f"unknown: cannot read heartbeats ({type(exc).__name__})"
    if seen is None:
        return "down: no heartbeat"
    age = time.time() - float(seen)
    if age > settings.HEARTBEAT_MAX_AGE:
        return f"down: last heartbeat {age:.0f} s ago"
    return UP


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}
PROCESSES = ("worker", "beat")


def service_status() -> dict[str, str]:
    status = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            status[name] = f"down: {type(exc).__name__}"
        else:
            status[name] = UP
    for process in PROCESSES:
        status[process] = heartbeat_status(process, cache_up=status["cache"] == UP)
    return status


# What one web process needs to serve pages. A load balancer probes this scope
# (/healthz?scope=web): a stopped beat or worker delays e-mail but must not take every
# healthy web server out of rotation.
WEB_SCOPE = ("database", "cache")


def health_report(*, scope: str = "all") -> tuple[dict, int]:
    """/healthz: 200 when everything in use is up, else 503 naming what is down. A
    heartbeat that cannot be read while the cache is down is "unknown", not down: the
    cache is what is named."""
    status = service_status()
    if scope == "web":
        status = {name: state for name, state in status.items() if name in WEB_SCOPE}
    down = [name for name, state in status.items() if state.startswith("down")]
    body = {"status": "down" if down else "ok", "down": down, "services": status}
    return body, 503 if down else 200
