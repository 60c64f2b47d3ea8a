"""Reads of the appointments app. Getters scoped to a person raise 404 for what they may not see."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import agent_espace_ids
from accounts.models import User
from appointments.models import Agenda, Booking, BookingStatus, Motif
from appointments.slots import PARIS, local


def motifs_available() -> list[tuple[str, str, int]]:
    """(motif, label, number of sites) for the motifs with at least one open agenda, in the motif order."""
    counts = dict(
        Agenda.objects.filter(active=True).values("motif").annotate(n=Count("id")).values_list("motif", "n")
    )
    return [(motif.value, motif.label, counts[motif.value]) for motif in Motif if counts.get(motif.value)]


def agendas_for_motif(motif: str) -> QuerySet[Agenda]:
    return (
        Agenda.objects.filter(motif=motif, active=True)
        .select_related("site", "service")
        .order_by("site__order")
    )


def agenda_get(*, motif: str, site_code: str) -> Agenda:
    return get_object_or_404(
        Agenda.objects.select_related("site", "service"), motif=motif, site__code=site_code, active=True
    )


def _agendas_visible_to(user: User) -> QuerySet[Agenda]:
    agendas = Agenda.objects.all()
    espace_ids = agent_espace_ids(user)  # the one rule, shared with the guichet (accounts.access)
    if espace_ids is not None:
        agendas = agendas.filter(service__espace_id__in=espace_ids)
    return agendas


def agendas_for_agents(*, user: User) -> QuerySet[Agenda]:
    """The agendas of the agent's espaces (every agenda for those who see every espace)."""
    if not user.is_agent:
        return Agenda.objects.none()
    return _agendas_visible_to(user).select_related("site").order_by("site__order", "site__name", "motif")


def agenda_get_for_agent(*, user: User, agenda_id: int) -> Agenda:
    """An agenda of the agent's espaces; another espace's agenda is a 404, as in the guichet."""
    if not user.is_agent:
        raise Http404
    return get_object_or_404(_agendas_visible_to(user).select_related("site", "service"), pk=agenda_id)


def booking_get_for_user(*, user: User, reference: str) -> Booking:
    """A resident's own booking by its request reference; anybody else's is a 404."""
    return get_object_or_404(
        Booking.objects.select_related("request", "agenda__site", "slot"),
        request__reference=reference,
        user=user,
    )


def booking_get_for_agent(*, user: User, booking_id: int) -> Booking:
    """A booking of an agenda of the agent's espaces; any other is a 404."""
    if not user.is_agent:
        raise Http404
    bookings = Booking.objects.select_related("request", "agenda__site", "slot")
    espace_ids = agent_espace_ids(user)  # the one rule, shared with the guichet (accounts.access)
    if espace_ids is not None:
        bookings = bookings.filter(agenda__service__espace_id__in=espace_ids)
    return get_object_or_404(bookings, pk=booking_id)


def bookings_upcoming_for_user(user: User, *, now: datetime.datetime | None = None) -> QuerySet[Booking]:
    now = now or timezone.now()
    return (
        Booking.objects.filter(user=user, status=BookingStatus.BOOKED, starts_at__gt=now)
        .select_related("request", "agenda__site")
        .order_by("starts_at")
    )


def bookings_for_day(*, agenda: Agenda, day: datetime.date) -> list[Booking]:
    """The agents' day view: who comes when, in time order (one query; index booking_agenda_start)."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=PARIS)
    bookings = list(
        Booking.objects.filter(agenda=agenda, starts_at__gte=start, starts_at__lt=end)
        .select_related("request__requester", "slot")
        .order_by("starts_at", "id")
    )
    for booking in bookings:
        booking.local_start = local(booking.starts_at)
    return bookings


@dataclass(frozen=True)
class WeekFigures:
    motif: str
    week: str  # ISO week, "2026-W14"
    week_start: datetime.date  # its Monday
    bookings: int  # every booking whose appointment falls in the week, cancelled ones included
    honoured: int
    no_shows: int
    cancelled: int

    @property
    def motif_label(self) -> str:
        return Motif(self.motif).label


def booking_figures(*, start: datetime.date, end: datetime.date) -> list[WeekFigures]:
    """Bookings, honoured and no-shows per motif and ISO week of the appointment (Europe/Paris), for
    appointments from `start` to `end` inclusive: one grouped query (index booking_motif_start)."""
    range_start = datetime.datetime.combine(start, datetime.time.min, tzinfo=PARIS)
    range_end = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=PARIS)
    rows = (
        Booking.objects.filter(starts_at__gte=range_start, starts_at__lt=range_end)
        .annotate(week_start=TruncWeek("starts_at", tzinfo=PARIS))
        .values("motif", "week_start")
        .annotate(
            total=Count("id"),
            honoured=Count("id", filter=Q(status=BookingStatus.HONOURED)),
            no_shows=Count("id", filter=Q(status=BookingStatus.NO_SHOW)),
            cancelled=Count(
                "id",
                filter=Q(status__in=[BookingStatus.CANCELLED_BY_USER, BookingStatus.CANCELLED_BY_SERVICE]),
            ),
        )
        .order_by("week_start", "motif")
    )
    result = []
    for row in rows:
        monday = row["week_start"]
        monday = local(monday).date() if isinstance(monday, datetime.datetime) else monday
        year, week, _day = monday.isocalendar()
        result.append(
            WeekFigures(
                row["motif"],
                f"{year}-W{week:02d}",
                monday,
                row["total"],
                row["honoured"],
                row["no_shows"],
                row["cancelled"],
            )
        )
    return result


def pacs_registered(*, start: datetime.date, end: datetime.date) -> int:
    """PACS registered (honoured PACS bookings) with an appointment from `start` to `end` inclusive: the
    figure the town publishes (99 in the first year, 000:154-156)."""
    range_start = datetime.datetime.combine(start, datetime.time.min, tzinfo=PARIS)
    range_end = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=PARIS)
    return Booking.objects.filter(
        motif=Motif.PACS, status=BookingStatus.HONOURED, starts_at__gte=range_start, starts_at__lt=range_end
    ).count()
