"""The link in every pickup email that lets the person see, amend or cancel the pickup without logging in:
signed (a tampered link is refused), tied to the request's secret tracking key (changing the key revokes
it), and dated (refused after LINK_MAX_AGE, well beyond any booking window)."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from encombrants.models import Pickup
from requests_app.models import Request

_SALT = "encombrants.manage"
LINK_MAX_AGE = 400 * 24 * 3600


@dataclass(frozen=True)
class LinkResult:
    pickup: Pickup | None
    expired: bool = False


def manage_token(pickup: Pickup) -> str:
    return signing.dumps({"p": pickup.pk, "k": pickup.request.tracking_key.hex}, salt=_SALT, compress=True)


def pickup_from_token(token: str) -> LinkResult:
    """The pickup a link designates; (None, expired=True) for an expired link, (None) for a bad one."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        return LinkResult(None, expired=True)
    except signing.BadSignature:
        return LinkResult(None)
    try:
        pickup = Pickup.objects.select_related("request", "street", "sector", "user").get(pk=int(data["p"]))
    except (KeyError, TypeError, ValueError, Pickup.DoesNotExist):
        return LinkResult(None)
    if pickup.request.tracking_key.hex != data.get("k"):
        return LinkResult(None)
    return LinkResult(pickup)


def manage_path(pickup: Pickup) -> str:
    return reverse("encombrants:manage", args=[manage_token(pickup)])


def manage_url(pickup: Pickup) -> str:
    return settings.SITE_URL + manage_path(pickup)


def _pickup_of(request: Request) -> Pickup | None:
    try:
        return request.pickup
    except Pickup.DoesNotExist:
        return None


def manage_path_for_request(request: Request) -> str | None:
    """Where the requester manages the pickup behind a request: its signed manage page."""
    pickup = _pickup_of(request)
    return manage_path(pickup) if pickup is not None else None


def agent_path_for_request(request: Request) -> str | None:
    """Where agents manage it: the pickup's page in the back office."""
    pickup = _pickup_of(request)
    return reverse("encombrants:agent_pickup", args=[pickup.pk]) if pickup is not None else None
