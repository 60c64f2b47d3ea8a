"""Slot generation: slots are computed from an agenda's opening periods, never stored for the whole
future; only their seat counters (Slot rows) exist, created when first booked.

Times are wall-clock times in Europe/Paris, turned into aware datetimes day by day: a Monday slot at
9:00 is at 9:00 whether that Monday follows the spring or the autumn daylight-saving change (07:00 or
08:00 UTC). Arithmetic on aware datetimes sharing one ZoneInfo is wall-clock arithmetic, then
normalised through UTC so a non-existent or ambiguous local time can never be produced silently."""

import calendar
import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from appointments.models import Agenda, AgendaOpening, Closure, Slot
from requests_app.errors import ServiceError
from requests_app.models import OpeningPeriod
from requests_app.workdays import is_public_holiday

PARIS = ZoneInfo(settings.TIME_ZONE)
UTC = datetime.UTC


@dataclass(frozen=True)
class SlotView:
    starts_at: datetime.datetime  # aware, Europe/Paris
    ends_at: datetime.datetime
    seats: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.seats - self.booked)

    @property
    def value(self) -> str:
        """How a slot travels in forms and links: its local ISO time with the offset."""
        return self.starts_at.isoformat()


def local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(PARIS)


def _wall(day: datetime.date, time: datetime.time) -> datetime.datetime:
    # Through UTC and back: a wall time in the spring gap (02:30 on the last Sunday of March) would
    # otherwise stay an impossible time; normalised it becomes 03:30, which the hours never contain.
    return datetime.datetime.combine(day, time, tzinfo=PARIS).astimezone(UTC).astimezone(PARIS)


def opening_periods(agenda: Agenda) -> dict[int, list[tuple[datetime.time, datetime.time]]]:
    """The agenda's periods by weekday, or its site's opening hours when it defines none (one query
    each; cached on the agenda instance for the month calendar)."""
    cached = getattr(agenda, "_periods_cache", None)
    if cached is not None:
        return cached
    rows = list(AgendaOpening.objects.filter(agenda=agenda).values_list("weekday", "opens", "closes"))
    if not rows:
        rows = list(
            OpeningPeriod.objects.filter(site_id=agenda.site_id).values_list("weekday", "opens", "closes")
        )
    periods: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for weekday, opens, closes in sorted(rows):
        periods.setdefault(weekday, []).append((opens, closes))
    agenda._periods_cache = periods
    return periods


def closures_between(
    agenda: Agenda, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime, str]]:
    rows = Closure.objects.filter(
        Q(agenda__isnull=True) | Q(agenda=agenda),
        site_id=agenda.site_id,
        starts_at__lt=end,
        ends_at__gt=start,
    )
    return list(rows.values_list("starts_at", "ends_at", "reason"))


def _generated(agenda: Agenda, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Every slot the opening periods give on `day`, closures and booking window aside."""
    step = datetime.timedelta(minutes=agenda.slot_minutes)
    result = []
    for opens, closes in opening_periods(agenda).get(day.weekday(), []):
        start, end = _wall(day, opens), _wall(day, closes)
        while start + step <= end:
            result.append((start, start + step))
            start = local(start + step)
    return result


def window(agenda: Agenda, now: datetime.datetime) -> tuple[datetime.datetime, datetime.date]:
    """The first bookable start (now + minimum delay) and the last bookable day (today + maximum delay)."""
    return now + datetime.timedelta(hours=agenda.min_delay_hours), (
        timezone.localdate(now) + datetime.timedelta(days=agenda.max_delay_days)
    )


def _counters(
    agenda: Agenda, start: datetime.datetime, end: datetime.datetime
) -> dict[datetime.datetime, tuple]:
    rows = Slot.objects.filter(agenda=agenda, starts_at__gte=start, starts_at__lt=end).values_list(
        "starts_at", "seats", "booked"
    )
    return {starts_at: (seats, booked) for starts_at, seats, booked in rows}


def slots_between(
    agenda: Agenda,
    first: datetime.date,
    last: datetime.date,
    *,
    now: datetime.datetime | None = None,
    ignore_min_delay: bool = False,
) -> dict[datetime.date, list[SlotView]]:
    """Bookable slots from `first` to `last` (inclusive), by day, with their free seats: within the
    booking window, outside public holidays and closures. Two queries whatever the range (counters and
    closures), plus the opening periods once per agenda instance."""
    now = now or timezone.now()
    earliest, last_day = window(agenda, now)
    if ignore_min_delay:
        earliest = now
    last = min(last, last_day)
    if last < first:
        return {}
    range_start = _wall(first, datetime.time.min)
    range_end = _wall(last + datetime.timedelta(days=1), datetime.time.min)
    counters = _counters(agenda, range_start, range_end)
    closures = closures_between(agenda, range_start, range_end)
    days: dict[datetime.date, list[SlotView]] = {}
    day = first
    while day <= last:
        if not is_public_holiday(day):
            views = []
            for start, end in _generated(agenda, day):
                if start < earliest:
                    continue
                if any(c_start < end and c_end > start for c_start, c_end, _reason in closures):
                    continue
                seats, booked = counters.get(start, (agenda.seats, 0))
                views.append(SlotView(start, end, seats, booked))
            if views:
                days[day] = views
        day += datetime.timedelta(days=1)
    return days


def day_slots(
    agenda: Agenda,
    day: datetime.date,
    *,
    now: datetime.datetime | None = None,
    ignore_min_delay: bool = False,
) -> list[SlotView]:
    return slots_between(agenda, day, day, now=now, ignore_min_delay=ignore_min_delay).get(day, [])


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    in_month: bool
    free_slots: int  # slots with at least `people` free seats

    @property
    def available(self) -> bool:
        return self.in_month and self.free_slots > 0


def month_calendar(
    agenda: Agenda, year: int, month: int, *, now: datetime.datetime | None = None, people: int = 1
) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) of days, each with its number of slots still free."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    by_day = slots_between(agenda, first, last, now=now)
    return [
        [
            CalendarDay(
                day,
                day.month == month,
                sum(1 for view in by_day.get(day, []) if view.free >= people) if day.month == month else 0,
            )
            for day in week
        ]
        for week in weeks
    ]


def slot_check(
    agenda: Agenda,
    starts_at: datetime.datetime,
    *,
    now: datetime.datetime | None = None,
    ignore_min_delay: bool = False,
) -> tuple[datetime.datetime, datetime.datetime]:
    """That `starts_at` is a slot one may book now; returns (start, end) or raises a ServiceError saying
    why not, in French: past, within the minimum delay, beyond the window, on a public holiday or a
    closure, or outside the opening periods. Agents booking for someone at the counter or on the phone
    may book within the minimum delay (`ignore_min_delay`), never in the past."""
    now = now or timezone.now()
    if starts_at.tzinfo is None:
        raise ServiceError("Ce créneau n'existe pas.", field="slot", code="invalid")
    start = local(starts_at)
    day = start.date()
    if start <= now:
        raise ServiceError(
            "Ce créneau est déjà passé : choisissez un autre créneau.", field="slot", code="past"
        )
    earliest, last_day = window(agenda, now)
    if start < earliest and not ignore_min_delay:
        raise ServiceError(
            f"Les rendez-vous se prennent au moins {agenda.min_delay_hours} heures à l'avance : "
            "choisissez un créneau plus tardif.",
            field="slot",
            code="too_soon",
        )
    if day > last_day:
        raise ServiceError(
            f"Les rendez-vous s'ouvrent {agenda.max_delay_days} jours à l'avance au plus : ce jour n'est pas "
            "encore ouvert à la réservation.",
            field="slot",
            code="too_late",
        )
    if is_public_holiday(day):
        raise ServiceError("Ce jour est férié : le Guichet Unique est fermé.", field="slot", code="holiday")
    matching = [(s, e) for s, e in _generated(agenda, day) if s == start]
    if not matching:
        raise ServiceError(
            "Ce créneau est en dehors des horaires d'ouverture.", field="slot", code="closed_hours"
        )
    slot_start, slot_end = matching[0]
    for _c_start, _c_end, reason in closures_between(agenda, slot_start, slot_end):
        raise ServiceError(
            f"Le Guichet Unique est fermé ce jour-là ({reason}).", field="slot", code="closure"
        )
    return slot_start, slot_end


def nearest_free(
    agenda: Agenda,
    around: datetime.datetime,
    *,
    people: int = 1,
    limit: int = 5,
    now: datetime.datetime | None = None,
) -> list[SlotView]:
    """The free slots closest in time to `around` (a week before to three weeks after), nearest first."""
    day = local(around).date()
    found = [
        view
        for views in slots_between(
            agenda, day - datetime.timedelta(days=7), day + datetime.timedelta(days=21), now=now
        ).values()
        for view in views
        if view.free >= people and view.starts_at != around
    ]
    found.sort(key=lambda view: (abs(view.starts_at - around), view.starts_at))
    return sorted(found[:limit], key=lambda view: view.starts_at)


# Dates further than this from today are refused as input (a 404, or a form error): no agenda opens that
# far, and the arithmetic around them (the next day, the time zone) would overflow at the calendar's ends.
INPUT_RANGE = datetime.timedelta(days=2 * 366)


def date_in_range(day: datetime.date, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return abs(day - today) <= INPUT_RANGE


def parse_day(value: str | None) -> datetime.date | None:
    """A day from a URL or a form (ISO, 2026-03-24), or None when malformed or out of range."""
    try:
        day = datetime.date.fromisoformat(value or "")
    except (TypeError, ValueError):
        return None
    return day if date_in_range(day) else None


def parse_slot(value: str | None) -> datetime.datetime | None:
    """A slot value from a form or a link (local ISO time with offset), or None when malformed or out of
    range (9999-12-31T23:59-05:00 is a valid ISO time that Europe/Paris cannot hold)."""
    try:
        moment = datetime.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            return None
        moment = local(moment)
    except (TypeError, ValueError, OverflowError):
        return None
    return moment if date_in_range(moment.date()) else None
