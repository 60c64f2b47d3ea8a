"""Reads of the walk-in visits: the waiting screen of a site, and the weekly figures of the dashboards."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from guichet.access import agent_espace_ids
from guichet.models import Visit, VisitStatus
from requests_app.models import Espace, Site


def visit_site_list() -> QuerySet[Site]:
    return Site.objects.order_by("order", "name")


def visit_site_get(*, code: str) -> Site:
    return get_object_or_404(Site, code=code)


def visit_espaces_for(*, user) -> QuerySet[Espace]:
    """The espaces whose visitors the agent may call and receive (supervisors and managers: all)."""
    espaces = Espace.objects.order_by("order", "name")
    espace_ids = agent_espace_ids(user)
    return espaces if espace_ids is None else espaces.filter(pk__in=espace_ids)


def visit_get(*, user, pk: int) -> Visit:
    """A visit the agent may receive: 404 for one of an espace they do not serve (supervisors and managers:
    every espace), the same answer as an unknown pk, so its visitor and reason are not disclosed."""
    visits = Visit.objects.select_related("site", "espace", "request")
    espace_ids = agent_espace_ids(user)
    if espace_ids is not None:
        visits = visits.filter(espace_id__in=espace_ids)
    return get_object_or_404(visits, pk=pk)


@dataclass(frozen=True)
class WaitingVisit:
    visit: Visit
    waited_minutes: int  # since arrival (waiting) or until the call (called)
    visitor_name: str  # blank unless the viewer receives its espace: show this, never visit.visitor_name


def visits_waiting(*, site: Site, user, now: datetime.datetime | None = None) -> list[WaitingVisit]:
    """Today's line at a site, oldest first: who waits, and who has been called and is being received.
    Every agent sees the whole line (ticket, espace, reason, waiting time) to direct people, but a visitor's
    name only for the espaces they receive (supervisors and managers: all), as on the visit's own page.
    One query (served by the partial index visit_waiting_site)."""
    now = now or timezone.now()
    espace_ids = agent_espace_ids(user)
    visits = (
        Visit.objects.filter(
            site=site, day=timezone.localdate(now), status__in=[VisitStatus.WAITING, VisitStatus.CALLED]
        )
        .select_related("espace")
        .order_by("arrived_at", "id")
    )
    return [
        WaitingVisit(
            visit=visit,
            waited_minutes=max(0, int(((visit.called_at or now) - visit.arrived_at).total_seconds() // 60)),
            visitor_name=visit.visitor_name if espace_ids is None or visit.espace_id in espace_ids else "",
        )
        for visit in visits
    ]


@dataclass(frozen=True)
class EspaceFootfall:
    espace: Espace
    per_day: list[int]  # one count per day of the week, Monday first
    total: int


@dataclass(frozen=True)
class WeeklyVisitFigures:
    week_start: datetime.date
    days: list[datetime.date]
    rows: list[EspaceFootfall]  # every espace, in display order, even with no visitor
    per_day: list[int]
    total: int
    received: int  # visits with a call time: the ones waiting times are computed over
    left: int
    median_wait_minutes: float | None
    mean_wait_minutes: float | None

    def footfall(self, day: datetime.date, espace: Espace) -> int:
        for row in self.rows:
            if row.espace.pk == espace.pk:
                return row.per_day[self.days.index(day)]
        return 0


def visits_weekly_figures(*, site: Site | None = None, week_start: datetime.date) -> WeeklyVisitFigures:
    """Footfall per day and espace over the week starting on `week_start` (any day; a Monday in the
    dashboards), and the median and mean waiting time (called_at − arrived_at, in minutes) of the visitors
    received. Every arrival counts in the footfall, including visitors who left before being received.
    Three queries: a grouped count, the waiting times of the week (about 1 100 rows), the departures."""
    days = [week_start + datetime.timedelta(days=offset) for offset in range(7)]
    visits = Visit.objects.filter(day__gte=days[0], day__lte=days[-1])
    if site is not None:
        visits = visits.filter(site=site)
    counts = {
        (row["day"], row["espace_id"]): row["n"]
        for row in visits.values("day", "espace_id").annotate(n=Count("id")).order_by()
    }
    espaces = list(Espace.objects.order_by("order", "name"))
    rows = []
    for espace in espaces:
        per_day = [counts.get((day, espace.pk), 0) for day in days]
        rows.append(EspaceFootfall(espace=espace, per_day=per_day, total=sum(per_day)))
    per_day = [sum(counts.get((day, espace.pk), 0) for espace in espaces) for day in days]
    waits = [
        (called_at - arrived_at).total_seconds() / 60
        for arrived_at, called_at in visits.filter(called_at__isnull=False).values_list(
            "arrived_at", "called_at"
        )
    ]
    return WeeklyVisitFigures(
        week_start=week_start,
        days=days,
        rows=rows,
        per_day=per_day,
        total=sum(per_day),
        received=len(waits),
        left=visits.filter(status=VisitStatus.LEFT).count(),
        median_wait_minutes=round(statistics.median(waits), 1) if waits else None,
        mean_wait_minutes=round(statistics.fmean(waits), 1) if waits else None,
    )
