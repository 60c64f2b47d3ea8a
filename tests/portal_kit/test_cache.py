"""The fail-safe cache: with its Redis unreachable, it answers from memory instead of raising."""

import time

from portal_kit.cache import FailSafeRedisCache


def test_an_unreachable_redis_answers_from_memory_and_is_retried_later(monkeypatch):
    cache = FailSafeRedisCache("redis://127.0.0.1:1/0", {})

    started = time.monotonic()
    cache.set("limite", 1)
    assert cache.degraded
    assert cache.get("limite") == 1 and cache.incr("limite") == 2
    assert time.monotonic() - started < 3  # a short connection timeout, then no more tries

    monkeypatch.setattr(cache, "_down_until", 0.0)  # the pause is over: Redis is tried again
    assert not cache.degraded
    assert cache.get("absente", "défaut") == "défaut"
    assert cache.degraded
