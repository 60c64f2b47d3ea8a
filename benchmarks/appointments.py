"""Appointments (issue 5): the month calendar of free slots of an agenda with 10 counters, with the month
mostly booked, as the resident's "choose a day" page computes it (agenda loaded, opening periods, closures
and the month's seat counters read, every slot generated in Europe/Paris time).

The data are the seat counters the calendar reads (one Slot row per booked slot): about two thirds of
the seats of the coming two months taken, a fifth of the slots full, which is a busy ID-card service."""

import datetime
import random
import time

from django.db import transaction
from django.utils import timezone

from appointments.models import Agenda, Closure, Motif, Slot
from appointments.slots import PARIS, slots_between
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import OpeningPeriod, Service, Site

RUNS = 60
WARMUP = 5
SEATS = 10


def _agenda() -> Agenda:
    catalogue_seed()
    site, created = Site.objects.get_or_create(
        code="bench-rdv",
        defaults={"name": "Site de mesure (rendez-vous)", "address": "62400 Béthune", "order": 99},
    )
    if created:
        OpeningPeriod.objects.bulk_create(
            OpeningPeriod(site=site, weekday=period.weekday, opens=period.opens, closes=period.closes)
            for period in OpeningPeriod.objects.filter(site__code="hdv")
        )
    agenda, _ = Agenda.objects.get_or_create(
        motif=Motif.CNI,
        site=site,
        defaults={
            "service": Service.objects.get(code="rdv-cni-passeport"),
            "slot_minutes": 20,
            "seats": SEATS,
            "max_people": 4,
            "min_delay_hours": 0,
            "max_delay_days": 90,
        },
    )
    return agenda


def _bookings(agenda: Agenda, first: datetime.date, last: datetime.date) -> int:
    """Counters for the slots from `first` to `last`: 2/3 of the seats taken on average, 1/5 of slots full."""
    rng = random.Random(5)
    now = timezone.now() - datetime.timedelta(days=1)
    rows = []
    for views in slots_between(agenda, first, last, now=now).values():
        for view in views:
            booked = SEATS if rng.random() < 0.2 else rng.randint(3, SEATS - 1)
            rows.append(
                Slot(
                    agenda=agenda, starts_at=view.starts_at, ends_at=view.ends_at, seats=SEATS, booked=booked
                )
            )
    with transaction.atomic():
        Slot.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        if not Closure.objects.filter(site=agenda.site).exists():
            day = first + datetime.timedelta(days=10)
            Closure.objects.create(
                site=agenda.site,
                starts_at=datetime.datetime.combine(day, datetime.time(14), tzinfo=PARIS),
                ends_at=datetime.datetime.combine(day, datetime.time(17), tzinfo=PARIS),
                reason="Formation",
            )
    return sum(slot.booked for slot in rows)


def run(report, args) -> None:
    from appointments.slots import month_calendar

    agenda = _agenda()
    today = timezone.localdate()
    month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)  # next month: fully bookable
    seats_taken = _bookings(agenda, today, today + datetime.timedelta(days=70))
    counters = Slot.objects.filter(agenda=agenda).count()
    samples = []
    for run_index in range(WARMUP + RUNS):
        started = time.perf_counter()
        fresh = Agenda.objects.select_related("site").get(pk=agenda.pk)  # as the view loads it
        weeks = month_calendar(fresh, month.year, month.month)
        elapsed = (time.perf_counter() - started) * 1000
        if run_index >= WARMUP:
            samples.append(elapsed)
    free_days = sum(cell.available for week in weeks for cell in week)
    report.add(
        "Calendrier du mois (agenda 10 guichets)",
        samples,
        target="médiane ≤ 30 ms",
        notes=f"{month:%m/%Y}, {counters} créneaux entamés, {seats_taken} places prises, "
        f"{free_days} jours libres",
    )
