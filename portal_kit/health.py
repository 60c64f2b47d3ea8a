"""GET or HEAD /healthz: the state of what the portal cannot work without, for the load balancer and
monitoring (many probes send HEAD: the same checks and status code, without the body)."""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down", whatever the driver raised
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _broker(url: str) -> dict:
    import redis

    started = time.perf_counter()
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception as exc:  # unreachable, refused, timed out: all "down"
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
@require_safe
def healthz(request):
    """503 only when the portal cannot work (the database); Redis down is "degraded", answered 200 so that
    a load balancer keeps the web nodes: pages still work (the cache falls back to memory, tasks wait in
    the outbox for the sweep), and the body says what is degraded."""
    checks = {"database": _database()}
    if settings.REDIS_URL:
        checks["broker"] = _broker(settings.REDIS_URL)
    if not checks["database"]["ok"]:
        status = "error"
    elif all(check["ok"] for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    degraded = [name for name, check in checks.items() if not check["ok"]]
    response = JsonResponse(
        {"status": status, "degraded": degraded, "checks": checks}, status=503 if status == "error" else 200
    )
    if request.method == "HEAD":
        # Django sends the body of a HEAD answer as it is (only its test client and runserver drop it):
        # keep the GET's Content-Length, send no body.
        response["Content-Length"] = str(len(response.content))
        response.content = b""
    return response
