"""Django's Redis cache that keeps answering from process memory while Redis is unreachable.

The cache holds nothing that must survive: rate-limit counts (api.throttling). When Redis
stops answering, a request must not fail because of it. This backend then serves every call from
a local in-memory cache for `RETRY_SECONDS` (default 5) before it tries Redis again, and logs the
switch both ways. The price while Redis is down: each web process counts rate limits on its own,
so a client can make up to (processes × the limit) requests; nothing is refused wrongly or crashes.
Keep the connection timeouts short in OPTIONS so a Redis that hangs costs little before the switch.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class RedisWithLocalFallbackCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self._retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        # Named after the location: every thread of a process shares one fallback store.
        self._local = LocMemCache(f"redis-fallback:{server}", {"OPTIONS": {"MAX_ENTRIES": 10000}})
        self._redis_down_until = 0.0
        self._redis_was_down = False

    def _call(self, method: str, *args, **kwargs):
        if time.monotonic() >= self._redis_down_until:
            try:
                result = getattr(super(), method)(*args, **kwargs)
            except UNREACHABLE as exc:
                if not self._redis_was_down:
                    log.warning(
                        "Redis cache unreachable (%s): counting in process memory, retrying every %gs",
                        type(exc).__name__,
                        self._retry_seconds,
                    )
                self._redis_was_down = True
                self._redis_down_until = time.monotonic() + self._retry_seconds
            else:
                if self._redis_was_down:
                    log.warning("Redis cache reachable again")
                    self._redis_was_down = False
                return result
        return getattr(self._local, method)(*args, **kwargs)

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
        return self._call("clear")
