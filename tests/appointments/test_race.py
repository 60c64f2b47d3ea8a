"""The seat count is settled by the database: 20+ connections racing for the last seat of a slot get
exactly one booking, whatever the interleaving (PostgreSQL, each thread on its own connection)."""

import pytest

from appointments.models import Booking, Slot
from appointments.services import SlotTaken
from requests_app.models import Request
from tests.accounts.factories import resident
from tests.appointments.conftest import paris
from tests.appointments.helpers import book
from tests.races import errors, race

RACERS = 24
SLOT = paris(2026, 3, 24, 9)


def _race(agenda, users) -> tuple[list, list]:
    """(booking ids won, users told the slot is taken)."""
    outcomes = race(lambda i: book(agenda, users[i], SLOT).pk, times=len(users))
    unexpected = errors(outcomes, expected=(SlotTaken,))
    assert not unexpected, unexpected
    won = [o.value for o in outcomes if o.ok]
    lost = [users[o.index].pk for o in outcomes if isinstance(o.error, SlotTaken)]
    return won, lost


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_connections_for_the_last_seat_get_exactly_one_booking(agenda, now):
    book(agenda, resident(email="premier@example.fr"), SLOT)  # one of the two seats is already taken
    users = [resident(email=f"concurrent{n}@example.fr") for n in range(RACERS)]

    won, lost = _race(agenda, users)

    assert len(won) == 1 and len(lost) == RACERS - 1
    assert Slot.objects.get(agenda=agenda, starts_at=SLOT).booked == 2
    assert Booking.objects.count() == 2 and Request.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_connections_on_a_slot_nobody_booked_yet_fill_it_exactly(agenda, now):
    users = [resident(email=f"rapide{n}@example.fr") for n in range(RACERS)]

    won, lost = _race(agenda, users)

    assert len(won) == agenda.seats and len(lost) == RACERS - agenda.seats
    assert Slot.objects.filter(agenda=agenda).count() == 1
    assert Slot.objects.get(agenda=agenda, starts_at=SLOT).booked == agenda.seats
