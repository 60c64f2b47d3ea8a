"""Encombrants (issue 16): the bookable days of one sector for the next 6 weeks, with two years of past
pickups (≥ 30 000) and their day counters in the database, as the resident's "choose a day" page computes
them (two queries: the window's counters and closures); and the round sheet PDF of 40 pickups.

The past pickups are written once (bulk, closed requests with a reference of their own) and kept between
runs; the coming weeks get counters about two-thirds full, some days full."""

import datetime
import random
import time

from django.db import transaction
from django.utils import timezone

from encombrants.days import bookable_days
from encombrants.documents import round_pdf
from encombrants.models import DayCapacity, Item, Pickup, PickupLine, PickupStatus, Sector
from encombrants.seed import encombrants_seed
from encombrants.selectors import round_pickups
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Request, Service, Status, Street

RUNS = 60
WARMUP = 5
PAST_PICKUPS = 30_000
ROUND = 40


def _past(sector: Sector, service: Service, streets: list[Street], items: list[Item]) -> int:
    """Two years of past pickups in the sector, written once."""
    existing = Pickup.objects.filter(request__reference__startswith="BENCH-ENC-").count()
    if existing >= PAST_PICKUPS:
        return existing
    rng = random.Random(16)
    today = timezone.localdate()
    days = [
        today - datetime.timedelta(days=n)
        for n in range(1, 731)
        if (today - datetime.timedelta(days=n)).weekday() != 6
    ]
    per_day = PAST_PICKUPS // len(days) + 1
    with transaction.atomic():
        counters = {
            day: DayCapacity(
                sector=sector,
                day=day,
                pickups_max=per_day,
                pickups_booked=per_day,
                volume_max=per_day * 800,
                volume_booked=per_day * 800,
            )
            for day in days
        }
        DayCapacity.objects.bulk_create(counters.values(), ignore_conflicts=True, batch_size=1000)
        counters = {row.day: row for row in DayCapacity.objects.filter(sector=sector, day__in=days)}
        n = 0
        for day in days:
            requests, pickups = [], []
            for _ in range(per_day):
                n += 1
                street = rng.choice(streets)
                requests.append(
                    Request(
                        service=service,
                        espace_id=service.espace_id,
                        status=Status.RESOLVED,
                        is_open=False,
                        reference=f"BENCH-ENC-{n:06d}",
                        street=street,
                        street_number=str(rng.randint(1, 120)),
                        quartier_id=street.quartier_id,
                        submitted_at=timezone.now(),
                    )
                )
            Request.objects.bulk_create(requests)
            for request in requests:
                pickups.append(
                    Pickup(
                        request=request,
                        day=day,
                        sector=sector,
                        capacity=counters[day],
                        street=request.street,
                        street_number=request.street_number,
                        address_key=f"{request.street_id}:{request.street_number}",
                        street_sort=request.street.search_key,
                        number_sort=int(request.street_number),
                        volume_l=800,
                        items_count=3,
                        status=PickupStatus.COLLECTED,
                    )
                )
            Pickup.objects.bulk_create(pickups)
            PickupLine.objects.bulk_create(
                PickupLine(pickup=p, item=items[0], quantity=1, unit_volume_l=items[0].unit_volume_l)
                for p in pickups
            )
    return n


def _coming_round(
    sector: Sector, service: Service, streets: list[Street], items: list[Item]
) -> datetime.date:
    """A day of the coming weeks with 40 pickups (the round sheet), and counters for the window."""
    rng = random.Random(61)
    today = timezone.localdate()
    day = today + datetime.timedelta(days=10)
    while day.weekday() == 6:
        day += datetime.timedelta(days=1)
    for offset in range(1, 43):
        other = today + datetime.timedelta(days=offset)
        booked = 25 if rng.random() < 0.2 else rng.randint(5, 24)
        DayCapacity.objects.get_or_create(
            sector=sector,
            day=other,
            defaults={
                "pickups_max": 25,
                "pickups_booked": booked,
                "volume_max": 40_000,
                "volume_booked": booked * 900,
            },
        )
    if Pickup.objects.filter(sector=sector, day=day).count() >= ROUND:
        return day
    counter = DayCapacity.objects.get(sector=sector, day=day)
    with transaction.atomic():
        for n in range(ROUND):
            street = rng.choice(streets)
            request = Request.objects.create(
                service=service,
                espace_id=service.espace_id,
                status=Status.NEW,
                is_open=True,
                reference=f"BENCH-ENR{day:%y%m%d}{n:03d}",
                street=street,
                street_number=str(n + 1),
                quartier_id=street.quartier_id,
                submitted_at=timezone.now(),
                contact_phone="03 21 00 00 00",
            )
            pickup = Pickup.objects.create(
                request=request,
                day=day,
                sector=sector,
                capacity=counter,
                street=street,
                street_number=str(n + 1),
                address_key=f"{street.pk}:{n + 1}",
                street_sort=street.search_key,
                number_sort=n + 1,
                volume_l=1400,
                items_count=4,
                location_note="Devant le portail, à gauche de la boîte aux lettres",
            )
            PickupLine.objects.bulk_create(
                PickupLine(pickup=pickup, item=item, quantity=q, unit_volume_l=item.unit_volume_l)
                for item, q in ((items[0], 1), (items[10], 3))
            )
    return day


def run(report, args) -> None:
    catalogue_seed()
    encombrants_seed()
    sector = Sector.objects.get(code="centre")
    service = Service.objects.get(code="encombrants")
    streets = list(Street.objects.filter(quartier__encombrants_sector__sector=sector))
    items = list(Item.objects.all())
    past = _past(sector, service, streets, items)
    day = _coming_round(sector, service, streets, items)

    samples = []
    for run_index in range(WARMUP + RUNS):
        started = time.perf_counter()
        views = bookable_days(Sector.objects.get(pk=sector.pk), volume_l=1500)
        elapsed = (time.perf_counter() - started) * 1000
        if run_index >= WARMUP:
            samples.append(elapsed)
    report.add(
        "Encombrants : jours réservables d'un secteur sur 6 semaines",
        samples,
        target="médiane ≤ 10 ms",
        notes=f"{past} enlèvements passés, "
        f"{sum(v.bookable for v in views)} jours réservables sur {len(views)}",
    )

    samples = []
    for run_index in range(2 + 20):
        started = time.perf_counter()
        pdf = round_pdf(sector=sector, day=day, pickups=round_pickups(sector=sector, day=day))
        elapsed = (time.perf_counter() - started) * 1000
        if run_index >= 2:
            samples.append(elapsed)
    report.add(
        "Encombrants : feuille de tournée PDF (40 enlèvements)",
        samples,
        target="médiane ≤ 300 ms",
        notes=f"{len(pdf) // 1024} Ko",
    )
