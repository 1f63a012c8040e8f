"""A fixed-window request limit in the shared cache, for public pages that have no
signed-in person to count by (a customer's pulse link)."""

import time

from django.core.cache import cache


def allow(key: str, *, limit: int, seconds: int) -> bool:
    """Whether one more request under `key` fits `limit` per `seconds` window."""
    bucket = f"ratelimit:{key}:{int(time.time() // seconds)}"
    if cache.add(bucket, 1, seconds):
        return True
    try:
        return cache.incr(bucket) <= limit
    except ValueError:  # the window expired between add and incr
        cache.set(bucket, 1, seconds)
        return True


def client_address(request) -> str:
    """The address the request came from (REMOTE_ADDR: behind a proxy, configure it to
    set this, e.g. gunicorn's --forwarded-allow-ips)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
