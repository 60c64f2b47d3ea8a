"""Slot generation: opening periods (the site's or the agenda's), public holidays, closures, the booking
window, and daylight-saving changes (wall-clock times in Europe/Paris, whatever the UTC offset)."""

import datetime

import pytest

from appointments.models import Closure, Slot
from appointments.slots import day_slots, month_calendar, nearest_free, parse_day, parse_slot, slot_check
from requests_app.errors import ServiceError
from tests.appointments.conftest import paris

pytestmark = pytest.mark.django_db


def _times(slots) -> list[str]:
    return [f"{view.starts_at:%H:%M}" for view in slots]


def test_a_monday_follows_the_sites_non_stop_hours(agenda, now):
    slots = day_slots(agenda, datetime.date(2026, 3, 23))

    # Monday 9:00-19:30 in 20-minute slots: 9:00 … 19:00 (19:20 would end after closing).
    assert _times(slots)[0] == "09:00"
    assert _times(slots)[-1] == "19:00"
    assert len(slots) == 31
    assert all(view.free == 2 for view in slots)


def test_a_tuesday_has_a_morning_and_an_afternoon_period(agenda, now):
    times = _times(day_slots(agenda, datetime.date(2026, 3, 24)))

    assert times[:2] == ["09:00", "09:20"]
    assert "12:00" in times and "12:20" not in times  # 12:20 would end at 12:40, after 12:30
    assert "12:40" not in times and "13:40" not in times
    assert times[-1] == "16:40"
    assert len(times) == 10 + 9


def test_weekends_have_no_slot(agenda, now):
    assert day_slots(agenda, datetime.date(2026, 3, 21)) == []
    assert day_slots(agenda, datetime.date(2026, 3, 22)) == []


def test_an_agenda_with_its_own_periods_ignores_the_site_hours(pacs_agenda, now):
    assert _times(day_slots(pacs_agenda, datetime.date(2026, 3, 24))) == ["14:00", "14:45", "15:30", "16:15"]
    assert day_slots(pacs_agenda, datetime.date(2026, 3, 23)) == []  # Monday: not a PACS day


def test_public_holidays_are_closed(agenda, now):
    # Easter Monday 2026 is 6 April; 1 and 8 May are Fridays.
    assert day_slots(agenda, datetime.date(2026, 4, 6)) == []
    assert day_slots(agenda, datetime.date(2026, 5, 1)) == []
    assert day_slots(agenda, datetime.date(2026, 5, 8)) == []
    assert day_slots(agenda, datetime.date(2026, 4, 7)) != []


def test_an_ad_hoc_closure_removes_the_slots_it_overlaps(agenda, hdv, now):
    Closure.objects.create(
        site=hdv,
        starts_at=paris(2026, 3, 24, 14),
        ends_at=paris(2026, 3, 24, 17),
        reason="Formation des agents",
    )

    times = _times(day_slots(agenda, datetime.date(2026, 3, 24)))

    assert times[-1] == "12:00"
    assert len(times) == 10


def test_a_closure_of_another_agenda_leaves_this_one_open(agenda, pacs_agenda, hdv, now):
    Closure.objects.create(
        site=hdv,
        agenda=pacs_agenda,
        starts_at=paris(2026, 3, 24, 0),
        ends_at=paris(2026, 3, 25, 0),
        reason="Officier d'état civil absent",
    )

    assert day_slots(pacs_agenda, datetime.date(2026, 3, 24)) == []
    assert len(day_slots(agenda, datetime.date(2026, 3, 24))) == 19


def test_the_booking_window_bounds_the_slots(agenda, now):
    # Now is Monday 16 March 10:00; 24 hours minimum: Tuesday from 10:00; 60 days maximum: 15 May.
    tuesday = _times(day_slots(agenda, datetime.date(2026, 3, 17)))
    assert tuesday[0] == "10:00"
    assert day_slots(agenda, datetime.date(2026, 3, 16)) == []
    assert day_slots(agenda, datetime.date(2026, 5, 15)) != []
    assert day_slots(agenda, datetime.date(2026, 5, 18)) == []


def test_booked_seats_are_counted_in_the_free_seats(agenda, now):
    Slot.objects.create(
        agenda=agenda, starts_at=paris(2026, 3, 23, 9), ends_at=paris(2026, 3, 23, 9, 20), seats=2, booked=1
    )
    Slot.objects.create(
        agenda=agenda,
        starts_at=paris(2026, 3, 23, 9, 20),
        ends_at=paris(2026, 3, 23, 9, 40),
        seats=2,
        booked=2,
    )

    slots = day_slots(agenda, datetime.date(2026, 3, 23))

    assert slots[0].free == 1
    assert slots[1].free == 0


@pytest.mark.parametrize(
    ("frozen", "monday", "utc_hour"),
    [
        # Spring: last Sunday of March 2026 is the 29th; Monday 30th is in summer time (UTC+2).
        (paris(2026, 3, 25, 8), datetime.date(2026, 3, 30), 7),
        # Autumn: last Sunday of October 2026 is the 25th; Monday 26th is back in winter time (UTC+1).
        (paris(2026, 10, 21, 8), datetime.date(2026, 10, 26), 8),
    ],
)
def test_slots_keep_their_wall_clock_time_across_daylight_saving_changes(
    agenda, time_machine, frozen, monday, utc_hour
):
    time_machine.move_to(frozen, tick=False)
    friday_before = monday - datetime.timedelta(days=3)

    after = day_slots(agenda, monday)
    before = day_slots(agenda, friday_before)

    assert _times(after)[0] == _times(before)[0] == "09:00"
    assert len(after) == 31  # a Monday is a Monday: the 23- or 25-hour Sunday changes nothing
    assert after[0].starts_at.astimezone(datetime.UTC).hour == utc_hour
    assert before[0].starts_at.utcoffset() != after[0].starts_at.utcoffset()
    assert all(
        b.starts_at - a.starts_at == datetime.timedelta(minutes=20)
        for a, b in zip(after, after[1:], strict=False)
    )


def test_a_slot_booked_across_the_change_is_found_again_by_its_counter(agenda, time_machine):
    time_machine.move_to(paris(2026, 10, 21, 8), tick=False)
    Slot.objects.create(
        agenda=agenda, starts_at=paris(2026, 10, 26, 9), ends_at=paris(2026, 10, 26, 9, 20), seats=2, booked=2
    )

    assert day_slots(agenda, datetime.date(2026, 10, 26))[0].free == 0


def test_the_month_calendar_counts_free_slots_per_day(agenda, hdv, now):
    Closure.objects.create(
        site=hdv, starts_at=paris(2026, 3, 26, 0), ends_at=paris(2026, 3, 27, 0), reason="Grève"
    )
    Slot.objects.create(
        agenda=agenda, starts_at=paris(2026, 3, 24, 9), ends_at=paris(2026, 3, 24, 9, 20), seats=2, booked=2
    )

    weeks = month_calendar(agenda, 2026, 3)
    days = {cell.day: cell for week in weeks for cell in week}

    assert len(weeks[0]) == 7 and weeks[0][0].day == datetime.date(2026, 2, 23)  # Monday first
    assert not days[datetime.date(2026, 2, 23)].in_month
    assert days[datetime.date(2026, 3, 16)].free_slots == 0  # today: within the minimum delay
    assert days[datetime.date(2026, 3, 23)].free_slots == 31
    assert days[datetime.date(2026, 3, 24)].free_slots == 18
    assert days[datetime.date(2026, 3, 26)].free_slots == 0 and not days[datetime.date(2026, 3, 26)].available
    assert days[datetime.date(2026, 3, 28)].free_slots == 0  # Saturday


def test_the_month_calendar_takes_a_bounded_number_of_queries(agenda, now, django_assert_max_num_queries):
    agenda = type(agenda).objects.get(pk=agenda.pk)
    with django_assert_max_num_queries(4):
        month_calendar(agenda, 2026, 4)


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (paris(2026, 3, 13, 9), "past"),
        (paris(2026, 3, 16, 14), "too_soon"),
        (paris(2026, 6, 1, 9), "too_late"),
        (paris(2026, 4, 6, 9), "holiday"),
        (paris(2026, 3, 24, 13), "closed_hours"),
        (paris(2026, 3, 23, 9, 10), "closed_hours"),  # between two slots
        (paris(2026, 3, 21, 10), "closed_hours"),  # Saturday
    ],
)
def test_slot_check_says_why_a_slot_cannot_be_booked(agenda, now, start, code):
    with pytest.raises(ServiceError) as error:
        slot_check(agenda, start)

    assert error.value.code == code
    assert error.value.message


def test_slot_check_refuses_a_closure_with_its_reason(agenda, hdv, now):
    Closure.objects.create(
        site=hdv,
        starts_at=paris(2026, 3, 24, 0),
        ends_at=paris(2026, 3, 25, 0),
        reason="Travaux dans le hall",
    )

    with pytest.raises(ServiceError, match="Travaux dans le hall") as error:
        slot_check(agenda, paris(2026, 3, 24, 9))
    assert error.value.code == "closure"


def test_slot_check_accepts_a_bookable_slot(agenda, now):
    assert slot_check(agenda, paris(2026, 3, 24, 9, 20)) == (
        paris(2026, 3, 24, 9, 20),
        paris(2026, 3, 24, 9, 40),
    )


def test_nearest_free_slots_are_the_closest_in_time(agenda, now):
    Slot.objects.create(
        agenda=agenda, starts_at=paris(2026, 3, 24, 10), ends_at=paris(2026, 3, 24, 10, 20), seats=2, booked=2
    )

    nearest = nearest_free(agenda, paris(2026, 3, 24, 10), limit=2)

    assert [view.starts_at for view in nearest] == [paris(2026, 3, 24, 9, 40), paris(2026, 3, 24, 10, 20)]


def test_parse_slot_refuses_naive_or_malformed_values():
    assert parse_slot("2026-03-24T09:00:00+01:00") == paris(2026, 3, 24, 9)
    assert parse_slot("2026-03-24T09:00:00") is None
    assert parse_slot("demain") is None


def test_parse_slot_and_parse_day_refuse_dates_out_of_range(now):
    # Valid ISO values that Europe/Paris cannot hold, or too far from today for any agenda: None, no error.
    assert parse_slot("9999-12-31T23:59:00-05:00") is None
    assert parse_slot("0001-01-01T00:00:00+01:00") is None
    assert parse_slot("2029-03-24T09:00:00+01:00") is None
    assert parse_day("9999-12-31") is None and parse_day("0001-01-01") is None
    assert parse_day("2028-03-01") == datetime.date(2028, 3, 1)
    assert parse_day("2026-02-30") is None and parse_day(None) is None
