"""The appointments app's part in the RGPD duties, through its registration's PersonalData hooks: a booking's
own personal fields go when the spine anonymises its request, and the person's bookings are in their
download; the privacy page says so with the duration the code applies."""

import datetime
import io
import json
import zipfile

from django.urls import reverse
from django.utils import timezone

from appointments.models import Booking, BookingStatus
from appointments.services import booking_cancel
from requests_app.personal_data import JSON_NAME, personal_data_zip
from requests_app.services.retention import requests_anonymise_expired
from tests.appointments.conftest import paris
from tests.appointments.helpers import book

SLOT = paris(2026, 3, 24, 9)


def test_anonymising_a_bookings_request_blanks_the_booking_too(agenda, resident_user, now, time_machine):
    booking = book(agenda, resident_user, SLOT)
    booking_cancel(booking=booking)  # closes its request

    time_machine.move_to(timezone.now() + datetime.timedelta(days=3 * 366), tick=False)
    assert requests_anonymise_expired() == 1

    booking = Booking.objects.get(pk=booking.pk)
    assert (booking.ants_number, booking.partners, booking.user) == ("", [], None)
    assert booking.motif == "cni" and booking.starts_at == SLOT  # the figures keep what they count
    assert booking.status in (BookingStatus.CANCELLED_BY_USER, BookingStatus.CANCELLED_BY_SERVICE)


def test_the_persons_bookings_are_in_their_download(agenda, resident_user, other_resident, now):
    mine = book(agenda, resident_user, SLOT)
    book(agenda, other_resident, SLOT + datetime.timedelta(minutes=20))

    buffer = io.BytesIO()
    personal_data_zip(user=resident_user, into=buffer)
    data = json.loads(zipfile.ZipFile(buffer).read(JSON_NAME))

    (exported,) = data["applications"]["appointments"]
    assert exported["reference"] == mine.request.reference and exported["numero_ants"] == mine.ants_number


def test_the_privacy_page_lists_what_each_app_keeps_with_the_codes_durations(client, db, settings):
    settings.PORTAL_RETENTION = {**settings.PORTAL_RETENTION, "visit_name_days": 90, "sign_in_log_days": 200}

    page = client.get(reverse("privacy")).content.decode().replace("&#x27;", "'")

    assert "Vos rendez-vous" in page and "partenaires" in page
    assert "Votre passage à l'accueil du Guichet Unique" in page and "90 jours après la visite" in page
    assert "Le journal des connexions" in page and "200 jours, puis il est effacé" in page
