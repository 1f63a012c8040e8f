"""Redis or PostgreSQL down: pages stay up (cache stand-in, best-effort task publishing)
or answer a friendly 503. With real servers being stopped: tests/faults/."""

import time

import pytest
from django.db import OperationalError, ProgrammingError
from django.test import RequestFactory

from portal import errors, health
from portal.cache import FailoverRedisCache
from portal.tasks import ping
from shared import resilience

NOBODY = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def dead_redis_cache():
    return FailoverRedisCache(NOBODY, {"KEY_PREFIX": "t", "OPTIONS": {
        "socket_connect_timeout": 1, "socket_timeout": 1, "FAILOVER_SECONDS": 60}})


def test_cache_stands_in_while_redis_is_unreachable(dead_redis_cache):
    started = time.monotonic()
    assert dead_redis_cache.add("lock", 1, 10) is True  # allauth's rate-limit lock
    assert dead_redis_cache.add("lock", 1, 10) is False
    dead_redis_cache.set("attempts", [1, 2], 60)
    assert dead_redis_cache.get("attempts") == [1, 2]
    assert not dead_redis_cache.breaker.closed  # Redis is not asked again for a while
    assert time.monotonic() - started < 2


def test_health_checks_redis_itself_not_the_stand_in(dead_redis_cache, monkeypatch):
    monkeypatch.setattr(health, "cache", dead_redis_cache)
    with pytest.raises(Exception):  # noqa: B017 - any connection error
        health.check_cache()


def test_database_unreachable_is_a_friendly_503():
    request = RequestFactory().get("/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = errors.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert "briefly unavailable" in response.content.decode()
    try:
        raise ProgrammingError("no such column")  # a bug, not an outage
    except ProgrammingError:
        assert errors.server_error(request).status_code == 500


def test_publish_tries_the_broker_once_then_leaves_it_to_the_sweep(monkeypatch):
    calls = []

    def broker_down(*args, **kwargs):
        calls.append(kwargs)
        raise ConnectionError("Redis is down")

    monkeypatch.setitem(ping.app.conf, "task_always_eager", False)
    monkeypatch.setattr(ping, "apply_async", broker_down)
    resilience.broker.reset()
    try:
        assert resilience.publish(ping, args=["x"]) is False
        assert resilience.publish(ping, args=["x"]) is False
        assert len(calls) == 1 and calls[0]["retry"] is False
    finally:
        resilience.broker.reset()
