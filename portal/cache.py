"""The shared cache: Redis, with a per-process stand-in while Redis is unreachable.

Allauth counts failed logins in the cache (and locks around the count), and TOTP codes
are marked used there. A plain RedisCache turns a Redis outage into a 500 on the login
page. Failing open (no cache at all) would make allauth's lock wait out its timeout on
every request and switch rate limiting off. So while Redis is down this backend uses
a local-memory cache: limits are then counted per web process (weaker, but still on),
pages keep working, and after `FAILOVER_SECONDS` the next call tries Redis again."""

import logging

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from shared.resilience import CircuitBreaker

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class FailoverRedisCache(BaseCache):
    def __init__(self, server, params):
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        cooldown = float(options.pop("FAILOVER_SECONDS", 10))
        self.primary = RedisCache(server, {**params, "OPTIONS": options})
        self.fallback = LocMemCache(f"failover-{server}", {
            k: v for k, v in params.items() if k not in {"OPTIONS", "LOCATION", "BACKEND"}})
        self.breaker = CircuitBreaker(f"Redis cache at {server}", cooldown=cooldown)

    @property
    def _cache(self):  # the Redis client, for code that talks to Redis directly
        return self.primary._cache

    def _call(self, method: str, *args, **kwargs):
        if self.breaker.closed:
            try:
                return getattr(self.primary, method)(*args, **kwargs)
            except UNREACHABLE as exc:
                self.breaker.failed(exc)
        return getattr(self.fallback, method)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self.fallback.clear()
        return self._call("clear")

    def close(self, **kwargs):
        self.primary.close(**kwargs)
