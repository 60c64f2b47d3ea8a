"""A fixed-window rate limiter on Django's cache (Redis in production, local memory elsewhere).

`cache.add` creates the window's counter only if it is absent and `cache.incr` is atomic on Redis and
under the local-memory cache's lock, so two concurrent hits never read the same count. A fixed window
lets a burst of twice the limit straddle a window boundary: acceptable for what it guards (emails sent
to addresses typed by strangers), and it costs one key and two cache calls per hit."""

import hashlib
import time

from django.core.cache import cache

from portal_kit.client_ip import client_ip

# client_ip is the one way to name a connection (portal_kit/client_ip.py: trusted proxies, shared with
# allauth); callers keep reaching it as ratelimit.client_ip.
__all__ = ["client_ip", "hit"]


def _key(scope: str, identity: str, window: int) -> str:
    # Hashed: keys stay short and the cache never holds an email address in clear.
    digest = hashlib.sha256(identity.strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{window}:{int(time.time() // window)}:{digest}"


def hit(*, scope: str, identity: str, limit: int, window: int) -> bool:
    """Count one attempt of `identity` in `scope`; True while it is within `limit` per `window` seconds."""
    key = _key(scope, identity, window)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired (or was evicted) between add and incr: this is the first hit
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count <= limit
