"""Dates typed by people (query strings, saved filters, forms), parsed within sane bounds.

`date.fromisoformat` accepts every year from 1 to 9999, and the arithmetic done next with such a day
overflows: the day after 9999-12-31 raises OverflowError, 0001-01-01 at local midnight cannot be converted
to UTC on SQLite. No date the portal handles falls outside 1900–2100, so anything outside is refused like a
malformed date: the caller gets None and says so, never a 500.
"""

import datetime

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)

# ISO first (what <input type="date"> sends), then the French spelling typed where there is no date picker.
_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def date_in_bounds(day: datetime.date, *, earliest: datetime.date = EARLIEST, latest: datetime.date = LATEST):
    return earliest <= day <= latest


def parse_date(
    value: str | None, *, earliest: datetime.date = EARLIEST, latest: datetime.date = LATEST
) -> datetime.date | None:
    """A day from "2026-03-24" or "24/03/2026"; None when empty, malformed or outside [earliest, latest]."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if len(value) > 10:  # the longest accepted spelling: 2026-03-24 or 24/03/2026
        return None
    day = None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        for pattern in _FORMATS:
            try:
                day = datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a day, no time)
                break
            except ValueError:
                continue
    if day is None or not date_in_bounds(day, earliest=earliest, latest=latest):
        return None
    return day
