"""Writes of the encombrants app. A pickup is a spine Request (filed by requests_app.services with the
encombrants service) extended by a Pickup row and its lines; every change moves the request along the
spine's status machine or records one of this app's events, with the app's `Owner`.

Races are settled by the database:
- the day's capacity (pickups and litres) is taken by one conditional UPDATE on the (day, sector) counter
  row, under two CHECK constraints: its row count says who won the last place or the last m³;
- the yearly quota of an address is taken the same way on its (address, year) row (`used < quota`);
- a pickup changes under a row lock on itself (cancel and amend at once cannot both release its place).
Counter rows are created before the booking transaction, in their own short one, so racing bookings all
update one committed row.

The package: checks.py (input), capacity.py (counters), booking.py (book, amend, cancel), crew.py (outcomes,
missed collections), reminders.py."""

from encombrants.services.booking import cutoff_passed, pickup_amend, pickup_book, pickup_cancel
from encombrants.services.capacity import capacity_ensure, pickup_service, quota_ensure
from encombrants.services.checks import (
    GUICHET_PHONE,
    LOCATION_NOTE_MAX,
    MISSED_SERVICE,
    NUMBER_PATTERN,
    PHOTO_TYPES,
    Address,
    Basket,
    Contact,
    DayFull,
    address_check,
    basket_check,
    day_check,
    fold,
    note_check,
    photo_check,
    refused_for,
)
from encombrants.services.crew import (
    config_missed_days,
    missed_report_deadline,
    missed_report_open,
    pickup_missed_report,
    pickup_outcome_record,
)
from encombrants.services.reminders import pickup_remind, reminders_due

__all__ = [
    "Address",
    "Basket",
    "Contact",
    "DayFull",
    "GUICHET_PHONE",
    "LOCATION_NOTE_MAX",
    "MISSED_SERVICE",
    "NUMBER_PATTERN",
    "PHOTO_TYPES",
    "address_check",
    "basket_check",
    "capacity_ensure",
    "config_missed_days",
    "cutoff_passed",
    "day_check",
    "fold",
    "missed_report_deadline",
    "missed_report_open",
    "note_check",
    "photo_check",
    "pickup_amend",
    "pickup_book",
    "pickup_cancel",
    "pickup_missed_report",
    "pickup_outcome_record",
    "pickup_remind",
    "pickup_service",
    "quota_ensure",
    "refused_for",
    "reminders_due",
]
