"""The encombrants app's part in the RGPD duties (its registration's PersonalData): a pickup's own personal
fields go when the spine anonymises its request, and the person's pickups are in their download."""

import datetime
import io
import json
import zipfile

from django.utils import timezone

from encombrants.models import Pickup, PickupStatus
from encombrants.services import pickup_outcome_record
from requests_app.personal_data import JSON_NAME, personal_data_zip
from requests_app.services.retention import requests_anonymise_expired
from tests.encombrants.conftest import paris
from tests.encombrants.helpers import book, photo


def test_anonymising_a_pickups_request_blanks_the_pickup_too(seeded, resident_user, crew, now, time_machine):
    pickup = book(resident_user, location_note="Derrière le portail vert", number="12")
    time_machine.move_to(paris(2026, 3, 19, 14), tick=False)  # the crew passes on the day
    pickup_outcome_record(
        pickup=pickup, agent=crew, outcome=PickupStatus.COLLECTED, note="Portail ouvert", photo=photo()
    )
    pickup = Pickup.objects.get(pk=pickup.pk)
    assert pickup.request.closed_at is not None and pickup.outcome_photo

    time_machine.move_to(timezone.now() + datetime.timedelta(days=3 * 366), tick=False)
    assert requests_anonymise_expired() == 1

    pickup = Pickup.objects.get(pk=pickup.pk)
    assert (pickup.street_number, pickup.location_note, pickup.outcome_note, pickup.user) == (
        "",
        "",
        "",
        None,
    )
    assert not pickup.outcome_photo
    assert pickup.street.name == "rue Hoche" and pickup.volume_l > 0  # the figures keep what they count


def test_the_persons_pickups_are_in_their_download(seeded, resident_user, other_resident, now):
    mine = book(resident_user, location_note="Devant le garage")
    book(other_resident, number="14")

    buffer = io.BytesIO()
    personal_data_zip(user=resident_user, into=buffer)
    data = json.loads(zipfile.ZipFile(buffer).read(JSON_NAME))

    (exported,) = data["applications"]["encombrants"]
    assert (
        exported["reference"] == mine.request.reference
        and exported["ou_sont_les_objets"] == "Devant le garage"
    )
