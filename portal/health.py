"""Health of the services the intranet depends on, for load balancers and humans."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    # The shared cache itself, not the per-process stand-in used while it is down.
    shared = getattr(cache, "primary", cache)
    key = f"healthz:{uuid.uuid4().hex}"
    shared.set(key, "ok", 10)
    if shared.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")
    shared.delete(key)


def check_broker() -> None:
    if not settings.REDIS_URL:
        return  # Tasks run in-process: there is no broker to be down.
    from .celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def service_status() -> dict[str, str]:
    status = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            status[name] = f"down: {type(exc).__name__}"
        else:
            status[name] = "up"
    return status
