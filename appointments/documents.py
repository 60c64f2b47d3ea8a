"""The documents of an appointment: the PDF convocation (stored as a spine Document, kind "convocation",
one per booking date), the .ics calendar entry, and the agents' printable day sheet. Rendering happens
outside any transaction (in the email builder, run by the outbox worker)."""

import datetime
import logging

import icalendar
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments.links import manage_url
from appointments.models import Agenda, Booking
from appointments.slots import local
from portal_kit.pdf import render_pdf
from requests_app.documents import TOWN, qr_data_uri
from requests_app.models import Document, DocumentKind

logger = logging.getLogger(__name__)

CONVOCATION_TEMPLATE = "appointments/pdf/convocation.html"
DAY_SHEET_TEMPLATE = "appointments/pdf/day_sheet.html"


def convocation_filename(booking: Booking) -> str:
    return f"convocation-{booking.request.reference}.pdf"


def convocation_context(booking: Booking) -> dict:
    url = manage_url(booking)
    return {
        "town": TOWN,
        "booking": booking,
        "request": booking.request,
        "agenda": booking.agenda,
        "site": booking.agenda.site,
        "starts_at": local(booking.starts_at),
        "ends_at": local(booking.slot.ends_at),
        "documents": booking.agenda.document_list(),
        "person": booking.request.requester_name,
        "manage_url": url,
        "qr_data_uri": qr_data_uri(url),
    }


def _loaded(booking_id: int) -> Booking:
    return Booking.objects.select_related("request__requester", "agenda__site", "slot", "user").get(
        pk=booking_id
    )


def convocation_ensure(*, booking_id: int) -> Document:
    """The booking's convocation for its current date, rendered and stored the first time. Safe to run twice
    or concurrently: the unique (request, kind, key) keeps one row; the loser deletes its file."""
    booking = _loaded(booking_id)
    key = booking.convocation_key
    existing = Document.objects.filter(
        request_id=booking.request_id, kind=DocumentKind.CONVOCATION, key=key
    ).first()
    if existing is not None:
        return existing
    pdf = render_pdf(CONVOCATION_TEMPLATE, convocation_context(booking))
    filename = convocation_filename(booking)
    document = Document(request=booking.request, kind=DocumentKind.CONVOCATION, key=key, filename=filename)
    document.file.save(filename, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        document.file.delete(save=False)
        winner = Document.objects.filter(
            request_id=booking.request_id, kind=DocumentKind.CONVOCATION, key=key
        ).first()
        if winner is None:
            raise
        return winner
    return document


def booking_ics(booking: Booking) -> bytes:
    """An iCalendar entry of the appointment. The UID is fixed per booking and the SEQUENCE grows with each
    move, so a calendar that imported the first email updates the same entry after a reschedule."""
    start = local(booking.starts_at)
    end = local(booking.slot.ends_at)
    site = booking.agenda.site
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Ville de Béthune//Rendez-vous//FR")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"rendez-vous-{booking.pk}@bethune-portal")
    event.add("sequence", booking.reschedule_count)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"Rendez-vous {booking.get_motif_display()} – Guichet Unique")
    event.add("location", f"Guichet Unique – {site.name}, {site.address}")
    lines = [f"Référence : {booking.request.reference}"]
    if booking.ants_number:
        lines.append(f"Numéro de pré-demande ANTS : {booking.ants_number}")
    documents = booking.agenda.document_list()
    if documents:
        lines.append("Pièces à apporter :")
        lines.extend(f"- {item}" for item in documents)
    lines.append(f"Annuler ou déplacer : {manage_url(booking)}")
    event.add("description", "\n".join(lines))
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def day_sheet_pdf(*, agenda: Agenda, day: datetime.date, bookings: list[Booking]) -> bytes:
    return render_pdf(
        DAY_SHEET_TEMPLATE,
        {
            "town": TOWN,
            "agenda": agenda,
            "site": agenda.site,
            "day": day,
            "bookings": bookings,
            "documents": agenda.document_list(),
            "printed_at": timezone.localtime(),
        },
    )
