"""Links sent to people: signed, so a tampered link is refused (404), and tied to the request's secret
tracking key, so a link can be revoked by changing the key."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from requests_app.models import Request

_TRACKING_SALT = "requests_app.tracking"
_CONFIRM_SALT = "requests_app.confirm-email"
# A confirmation link older than this is refused: the draft it confirms is purged after 30 days anyway.
CONFIRM_MAX_AGE = 30 * 24 * 3600


def tracking_token(request: Request) -> str:
    return signing.dumps({"r": request.pk, "k": request.tracking_key.hex}, salt=_TRACKING_SALT, compress=True)


def confirm_token(request: Request) -> str:
    return signing.dumps({"r": request.pk, "k": request.tracking_key.hex}, salt=_CONFIRM_SALT, compress=True)


def _request_from(token: str, *, salt: str, max_age: int | None = None) -> Request | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        request = Request.objects.select_related("service", "espace", "street", "quartier", "requester").get(
            pk=int(data["r"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, Request.DoesNotExist):
        return None
    return request if request.tracking_key.hex == data.get("k") else None


def request_from_tracking_token(token: str) -> Request | None:
    return _request_from(token, salt=_TRACKING_SALT)


def request_from_confirm_token(token: str) -> Request | None:
    return _request_from(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)


def request_path(request: Request) -> str:
    """Where the requester follows the request: "Mes demandes" with an account, the tracking link without."""
    if request.requester_id:
        return reverse("requests_app:request_detail", args=[request.reference])
    return reverse("requests_app:track", args=[tracking_token(request)])


def request_url(request: Request) -> str:
    return settings.SITE_URL + request_path(request)


def confirm_url(request: Request) -> str:
    return settings.SITE_URL + reverse("requests_app:confirm_email", args=[confirm_token(request)])
