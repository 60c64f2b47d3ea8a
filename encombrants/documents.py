"""The documents of a pickup: the PDF confirmation (a spine Document, kind "confirmation", one per version
of the pickup), the .ics calendar entry, and the crews' round sheet PDF. Rendering happens outside any
transaction (in the email builder, run by the outbox worker, or in a download view)."""

import datetime

import icalendar
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from encombrants.days import cutoff_display, cutoff_for, day_display
from encombrants.links import manage_url
from encombrants.models import Config, Pickup, RefusedItem, Sector
from encombrants.services import GUICHET_PHONE
from portal_kit.pdf import render_pdf
from requests_app.documents import TOWN, qr_data_uri
from requests_app.models import Document, DocumentKind

CONFIRMATION_TEMPLATE = "encombrants/pdf/confirmation.html"
ROUND_TEMPLATE = "encombrants/pdf/round.html"


def _loaded(pickup_id: int) -> Pickup:
    return Pickup.objects.select_related("request__requester", "street", "sector", "user").get(pk=pickup_id)


def confirmation_filename(pickup: Pickup) -> str:
    return f"encombrants-{pickup.request.reference}.pdf"


def confirmation_context(pickup: Pickup) -> dict:
    url = manage_url(pickup)
    config = Config.current()
    return {
        "town": TOWN,
        "pickup": pickup,
        "request": pickup.request,
        "day": day_display(pickup.day),
        "lines": list(pickup.lines.select_related("item")),
        "refused": list(RefusedItem.objects.all()),
        "person": pickup.request.requester_name,
        "cutoff": cutoff_display(cutoff_for(pickup.day, config)),
        "phone": GUICHET_PHONE,
        "manage_url": url,
        "qr_data_uri": qr_data_uri(url),
    }


def confirmation_pdf(pickup: Pickup) -> bytes:
    return render_pdf(CONFIRMATION_TEMPLATE, confirmation_context(pickup))


def confirmation_ensure(*, pickup_id: int) -> Document:
    """The pickup's confirmation for its current version, rendered and stored the first time. Safe to run
    twice or concurrently: the unique (request, kind, key) keeps one row; the loser deletes its file."""
    pickup = _loaded(pickup_id)
    key = pickup.document_key
    existing = Document.objects.filter(
        request_id=pickup.request_id, kind=DocumentKind.CONFIRMATION, key=key
    ).first()
    if existing is not None:
        return existing
    pdf = confirmation_pdf(pickup)
    filename = confirmation_filename(pickup)
    document = Document(request=pickup.request, kind=DocumentKind.CONFIRMATION, key=key, filename=filename)
    document.file.save(filename, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        document.file.delete(save=False)
        winner = Document.objects.filter(
            request_id=pickup.request_id, kind=DocumentKind.CONFIRMATION, key=key
        ).first()
        if winner is None:
            raise
        return winner
    return document


def pickup_ics(pickup: Pickup) -> bytes:
    """An all-day iCalendar entry; the UID is fixed per pickup and the SEQUENCE grows with each amendment."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Ville de Béthune//Encombrants//FR")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"encombrants-{pickup.pk}@bethune-portal")
    event.add("sequence", pickup.amend_count)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", pickup.day)
    event.add("dtend", pickup.day + datetime.timedelta(days=1))
    event.add("summary", "Enlèvement des encombrants")
    event.add("location", f"{pickup.address}, 62400 Béthune")
    lines = [f"Référence : {pickup.request.reference}", "Objets :"]
    lines.extend(f"- {line.quantity} × {line.item.name}" for line in pickup.lines.select_related("item"))
    lines.append("Sortez les objets la veille au soir, sans gêner le passage sur le trottoir.")
    lines.append(f"Modifier ou annuler : {manage_url(pickup)}")
    event.add("description", "\n".join(lines))
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Sortir les encombrants ce soir")
    alarm.add("trigger", datetime.timedelta(hours=-5))
    event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical()


def round_pdf(*, sector: Sector, day: datetime.date, pickups: list[Pickup]) -> bytes:
    return render_pdf(
        ROUND_TEMPLATE,
        {
            "town": TOWN,
            "sector": sector,
            "day": day,
            "day_label": day_display(day),
            "pickups": pickups,
            "volume_l": sum(p.volume_l for p in pickups),
            "printed_at": timezone.localtime(),
        },
    )
