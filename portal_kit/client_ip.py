"""The address of the person behind a request, for rate limits and logs.

Behind `PORTAL_TRUSTED_PROXIES` proxies of ours (the production reverse proxy: 1), REMOTE_ADDR is the
last proxy's address: every visitor would share one rate limit. Each proxy appends the address it
received the connection from to X-Forwarded-For, so the n-th entry from the right is the one our
outermost proxy saw; whatever stands to its left was written by the client and proves nothing (a
spoofed entry on the left never moves the one we take). Without trusted proxies the header is ignored.

allauth reads the same count (`ALLAUTH_TRUSTED_PROXY_COUNT`, set from `PORTAL_TRUSTED_PROXIES` in the
settings) and takes the same entry, so its login limits and ours see one address per visitor."""

import ipaddress

from django.conf import settings
from django.http.request import split_domain_port

UNKNOWN = "unknown"


def _clean(value: str) -> str | None:
    """A valid IP address in its canonical form (a port and IPv6 brackets dropped), or None."""
    value = value.strip()
    if not value or len(value) > 64:
        return None
    host, port = split_domain_port(value)
    if port and host:
        value = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address: the n-th entry from the right of X-Forwarded-For when the settings trust n
    proxies, else REMOTE_ADDR. A missing, short or malformed header falls back to REMOTE_ADDR (the proxy's
    address: such clients share one limit rather than escape it); "unknown" when nothing is usable."""
    remote = _clean(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "PORTAL_TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        forwarded = (request.META.get("HTTP_X_FORWARDED_FOR", "") or "").split(",")
        if len(forwarded) >= proxies:
            candidate = _clean(forwarded[-proxies])
            if candidate is not None:
                return candidate
    return remote or UNKNOWN
