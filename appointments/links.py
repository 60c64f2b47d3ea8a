"""The link in every booking email that lets the person cancel or move the appointment without logging
in: signed (a tampered link is refused), tied to the request's secret tracking key (changing the key
revokes it), and dated (refused after LINK_MAX_AGE, well beyond any booking window)."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from appointments.models import Booking
from appointments.slots import local
from requests_app.models import Request

_SALT = "appointments.manage"
LINK_MAX_AGE = 400 * 24 * 3600


@dataclass(frozen=True)
class LinkResult:
    booking: Booking | None
    expired: bool = False


def manage_token(booking: Booking) -> str:
    return signing.dumps({"b": booking.pk, "k": booking.request.tracking_key.hex}, salt=_SALT, compress=True)


def booking_from_token(token: str) -> LinkResult:
    """The booking a link designates; (None, expired=True) for an expired link, (None) for a bad one."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        return LinkResult(None, expired=True)
    except signing.BadSignature:
        return LinkResult(None)
    try:
        booking = Booking.objects.select_related("request", "agenda__site", "user").get(pk=int(data["b"]))
    except (KeyError, TypeError, ValueError, Booking.DoesNotExist):
        return LinkResult(None)
    if booking.request.tracking_key.hex != data.get("k"):
        return LinkResult(None)
    return LinkResult(booking)


def manage_path(booking: Booking) -> str:
    return reverse("appointments:manage", args=[manage_token(booking)])


def manage_url(booking: Booking) -> str:
    return settings.SITE_URL + manage_path(booking)


def rebook_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("appointments:sites", args=[booking.motif])


def _booking_of(request: Request) -> Booking | None:
    try:
        return request.booking
    except Booking.DoesNotExist:
        return None


def manage_path_for_request(request: Request) -> str | None:
    """Where the requester manages the booking behind a request: its signed manage page."""
    booking = _booking_of(request)
    return manage_path(booking) if booking is not None else None


def agent_day_path_for_request(request: Request) -> str | None:
    """Where agents manage it: the day view of the booking's agenda, on the appointment's day."""
    booking = _booking_of(request)
    if booking is None:
        return None
    day = local(booking.starts_at).date()
    return reverse("appointments:agent_day", args=[booking.agenda_id, day.isoformat()])
