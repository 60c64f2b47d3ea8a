"""Reads of the spine. Permission-scoped getters raise 404 for what the user may not see (never 403)."""

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Prefetch, QuerySet

from requests_app.models import Espace, OpeningPeriod, Site


def espace_list() -> QuerySet[Espace]:
    return Espace.objects.order_by("order", "name")


@dataclass(frozen=True)
class SiteHours:
    site: Site
    days: list[tuple[str, list[OpeningPeriod]]]  # (weekday label, its periods), open days only


def site_list_with_hours() -> list[SiteHours]:
    """Each Guichet Unique site with its opening hours grouped by weekday (two queries in all)."""
    sites = Site.objects.prefetch_related(
        Prefetch("opening_periods", queryset=OpeningPeriod.objects.order_by("weekday", "opens"))
    ).order_by("order", "name")
    return [
        SiteHours(
            site=site,
            days=[
                (OpeningPeriod.Weekday(weekday).label, list(periods))
                for weekday, periods in groupby(site.opening_periods.all(), key=lambda p: p.weekday)
            ],
        )
        for site in sites
    ]
