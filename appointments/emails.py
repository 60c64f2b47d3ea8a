"""The appointment emails. Confirmation, move and cancellation by the service go through the spine's
outbox (builders registered in AppConfig.ready(), claimed once, retried, swept); the reminder is sent by
the reminder sweep itself, claimed on the booking row (it belongs to no spine event).

Each has a French subject, a text and an HTML body. The confirmation and the move carry the PDF
convocation and an .ics entry."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation

from appointments.documents import booking_ics, convocation_ensure
from appointments.links import manage_url, rebook_url
from appointments.models import Booking
from appointments.services import when_display
from appointments.slots import local
from portal_kit.mail import templated_email
from requests_app.documents import TOWN
from requests_app.links import request_url
from requests_app.models import Notification

SUBJECT_PREFIX = "[Ville de Béthune] "
SUBJECTS = {
    "booking_confirmed": "Rendez-vous confirmé le {when} ({reference})",
    "booking_rescheduled": "Rendez-vous déplacé au {when} ({reference})",
    "booking_cancelled": "Rendez-vous du {when} annulé ({reference})",
    "booking_reminder": "Rappel : rendez-vous le {when} ({reference})",
}
WITH_CONVOCATION = {"booking_confirmed", "booking_rescheduled"}


def _booking(request_id: int) -> Booking:
    return Booking.objects.select_related(
        "request__requester", "request__service", "agenda__site", "slot", "user"
    ).get(request_id=request_id)


def _context(booking: Booking, extra: dict | None = None) -> dict:
    return {
        "town": TOWN,
        "booking": booking,
        "request": booking.request,
        "reference": booking.request.reference,
        "requester_name": booking.request.requester_name,
        "agenda": booking.agenda,
        "site": booking.agenda.site,
        "when": when_display(booking.starts_at),
        "starts_at": local(booking.starts_at),
        "documents": booking.agenda.document_list(),
        "manage_url": manage_url(booking),
        "rebook_url": rebook_url(booking),
        "tracking_url": request_url(booking.request),
        "cutoff_hours": booking.agenda.cancel_cutoff_hours,
        **(extra or {}),
    }


def booking_email(
    booking: Booking, name: str, *, to: str, extra: dict | None = None, headers: dict | None = None
) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(booking, extra)
        subject = SUBJECT_PREFIX + SUBJECTS[name].format(when=context["when"], reference=context["reference"])
    attachments = []
    if name in WITH_CONVOCATION:
        convocation = convocation_ensure(booking_id=booking.pk)
        with convocation.file.open("rb") as pdf:
            attachments.append((convocation.filename, pdf.read(), "application/pdf"))
        attachments.append(("rendez-vous.ics", booking_ics(booking), "text/calendar; charset=utf-8"))
    email = templated_email(
        templates=f"appointments/email/{name}",
        subject=subject,
        context=context,
        to=to,
        attachments=attachments,
    )
    email.extra_headers.update(headers or {})
    return email


def email_builder(name: str):
    """The builder of one of this app's emails, registered as "appointments/<name>" (registration.py)."""

    def build(notification: Notification) -> EmailMultiAlternatives:
        booking = _booking(notification.request_id)
        return booking_email(
            booking,
            name,
            to=notification.recipient,
            extra=notification.context,
        )

    return build
