"""The convocation PDF (text checked with pdftotext), the .ics entry, the emails built for the outbox and the
agents' day sheet."""

import datetime
import shutil
import subprocess

import icalendar
import pytest

from appointments.documents import booking_ics, convocation_ensure, day_sheet_pdf
from appointments.selectors import bookings_for_day
from appointments.services import booking_reschedule
from requests_app.models import Document, DocumentKind, Notification
from requests_app.registry import registry
from tests.appointments.conftest import paris
from tests.appointments.helpers import ANTS, book

pytestmark = pytest.mark.django_db

SLOT = paris(2026, 3, 24, 9)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) requis"
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_the_convocation_gives_date_place_documents_reference_and_ants_number(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT)

    document = convocation_ensure(booking_id=booking.pk)

    assert document.kind == DocumentKind.CONVOCATION and document.key == str(booking.pk)
    text = pdf_text(document.file.read())
    assert "Convocation" in text
    assert "mardi 24 mars 2026" in text and "09h00" in text
    assert "Hôtel de Ville" in text and "Place du 4 Septembre, 62400 Béthune" in text
    assert "Photo d'identité de moins de 6 mois" in text and "Justificatif de domicile" in text
    assert booking.request.reference in text
    assert ANTS in text
    assert "Jean Dupont" in text


def test_the_convocation_is_rendered_once(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT)

    first = convocation_ensure(booking_id=booking.pk)
    second = convocation_ensure(booking_id=booking.pk)

    assert first.pk == second.pk
    assert Document.objects.filter(kind=DocumentKind.CONVOCATION).count() == 1


def test_a_moved_booking_gets_a_new_convocation_with_the_new_date(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT)
    convocation_ensure(booking_id=booking.pk)
    booking_reschedule(booking=booking, starts_at=paris(2026, 3, 30, 15, 20))

    document = convocation_ensure(booking_id=booking.pk)

    assert document.key == f"{booking.pk}-1"
    assert "lundi 30 mars 2026" in pdf_text(document.file.read())


def test_the_ics_entry_starts_at_the_local_time_in_europe_paris(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT)

    calendar = icalendar.Calendar.from_ical(booking_ics(booking))
    event = calendar.walk("VEVENT")[0]

    start = event.decoded("dtstart")
    assert start == SLOT and str(start.tzinfo) == "Europe/Paris"
    assert event["dtstart"].params["TZID"] == "Europe/Paris"
    assert event.decoded("dtend") - start == datetime.timedelta(minutes=20)
    assert "Place du 4 Septembre" in str(event["location"])
    assert event["uid"] == f"rendez-vous-{booking.pk}@bethune-portal"
    assert calendar.walk("VTIMEZONE"), "the zone is described for calendars that do not know it"
    assert "BEGIN:VTIMEZONE" in booking_ics(booking).decode()


def test_the_ics_uid_stays_the_same_when_the_booking_moves(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT)
    before = icalendar.Calendar.from_ical(booking_ics(booking)).walk("VEVENT")[0]
    moved = booking_reschedule(booking=booking, starts_at=paris(2026, 3, 30, 15, 20))
    after = icalendar.Calendar.from_ical(booking_ics(moved)).walk("VEVENT")[0]

    assert before["uid"] == after["uid"]
    assert after["sequence"] == 1
    assert after.decoded("dtstart") == paris(2026, 3, 30, 15, 20)


def test_the_confirmation_email_is_french_with_text_html_pdf_and_ics(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT)
    notification = Notification.objects.get(template="appointments/booking_confirmed")

    email = registry.email_builder(notification.template)(notification)

    assert email.to == [resident_user.email]
    assert "Rendez-vous confirmé le mardi 24 mars 2026 à 09:00" in email.subject
    assert booking.request.reference in email.body and ANTS in email.body
    assert "/rendez-vous/gerer/" in email.body
    assert email.alternatives[0].mimetype == "text/html"
    names = {name: mimetype for name, _content, mimetype in email.attachments}
    assert names[f"convocation-{booking.request.reference}.pdf"] == "application/pdf"
    assert names["rendez-vous.ics"].startswith("text/calendar")


def test_the_cancellation_email_gives_the_reason_and_a_link_to_book_again(agenda, resident_user, agent, now):
    from appointments.services import booking_cancel_by_service

    booking = book(agenda, resident_user, SLOT)
    booking_cancel_by_service(booking=booking, agent=agent, reason="Fermeture exceptionnelle.")
    notification = Notification.objects.get(template="appointments/booking_cancelled")

    email = registry.email_builder(notification.template)(notification)

    assert "annulé" in email.subject
    assert "Fermeture exceptionnelle." in email.body
    assert "/rendez-vous/cni/" in email.body
    assert not email.attachments


def test_the_day_sheet_lists_who_comes_when_with_the_ants_number(agenda, resident_user, other_resident, now):
    book(agenda, resident_user, SLOT)
    book(agenda, other_resident, paris(2026, 3, 24, 10), ants_number="ZZZZ999999")

    pdf = day_sheet_pdf(
        agenda=agenda,
        day=datetime.date(2026, 3, 24),
        bookings=bookings_for_day(agenda=agenda, day=datetime.date(2026, 3, 24)),
    )

    text = pdf_text(pdf)
    assert "mardi 24 mars 2026" in text
    assert "09h00" in text and "10h00" in text
    assert "Jean Dupont" in text and "Marie Lefebvre" in text
    assert ANTS in text and "ZZZZ999999" in text
    assert text.index("Jean Dupont") < text.index("Marie Lefebvre")
