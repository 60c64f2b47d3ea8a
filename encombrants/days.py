"""The collection calendar: Monday to Saturday, less French public holidays (requests_app.workdays) and the
closures staff enter; the cut-off (the working day before, at noon by default); the booking window; and
the bookable days of a sector with what remains of each, read in two queries whatever the window."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import formats, timezone

from encombrants.models import Closure, Config, DayCapacity, Sector, litres_display
from requests_app.workdays import is_public_holiday, is_working_day

PARIS = ZoneInfo("Europe/Paris")


def day_display(day: datetime.date) -> str:
    """« samedi 21 mars 2026 »."""
    return formats.date_format(day, "l j F Y")


def cutoff_for(day: datetime.date, config: Config) -> datetime.datetime:
    """The last moment to book, amend or cancel a pickup on `day`: the working day before, at the
    configured hour (Friday noon for a Saturday or a Monday pickup, the Thursday when Friday is a holiday)."""
    previous = day - datetime.timedelta(days=1)
    while not is_working_day(previous):
        previous -= datetime.timedelta(days=1)
    return datetime.datetime.combine(previous, datetime.time(config.cutoff_hour), tzinfo=PARIS)


def cutoff_display(moment: datetime.datetime) -> str:
    moment = moment.astimezone(PARIS)
    return f"{formats.date_format(moment, 'l j F')} à {moment:%H} h"


def window_last(config: Config, today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=config.window_days)


@dataclass(frozen=True)
class DayView:
    day: datetime.date
    bookable: bool
    reason: str  # why it cannot be booked ("" when it can)
    pickups_left: int
    volume_left_l: int

    @property
    def value(self) -> str:
        return self.day.isoformat()

    @property
    def label(self) -> str:
        return day_display(self.day)

    @property
    def volume_left_display(self) -> str:
        return litres_display(self.volume_left_l)


def closed_reason(day: datetime.date, closure_reasons: dict) -> str:
    """Why no crew works that day, whatever the capacity ("" on a collection day)."""
    if day.weekday() == 6:
        return "Pas de collecte le dimanche."
    if is_public_holiday(day):
        return "Jour férié : pas de collecte."
    if day in closure_reasons:
        return f"Pas de collecte ce jour : {closure_reasons[day]}."
    return ""


def closures_between(sector: Sector, first: datetime.date, last: datetime.date) -> dict:
    from django.db.models import Q

    rows = Closure.objects.filter(day__gte=first, day__lte=last).filter(
        Q(sector__isnull=True) | Q(sector=sector)
    )
    return {row.day: row.reason for row in rows.order_by("day", "pk")}


def bookable_days(
    sector: Sector,
    *,
    volume_l: int = 0,
    now: datetime.datetime | None = None,
    config: Config | None = None,
    keep: tuple[datetime.date, int] | None = None,
) -> list[DayView]:
    """Every day from tomorrow to the end of the window, bookable or greyed with why. `volume_l`: the
    volume to place (a day with less left is full for it). `keep`: (day, volume) of the pickup being
    amended, whose own place and volume count as free on its day."""
    now = now or timezone.now()
    config = config or Config.current()
    today = timezone.localdate(now)
    first, last = today + datetime.timedelta(days=1), window_last(config, today)
    counters = {
        row.day: row
        for row in DayCapacity.objects.filter(sector=sector, day__gte=first, day__lte=last).only(
            "day", "pickups_max", "pickups_booked", "volume_max", "volume_booked"
        )
    }
    closures = closures_between(sector, first, last)
    views = []
    day = first
    while day <= last:
        row = counters.get(day)
        pickups_max = row.pickups_max if row else config.pickups_per_day
        volume_max = row.volume_max if row else config.volume_per_day_l
        pickups_left = pickups_max - (row.pickups_booked if row else 0)
        volume_left = volume_max - (row.volume_booked if row else 0)
        if keep is not None and keep[0] == day:
            pickups_left += 1
            volume_left += keep[1]
        reason = closed_reason(day, closures)
        if not reason and now >= cutoff_for(day, config):
            reason = "Trop tard pour ce jour (réservation jusqu'à la veille ouvrée à midi)."
        if not reason and pickups_left <= 0:
            reason = "Complet : plus aucun enlèvement possible ce jour."
        if not reason and volume_left < max(volume_l, 1):
            reason = f"Complet pour votre volume : il reste {litres_display(max(volume_left, 0))} ce jour."
        views.append(DayView(day, not reason, reason, max(pickups_left, 0), max(volume_left, 0)))
        day += datetime.timedelta(days=1)
    return views
