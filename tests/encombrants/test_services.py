"""Booking, amending, cancelling a pickup: the limits of the issue, each bad input with its French message
on its field and nothing saved."""

import datetime

import pytest

from encombrants.models import AddressYear, Closure, DayCapacity, Pickup, PickupStatus
from encombrants.services import DayFull, pickup_amend, pickup_cancel
from requests_app.errors import ServiceError
from requests_app.models import Attachment, Channel, Notification, Request, Status, Street
from tests.accounts.factories import resident
from tests.encombrants.conftest import DAY, paris
from tests.encombrants.helpers import book, photo

pytestmark = pytest.mark.django_db


def _counters():
    return sorted(DayCapacity.objects.values_list("pk", "pickups_booked", "volume_booked"))


def _nothing_saved(counters_before):
    assert Pickup.objects.count() == 0
    assert Request.objects.count() == 0
    assert AddressYear.objects.filter(used__gt=0).count() == 0
    assert [row for row in _counters() if row[1] or row[2]] == [
        row for row in counters_before if row[1] or row[2]
    ]


def _refused(field, *fragments, **kwargs):
    user = kwargs.pop("user")
    before = _counters()
    with pytest.raises(ServiceError) as caught:
        book(user, **kwargs)
    assert caught.value.field == field, caught.value.message
    for fragment in fragments:
        assert fragment in caught.value.message
    _nothing_saved(before)
    return caught.value


def test_a_booking_files_a_request_takes_capacity_and_quota(seeded, resident_user, centre, now):
    pickup = book(resident_user, location_note="Devant le garage", photo=photo())

    assert pickup.sector == centre and pickup.day == DAY
    assert pickup.volume_l == 500 + 2 * 150 and pickup.items_count == 3
    request = pickup.request
    assert request.status == Status.NEW and request.service.kind == "encombrants"
    assert request.street.name == "rue Hoche" and request.street_number == "12"
    counter = DayCapacity.objects.get(sector=centre, day=DAY)
    assert (counter.pickups_booked, counter.volume_booked) == (1, 800)
    assert (counter.pickups_max, counter.volume_max) == (25, 40_000)
    assert AddressYear.objects.get(address_key=pickup.address_key, year=2026).used == 1
    assert Attachment.objects.filter(request=request).count() == 1
    assert Notification.objects.filter(request=request, template="encombrants/confirmed").count() == 1


def test_an_address_outside_bethune_is_refused(seeded, resident_user, now):
    _refused("street", "pas à Béthune", user=resident_user, street=999_999)


def test_a_number_is_required(seeded, resident_user, now):
    _refused("street_number", "numéro", user=resident_user, number="")


@pytest.mark.parametrize(
    ("day", "fragment"),
    [
        (datetime.date(2026, 3, 22), "dimanche"),
        (datetime.date(2026, 4, 6), "férié"),  # Easter Monday
        (datetime.date(2026, 3, 10), "passé"),
        (datetime.date(2026, 3, 16), "passé"),
        (datetime.date(2026, 5, 2), "6 semaines"),
        (datetime.date(2026, 3, 17), "trop tard"),  # cut-off: Monday 16 at noon... passed? no: see below
    ],
)
def test_a_day_that_cannot_be_booked_is_refused(seeded, resident_user, now, day, fragment, time_machine):
    if fragment == "trop tard":
        time_machine.move_to(paris(2026, 3, 16, 12, 0), tick=False)
    _refused("day", fragment, user=resident_user, day=day)


def test_a_closure_is_refused_with_its_reason(seeded, resident_user, now, centre):
    Closure.objects.create(day=DAY, sector=centre, reason="formation des équipes")
    _refused("day", "formation des équipes", user=resident_user)


def test_a_full_day_in_pickups_is_refused(seeded, resident_user, now, centre):
    DayCapacity.objects.create(sector=centre, day=DAY, pickups_max=3, pickups_booked=3, volume_max=40_000)
    error = _refused("day", "complet", user=resident_user)
    assert isinstance(error, DayFull)


def test_a_full_day_in_volume_is_refused(seeded, resident_user, now, centre):
    DayCapacity.objects.create(
        sector=centre, day=DAY, pickups_max=25, pickups_booked=3, volume_max=40_000, volume_booked=39_500
    )
    error = _refused("day", "il reste 0,5 m³", user=resident_user)
    assert isinstance(error, DayFull)


def test_a_refused_item_says_where_to_take_it(seeded, resident_user, now):
    _refused("items", "Pneus", "déchèterie", user=resident_user, quantities={"pneus": 2})


def test_a_refused_item_typed_as_other_says_where_to_take_it(seeded, resident_user, now):
    _refused("other", "Bouteilles de gaz", "déchèterie", user=resident_user, other="une bouteille de gaz")


def test_objects_in_good_state_go_to_the_ressourcerie(seeded, resident_user, now):
    _refused("other", "ressourcerie", user=resident_user, other="armoire en bon état")


def test_over_an_items_maximum_is_refused(seeded, resident_user, now):
    _refused("item_canape", "Au plus 1 « Canapé »", user=resident_user, quantities={"canape": 2})


def test_over_ten_items_is_refused(seeded, resident_user, now):
    _refused(
        "items",
        "au plus 10 objets",
        user=resident_user,
        quantities={"chaise": 6, "velo": 2, "tapis": 2, "table": 1},
    )


def test_over_three_cubic_metres_is_refused(seeded, resident_user, now):
    _refused(
        "items",
        "au plus 3 m³",
        "4,1 m³",
        user=resident_user,
        quantities={"canape": 1, "armoire": 1, "matelas": 2, "fauteuil": 1},
    )


def test_no_item_is_refused(seeded, resident_user, now):
    _refused("items", "au moins un objet", user=resident_user, quantities={})


def test_a_location_note_over_250_characters_is_refused(seeded, resident_user, now):
    _refused("location_note", "250 caractères", user=resident_user, location_note="x" * 251)


def test_a_photo_that_is_not_an_image_is_refused(seeded, resident_user, now):
    pdf = photo("canape.png", b"%PDF-1.4\n%%EOF\n" * 10, "application/pdf")
    _refused("photo", "n'est pas une photo", user=resident_user, photo=pdf)
    _refused("photo", "n'est pas une photo", user=resident_user, photo=photo("x.jpg", b"hello world" * 10))


def test_the_yearly_quota_of_an_address_says_from_when(seeded, resident_user, now):
    for day in (19, 20, 21, 23):
        book(resident(), day=datetime.date(2026, 3, day))
    with pytest.raises(ServiceError) as caught:
        book(resident_user, day=datetime.date(2026, 3, 24))
    assert caught.value.field == "street"
    assert "1er janvier 2027" in caught.value.message and "au plus 4 par an" in caught.value.message
    assert Pickup.objects.count() == 4
    # Another number in the same street is another address.
    assert book(resident_user, number="14", day=datetime.date(2026, 3, 24)).pk


def test_a_cancelled_pickup_gives_its_quota_and_place_back(seeded, resident_user, now, centre):
    pickup = book(resident_user)

    pickup_cancel(pickup=pickup, actor=resident_user)

    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.CANCELLED
    assert pickup.request.status == Status.CANCELLED
    counter = DayCapacity.objects.get(sector=centre, day=DAY)
    assert (counter.pickups_booked, counter.volume_booked) == (0, 0)
    assert AddressYear.objects.get(address_key=pickup.address_key).used == 0


def test_cancelling_after_the_cut_off_is_refused(seeded, resident_user, now, time_machine):
    pickup = book(resident_user)
    time_machine.move_to(paris(2026, 3, 18, 12, 0), tick=False)
    with pytest.raises(ServiceError) as caught:
        pickup_cancel(pickup=pickup, actor=resident_user)
    assert caught.value.code == "cutoff" and "trop tard" in caught.value.message
    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.BOOKED


def test_an_agent_cancels_on_behalf_after_the_cut_off_with_the_channel(
    seeded, resident_user, crew, now, time_machine
):
    pickup = book(resident_user)
    time_machine.move_to(paris(2026, 3, 18, 15, 0), tick=False)
    pickup_cancel(pickup=pickup, actor=crew, by_agent=True, channel=Channel.PHONE)
    pickup.request.refresh_from_db()
    assert pickup.request.status == Status.CANCELLED
    assert "téléphone" in pickup.request.messages.get().body.lower()


def test_amending_on_the_same_day_keeps_the_place_on_a_full_day(seeded, resident_user, now, centre):
    pickup = book(resident_user)
    DayCapacity.objects.filter(sector=centre, day=DAY).update(pickups_max=1)  # the day is now full

    amended = pickup_amend(pickup=pickup, quantities={"matelas": 2, "sommier": 1})

    assert amended.day == DAY and amended.volume_l == 1500 and amended.amend_count == 1
    counter = DayCapacity.objects.get(sector=centre, day=DAY)
    assert (counter.pickups_booked, counter.volume_booked) == (1, 1500)
    assert Notification.objects.filter(template="encombrants/amended").count() == 1


def test_amending_to_another_day_moves_the_place(seeded, resident_user, now, centre):
    pickup = book(resident_user)
    other = datetime.date(2026, 3, 21)  # a Saturday

    pickup_amend(pickup=pickup, quantities={"matelas": 1}, day=other)

    pickup.refresh_from_db()
    assert pickup.day == other
    assert DayCapacity.objects.get(sector=centre, day=DAY).pickups_booked == 0
    assert DayCapacity.objects.get(sector=centre, day=other).volume_booked == 500


def test_amending_to_a_full_day_changes_nothing(seeded, resident_user, now, centre):
    pickup = book(resident_user)
    other = datetime.date(2026, 3, 21)
    DayCapacity.objects.create(sector=centre, day=other, pickups_max=1, pickups_booked=1, volume_max=40_000)
    with pytest.raises(DayFull):
        pickup_amend(pickup=pickup, quantities={"matelas": 1}, day=other)
    pickup.refresh_from_db()
    assert pickup.day == DAY and pickup.volume_l == 800 and pickup.lines.count() == 2


def test_amending_after_the_cut_off_is_refused(seeded, resident_user, now, time_machine):
    pickup = book(resident_user)
    time_machine.move_to(paris(2026, 3, 18, 12, 1), tick=False)
    with pytest.raises(ServiceError) as caught:
        pickup_amend(pickup=pickup, quantities={"matelas": 1})
    assert caught.value.code == "cutoff"


def test_an_agent_books_for_someone_without_account(seeded, crew, now):
    from encombrants.services import Contact

    pickup = book(
        None,
        contact=Contact(name="Mme Lemaire", phone="03 21 00 00 00"),
        channel=Channel.PHONE,
        created_by=crew,
    )
    assert pickup.request.channel == Channel.PHONE and pickup.request.created_by == crew
    assert pickup.user is None


def test_a_street_without_sector_is_refused(seeded, resident_user, now):
    from encombrants.models import QuartierSector

    street = Street.objects.get(name="rue Hoche")
    QuartierSector.objects.filter(quartier=street.quartier).delete()
    _refused("street", "aucun secteur", user=resident_user)
