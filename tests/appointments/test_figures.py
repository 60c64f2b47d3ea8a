"""Figures for the dashboards, checked against hand-counted bookings."""

import datetime

import pytest

from appointments.models import Booking, BookingStatus, Motif, Slot
from appointments.selectors import booking_figures, pacs_registered
from requests_app.models import Request, Status
from tests.appointments.conftest import paris

pytestmark = pytest.mark.django_db


def _booking(agenda, start, status, n=[0]):  # noqa: B006  (a counter for unique references)
    n[0] += 1
    request = Request.objects.create(
        service=agenda.service,
        espace=agenda.service.espace,
        status=Status.NEW,
        is_open=True,
        reference=f"BET-2026-9{n[0]:05d}",
    )
    slot, _ = Slot.objects.get_or_create(
        agenda=agenda, starts_at=start, defaults={"ends_at": start, "seats": 5, "booked": 0}
    )
    return Booking.objects.create(
        request=request, agenda=agenda, slot=slot, starts_at=start, motif=agenda.motif, status=status
    )


def test_bookings_honoured_and_no_shows_per_motif_and_iso_week(agenda, pacs_agenda):
    # Week 13 of 2026 (23-29 March): CNI 4 bookings (2 honoured, 1 no-show, 1 cancelled), PACS 2 (1 honoured).
    _booking(agenda, paris(2026, 3, 23, 9), BookingStatus.HONOURED)
    _booking(agenda, paris(2026, 3, 24, 9), BookingStatus.HONOURED)
    _booking(agenda, paris(2026, 3, 25, 9), BookingStatus.NO_SHOW)
    _booking(agenda, paris(2026, 3, 27, 16), BookingStatus.CANCELLED_BY_USER)
    _booking(pacs_agenda, paris(2026, 3, 24, 14), BookingStatus.HONOURED)
    _booking(pacs_agenda, paris(2026, 3, 26, 14), BookingStatus.BOOKED)
    # Sunday 29 March 23:30 in Paris is still week 13 (21:30 UTC); Monday 30 March 00:30 is week 14.
    _booking(agenda, paris(2026, 3, 29, 23, 30), BookingStatus.BOOKED)
    _booking(agenda, paris(2026, 3, 30, 0, 30), BookingStatus.NO_SHOW)
    # Outside the range asked.
    _booking(agenda, paris(2026, 4, 20, 9), BookingStatus.HONOURED)

    figures = booking_figures(start=datetime.date(2026, 3, 23), end=datetime.date(2026, 4, 5))

    rows = {
        (row.motif, row.week): (row.bookings, row.honoured, row.no_shows, row.cancelled) for row in figures
    }
    assert rows == {
        (Motif.CNI, "2026-W13"): (5, 2, 1, 1),
        (Motif.PACS, "2026-W13"): (2, 1, 0, 0),
        (Motif.CNI, "2026-W14"): (1, 0, 1, 0),
    }
    assert figures[0].week_start == datetime.date(2026, 3, 23)


def test_pacs_registered_counts_honoured_pacs_bookings_only(agenda, pacs_agenda):
    _booking(pacs_agenda, paris(2026, 3, 24, 14), BookingStatus.HONOURED)
    _booking(pacs_agenda, paris(2026, 3, 31, 14), BookingStatus.HONOURED)
    _booking(pacs_agenda, paris(2026, 4, 7, 14), BookingStatus.NO_SHOW)
    _booking(pacs_agenda, paris(2026, 4, 14, 14), BookingStatus.CANCELLED_BY_SERVICE)
    _booking(agenda, paris(2026, 3, 24, 9), BookingStatus.HONOURED)
    _booking(pacs_agenda, paris(2027, 1, 5, 14), BookingStatus.HONOURED)

    assert pacs_registered(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)) == 2
