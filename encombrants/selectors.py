"""Reads of the encombrants app. Getters scoped to a person raise 404 for what they may not see."""

import datetime
from collections import defaultdict

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import agent_espace_ids
from accounts.models import User
from encombrants.models import (
    OUTCOMES,
    DayCapacity,
    Pickup,
    PickupLine,
    PickupStatus,
    Sector,
)

_LINES = Prefetch("lines", queryset=PickupLine.objects.select_related("item"))


def _visible_to(user: User) -> QuerySet[Pickup]:
    """Agents see the pickups of their espaces (the encombrants service's espace); 404 for the others."""
    if not (user.is_authenticated and user.is_agent):
        raise Http404
    pickups = Pickup.objects.all()
    espace_ids = agent_espace_ids(user)
    if espace_ids is not None:
        pickups = pickups.filter(request__espace_id__in=espace_ids)
    return pickups


def agent_may_work(user: User) -> bool:
    """Whether the agent works for an espace that handles pickups (or sees every espace)."""
    from encombrants.models import Config
    from encombrants.services import pickup_service

    espace_ids = agent_espace_ids(user)
    if espace_ids is None:
        return True
    try:
        service = pickup_service(Config.current())
    except Exception:  # noqa: BLE001 (no service: nobody works on pickups)
        return False
    return service.espace_id in espace_ids


def sectors() -> QuerySet[Sector]:
    return Sector.objects.all()


def sector_get(code: str) -> Sector:
    return get_object_or_404(Sector, code=code)


def round_pickups(*, sector: Sector, day: datetime.date, user: User | None = None) -> list[Pickup]:
    """The day's round of a sector: pickups not cancelled, by street then number (index enc_pickup_round)."""
    pickups = _visible_to(user) if user is not None else Pickup.objects.all()
    return list(
        pickups.filter(sector=sector, day=day)
        .exclude(status=PickupStatus.CANCELLED)
        .select_related("request", "street")
        .prefetch_related(_LINES, "request__attachments")
        .order_by("street_sort", "number_sort", "street_number", "pk")
    )


def pickup_get_for_agent(*, user: User, pickup_id: int) -> Pickup:
    return get_object_or_404(
        _visible_to(user)
        .select_related("request", "street", "sector", "user", "followup")
        .prefetch_related(_LINES),
        pk=pickup_id,
    )


def pickup_get_for_user(*, user: User, reference: str) -> Pickup:
    """A resident's own pickup by its request reference; anybody else's is a 404."""
    return get_object_or_404(
        Pickup.objects.select_related("request", "street", "sector").prefetch_related(_LINES),
        request__reference=reference,
        user=user,
    )


def pickups_for_user(user: User) -> list[Pickup]:
    return list(
        Pickup.objects.filter(user=user)
        .select_related("request", "street")
        .prefetch_related(_LINES)
        .order_by("-day", "-pk")[:20]
    )


def pickups_for_export(*, user: User, first: datetime.date, last: datetime.date) -> QuerySet[Pickup]:
    return (
        _visible_to(user)
        .filter(day__gte=first, day__lte=last)
        .select_related("request", "street", "sector")
        .prefetch_related(_LINES)
        .order_by("day", "sector__order", "street_sort", "number_sort", "pk")
    )


def day_counters(*, day: datetime.date) -> dict[int, DayCapacity]:
    return {row.sector_id: row for row in DayCapacity.objects.filter(day=day)}


# --- Figures (through the registry) ---------------------------------------------------------------------


def fill_figures(*, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per ISO week and sector: pickups (not cancelled), m³ booked, fill rate (booked places / capacity of
    the days that have a counter) and the not-presented rate among pickups with an outcome."""
    rows: dict[tuple, dict] = defaultdict(
        lambda: {"pickups": 0, "volume_l": 0, "outcomes": 0, "not_presented": 0, "capacity": 0, "booked": 0}
    )
    sector_names = dict(Sector.objects.values_list("pk", "name"))
    pickups = (
        Pickup.objects.filter(day__gte=start, day__lte=end)
        .exclude(status=PickupStatus.CANCELLED)
        .values_list("day", "sector_id", "volume_l", "status")
    )
    for day, sector_id, volume_l, status in pickups:
        year, week, _weekday = day.isocalendar()
        row = rows[(year, week, sector_id)]
        row["pickups"] += 1
        row["volume_l"] += volume_l
        if status in OUTCOMES:
            row["outcomes"] += 1
            row["not_presented"] += status == PickupStatus.NOT_PRESENTED
    for day, sector_id, capacity, booked in DayCapacity.objects.filter(
        day__gte=start, day__lte=end
    ).values_list("day", "sector_id", "pickups_max", "pickups_booked"):
        year, week, _weekday = day.isocalendar()
        row = rows[(year, week, sector_id)]
        row["capacity"] += capacity
        row["booked"] += booked
    result = []
    for (year, week, sector_id), row in sorted(rows.items()):
        result.append(
            {
                "week": f"{year}-S{week:02d}",
                "sector": sector_names.get(sector_id, ""),
                "pickups": row["pickups"],
                "volume_m3": round(row["volume_l"] / 1000, 2),
                "fill_rate": round(row["booked"] / row["capacity"], 3) if row["capacity"] else None,
                "not_presented_rate": round(row["not_presented"] / row["outcomes"], 3)
                if row["outcomes"]
                else None,
            }
        )
    return result


def refused_figures(*, start: datetime.date, end: datetime.date) -> list[dict]:
    rows = (
        PickupLine.objects.filter(pickup__day__gte=start, pickup__day__lte=end, refused__gt=0)
        .values("item__name")
        .annotate(refused=Sum("refused"))
        .order_by("-refused", "item__name")
    )
    return [{"item": row["item__name"], "refused": row["refused"]} for row in rows]
