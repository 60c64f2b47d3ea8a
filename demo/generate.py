"""Realistic generated requests for benchmarks and demos (`manage.py generate_requests`).

Rows are written in bulk (PostgreSQL: COPY, about a million requests with their events and messages in a few
minutes; SQLite: bulk_create) with ids taken in advance, bypassing the services on purpose: this is
generated history, not activity, so no notification is queued and no receipt rendered."""

import datetime
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from accounts import roles
from accounts.models import User
from requests_app.models import (
    Channel,
    EventKind,
    Message,
    Priority,
    ReferenceCounter,
    Request,
    RequestEvent,
    Service,
    Site,
    Status,
    Street,
)
from requests_app.workdays import add_working_days

FIRST_NAMES = [
    "Jean",
    "Marie",
    "Pierre",
    "Nathalie",
    "Karim",
    "Sophie",
    "Luc",
    "Isabelle",
    "Mohamed",
    "Julie",
    "Thomas",
    "Camille",
    "Nicolas",
    "Sandrine",
    "David",
    "Aurélie",
    "Kevin",
    "Céline",
    "Bruno",
    "Inès",
]
LAST_NAMES = [
    "Dupont",
    "Lefebvre",
    "Martin",
    "Dubois",
    "Leroy",
    "Caron",
    "Delattre",
    "Vasseur",
    "Lemaire",
    "Benali",
    "Duquesne",
    "Lecomte",
    "Wattel",
    "Deprez",
    "Fontaine",
    "Hennebelle",
    "Delcroix",
    "Bertin",
    "Lagache",
    "Pruvost",
]
SENTENCES = [
    "Le problème est visible depuis plusieurs jours.",
    "Merci d'intervenir rapidement, c'est dangereux.",
    "Cela se trouve juste devant l'école.",
    "Plusieurs voisins se sont déjà plaints.",
    "La situation se répète chaque semaine.",
    "Je reste joignable par téléphone en journée.",
    "Il y a des sacs et des cartons éventrés sur le trottoir.",
    "Le lampadaire clignote toute la nuit.",
    "Un trou important s'est formé dans la chaussée.",
    "La voiture n'a pas bougé depuis trois semaines.",
    "Des tags ont été faits sur la façade pendant le week-end.",
    "Je souhaite un rendez-vous rapide.",
]
CLOSING = [
    "Intervention réalisée, merci pour votre signalement.",
    "Votre demande a été traitée.",
    "Les services techniques sont intervenus ce matin.",
    "Nous ne pouvons pas donner suite à cette demande.",
]
CHANNELS = [
    (Channel.WEB, 55),
    (Channel.GUICHET, 20),
    (Channel.PHONE, 15),
    (Channel.MAIL, 5),
    (Channel.EMAIL, 5),
]
PRIORITIES = [(Priority.NORMAL, 80), (Priority.LOW, 5), (Priority.HIGH, 12), (Priority.URGENT, 3)]


@dataclass
class Plan:
    services: list[Service]
    service_weights: list[int]
    streets: list[Street]
    sites: list[Site]
    agents_by_espace: dict[int, list[int]]
    residents: list[tuple[int, str, str]]  # id, full name, email


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


@lru_cache(maxsize=8192)
def _due(day: datetime.date, sla: int) -> datetime.date:
    return add_working_days(day, sla)


def _plan() -> Plan:
    services = list(Service.objects.filter(active=True).order_by("pk"))
    if not services:
        raise RuntimeError("Aucun service au catalogue : lancez d'abord `manage.py seed_demo`.")
    agents: dict[int, list[int]] = {}
    for user in User.objects.filter(groups__name=roles.AGENT).prefetch_related("espaces"):
        for espace in user.espaces.all():
            agents.setdefault(espace.pk, []).append(user.pk)
    residents = [
        (pk, f"{first} {last}".strip(), email)
        for pk, first, last, email in User.objects.filter(groups__name=roles.RESIDENT).values_list(
            "pk", "first_name", "last_name", "email"
        )[:20000]
    ]
    return Plan(
        services=services,
        # Signalements are most of the volume (the brigade verte, voirie…); then démarches.
        service_weights=[
            8 if s.kind == "signalement" else 3 if s.kind == "demarche" else 1 for s in services
        ],
        streets=list(Street.objects.all()),
        sites=list(Site.objects.order_by("order")),
        agents_by_espace=agents,
        residents=residents,
    )


def _status_for_age(rng: random.Random, age_days: float) -> str:
    if age_days < 30:
        open_share = 0.7
    elif age_days < 90:
        open_share = 0.1
    else:
        open_share = 0.003
    if rng.random() < open_share:
        return _weighted(rng, [(Status.NEW, 35), (Status.IN_PROGRESS, 45), (Status.AWAITING_CITIZEN, 20)])
    return _weighted(rng, [(Status.RESOLVED, 85), (Status.REJECTED, 8), (Status.CANCELLED, 7)])


def _next_ids(model: type[models.Model], count: int) -> int:
    """First of `count` ids reserved for `model` (the PostgreSQL sequence is moved past them)."""
    first = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [model._meta.db_table, first + count]
            )
    return first


def _write(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    table = model._meta.db_table
    written = 0
    if connection.vendor == "postgresql":
        raw = connection.connection
        names = ", ".join(f'"{column}"' for column in columns)
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                # Choices members are str/int subclasses: written as their plain values.
                copy.write_row([value.value if isinstance(value, Enum) else value for value in row])
                written += 1
        return written
    fields = {f.column: f.attname for f in model._meta.concrete_fields}
    # bulk_create runs pre_save, which would stamp every auto_now(_add) column with the current time and
    # lose the generated history's dates: switched off while writing (COPY above never calls pre_save).
    stamped = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved_flags = [(f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        batch = []
        for row in rows:
            batch.append(model(**{fields[c]: v for c, v in zip(columns, row, strict=True)}))
            if len(batch) >= 2000:
                model.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        model.objects.bulk_create(batch)
    finally:
        for f, (auto_now, auto_now_add) in zip(stamped, saved_flags, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
    return written + len(batch)


def _rows_for(
    rng: random.Random,
    plan: Plan,
    *,
    pk: int,
    created_at: datetime.datetime,
    now,
    tz,
    counters,
    ids: dict[str, int],
    json_empty,
) -> tuple[tuple, list[tuple], list[tuple]]:
    """One request with its events (submitted, then the status changes) and its closing message."""
    service = rng.choices(plan.services, plan.service_weights)[0]
    local = created_at.astimezone(tz)
    counters[local.year] = counters.get(local.year, 0) + 1
    reference = f"BET-{local.year}-{counters[local.year]:06d}"
    age = (now - created_at).total_seconds() / 86400
    status = _status_for_age(rng, age)
    is_open = status in (Status.NEW, Status.IN_PROGRESS, Status.AWAITING_CITIZEN)
    channel = _weighted(rng, CHANNELS)
    site_id = rng.choice(plan.sites).pk if channel == Channel.GUICHET and plan.sites else None
    street = rng.choice(plan.streets) if (service.address_required or rng.random() < 0.3) else None
    agents = plan.agents_by_espace.get(service.espace_id, [])
    assignee = (
        rng.choice(agents) if agents and (not is_open or status != Status.NEW or rng.random() < 0.2) else None
    )
    if plan.residents and channel == Channel.WEB and rng.random() < 0.6:
        requester_id, name, email = rng.choice(plan.residents)
    else:
        requester_id = None
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        email = f"{first}.{last}{rng.randint(1, 9999)}@example.fr".lower() if rng.random() < 0.8 else ""
    phone = f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    closed_at = created_at + datetime.timedelta(days=min(age, rng.uniform(0.5, service.sla_days * 1.6 + 1)))
    first_response = (
        created_at + datetime.timedelta(hours=rng.uniform(1, 72)) if status != Status.NEW else None
    )
    if first_response and first_response > closed_at:
        first_response = closed_at
    request_row = (
        pk,
        reference,
        service.pk,
        service.espace_id,
        channel,
        site_id,
        status,
        is_open,
        _weighted(rng, PRIORITIES),
        requester_id,
        name,
        email,
        phone,
        street.pk if street else None,
        str(rng.randint(1, 180)) if street else "",
        "",
        street.quartier_id if street else None,
        " ".join(rng.sample(SENTENCES, 2)),
        json_empty,
        assignee,
        _due(local.date(), service.sla_days),
        None,
        created_at,
        created_at if is_open else closed_at,
        created_at,
        first_response,
        None if is_open else closed_at,
        None,
        uuid.uuid4(),
        created_at,
    )
    events, messages = [], []

    def event(at, actor, kind, old, new):
        events.append((ids["event"], pk, at, actor, kind, old, new, json_empty, True))
        ids["event"] += 1
        return ids["event"] - 1

    event(created_at, requester_id, EventKind.SUBMITTED, Status.DRAFT, Status.NEW)
    if status == Status.CANCELLED:
        event(closed_at, requester_id, EventKind.STATUS, Status.NEW, Status.CANCELLED)
    elif status != Status.NEW:
        event(first_response, assignee, EventKind.STATUS, Status.NEW, Status.IN_PROGRESS)
        if status != Status.IN_PROGRESS:
            at = first_response if is_open else closed_at
            kind = EventKind.INFO_REQUESTED if status == Status.AWAITING_CITIZEN else EventKind.STATUS
            event_id = event(at, assignee, kind, Status.IN_PROGRESS, status)
            body = "Pouvez-vous préciser l'emplacement exact ?" if is_open else rng.choice(CLOSING)
            messages.append((ids["message"], pk, event_id, assignee, True, False, body, at))
            ids["message"] += 1
    return request_row, events, messages


REQUEST_COLUMNS = [
    "id",
    "reference",
    "service_id",
    "espace_id",
    "channel",
    "site_id",
    "status",
    "is_open",
    "priority",
    "requester_id",
    "contact_name",
    "contact_email",
    "contact_phone",
    "street_id",
    "street_number",
    "address_details",
    "quartier_id",
    "description",
    "answers",
    "assignee_id",
    "due_date",
    "duplicate_of_id",
    "created_at",
    "updated_at",
    "submitted_at",
    "first_response_at",
    "closed_at",
    "submission_key",
    "tracking_key",
    "email_confirmed_at",
]
EVENT_COLUMNS = [
    "id",
    "request_id",
    "at",
    "actor_id",
    "kind",
    "old_status",
    "new_status",
    "payload",
    "public",
]
MESSAGE_COLUMNS = [
    "id",
    "request_id",
    "event_id",
    "author_id",
    "from_staff",
    "internal",
    "body",
    "created_at",
]
CHUNK = 50_000


def generate_requests(*, count: int, years: int = 3, seed: int = 42, progress=None) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 (generated data, not secrets)
    plan = _plan()
    now = timezone.now()
    tz = timezone.get_current_timezone()
    span = datetime.timedelta(days=365 * years)
    # Dates first, sorted, so references run in filing order within each year.
    created = sorted(now - span * rng.random() for _ in range(count))
    counters = dict(ReferenceCounter.objects.values_list("year", "last"))
    json_empty = "{}" if connection.vendor == "postgresql" else {}
    # Ids taken in advance: a message points at its event without reading anything back.
    first_request = _next_ids(Request, count)
    ids = {"event": _next_ids(RequestEvent, count * 3), "message": _next_ids(Message, count)}
    totals = {"requests": 0, "events": 0, "messages": 0}
    for chunk_start in range(0, count, CHUNK):
        request_rows, event_rows, message_rows = [], [], []
        for index in range(chunk_start, min(count, chunk_start + CHUNK)):
            row, events, messages = _rows_for(
                rng,
                plan,
                pk=first_request + index,
                created_at=created[index],
                now=now,
                tz=tz,
                counters=counters,
                ids=ids,
                json_empty=json_empty,
            )
            request_rows.append(row)
            event_rows.extend(events)
            message_rows.extend(messages)
        with transaction.atomic():
            totals["requests"] += _write(Request, REQUEST_COLUMNS, request_rows)
            totals["events"] += _write(RequestEvent, EVENT_COLUMNS, event_rows)
            totals["messages"] += _write(Message, MESSAGE_COLUMNS, message_rows)
            for year, last in counters.items():
                ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})
        if progress:
            progress(f"{totals['requests']} / {count} demandes écrites")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Request, RequestEvent, Message):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return totals


def generate_people(*, residents: int = 5000, agents_per_espace: int = 5) -> None:
    """The town's accounts and agents at scale (idempotent): 5 000 residents, a few agents per espace."""
    from django.contrib.auth.models import Group

    from requests_app.models import Espace

    resident_group = Group.objects.get(name=roles.RESIDENT)
    agent_group = Group.objects.get(name=roles.AGENT)
    existing = set(
        User.objects.filter(email__endswith="@habitants.example.fr").values_list("email", flat=True)
    )
    rng = random.Random(7)  # noqa: S311
    new = [
        User(
            email=f"habitant{n}@habitants.example.fr",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            password="!",  # noqa: S106 (Django's mark of an unusable password)
        )
        for n in range(residents)
        if f"habitant{n}@habitants.example.fr" not in existing
    ]
    User.objects.bulk_create(new, batch_size=2000)
    through = User.groups.through
    ids = (
        User.objects.filter(email__endswith="@habitants.example.fr")
        .exclude(groups=resident_group)
        .values_list("pk", flat=True)
    )
    through.objects.bulk_create(
        [through(user_id=pk, group_id=resident_group.pk) for pk in ids], batch_size=2000
    )
    for espace in Espace.objects.all():
        for n in range(agents_per_espace):
            user, created = User.objects.get_or_create(
                email=f"agent{n}.{espace.code}@agents.example.fr",
                defaults={"first_name": rng.choice(FIRST_NAMES), "last_name": rng.choice(LAST_NAMES)},
            )
            if created:
                user.set_unusable_password()
                user.save()
                user.groups.add(agent_group)
                espace.agents.add(user)
