"""Capacity and quota are settled by the database: 24 connections racing for the last place of a day get
exactly one pickup; racing for the last m³ never exceeds the volume; two bookings for one address when
one pickup remains get exactly one (PostgreSQL, each thread on its own connection)."""

import datetime

import pytest

from encombrants.models import AddressYear, DayCapacity, Pickup, Sector
from encombrants.seed import encombrants_seed
from encombrants.services import DayFull
from requests_app.catalogue_seed import catalogue_seed
from requests_app.errors import ServiceError
from requests_app.models import Request, Street
from tests.accounts.factories import resident
from tests.encombrants.conftest import DAY
from tests.encombrants.helpers import book
from tests.races import errors, race

RACERS = 24


def _setup():
    catalogue_seed()
    encombrants_seed()
    return Sector.objects.get(code="centre"), Street.objects.get(name="rue Hoche")


@pytest.mark.postgres
def test_racing_for_the_last_place_of_a_day_gets_exactly_one_pickup(
    transactional_db, django_db_serialized_rollback, now
):
    sector, street = _setup()
    DayCapacity.objects.create(sector=sector, day=DAY, pickups_max=3, pickups_booked=2, volume_max=40_000)
    users = [resident(email=f"course{n}@example.fr") for n in range(RACERS)]

    # Each racer at its own address (another number): only the day's capacity is contended.
    outcomes = race(lambda i: book(users[i], street=street, number=str(i + 1)).pk, times=RACERS)

    assert errors(outcomes, expected=(DayFull,)) == []
    assert len([o for o in outcomes if o.ok]) == 1
    counter = DayCapacity.objects.get(sector=sector, day=DAY)
    assert counter.pickups_booked == 3
    assert Pickup.objects.count() == 1 and Request.objects.count() == 1
    assert AddressYear.objects.filter(used=1).count() == 1


@pytest.mark.postgres
def test_racing_for_the_last_cubic_metres_never_exceeds_the_volume(
    transactional_db, django_db_serialized_rollback, now
):
    sector, street = _setup()
    # 2 m³ left, each racer brings 0.8 m³ (a matelas and two chairs): two fit, the third would overflow.
    DayCapacity.objects.create(
        sector=sector, day=DAY, pickups_max=25, volume_max=40_000, volume_booked=38_000
    )
    users = [resident(email=f"volume{n}@example.fr") for n in range(RACERS)]

    outcomes = race(lambda i: book(users[i], street=street, number=str(i + 1)).pk, times=RACERS)

    assert errors(outcomes, expected=(DayFull,)) == []
    assert len([o for o in outcomes if o.ok]) == 2
    counter = DayCapacity.objects.get(sector=sector, day=DAY)
    assert counter.volume_booked == 39_600 and counter.pickups_booked == 2
    assert Pickup.objects.count() == 2


@pytest.mark.postgres
def test_two_bookings_for_one_address_when_one_remains_get_exactly_one(
    transactional_db, django_db_serialized_rollback, now
):
    _sector, street = _setup()
    first = resident(email="occupant@example.fr")
    for day in (20, 21, 23):  # three of the four pickups of 2026 already booked at 12 rue Hoche
        book(first, street=street, day=datetime.date(2026, 3, day))
    users = [resident(email=f"voisin{n}@example.fr") for n in range(2)]

    outcomes = race(lambda i: book(users[i], street=street).pk, times=2)

    assert errors(outcomes, expected=(ServiceError,)) == []
    assert len([o for o in outcomes if o.ok]) == 1
    refused = [o.error for o in outcomes if o.error is not None]
    assert refused[0].code == "quota" and "1er janvier 2027" in refused[0].message
    assert AddressYear.objects.get(year=2026).used == 4
    assert Pickup.objects.count() == 4
