"""Reads of the agents' queue. Every list is one indexed scan over open work (partial indexes on
is_open, see requests_app.models.request) or over one espace's recent requests, with the columns a row
shows joined in the same query: the page costs the same number of queries whatever its size."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User
from guichet.access import agent_espace_ids
from guichet.models import ReplyTemplate, SavedFilter
from portal_kit.dates import parse_date
from requests_app.models import Channel, Espace, Priority, Quartier, Request, Service, Site, Status, Street

PAGE_SIZE = 50
MAX_PAGE = 20_000  # 1 000 000 rows of 50
MAX_ID = 2**62


def id_from(value: str | None) -> int | None:
    """A positive id typed in a URL or a form, or None. ASCII digits only: str.isdigit() accepts "²" and
    other digits int() refuses, and an id past BIGINT would make the database raise."""
    if not value or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number < MAX_ID else None


REFERENCE_RE = re.compile(r"^\s*BET-\d{4}-\d{1,9}\s*$", re.IGNORECASE)

TABS = {
    "a-traiter": _("À prendre"),
    "mes-demandes": _("Mes demandes"),
    "en-attente": _("En attente du demandeur"),
    "en-retard": _("En retard"),
    "ouvertes": _("Toutes les ouvertes"),
    "closes": _("Closes"),
}
DEFAULT_TAB = "a-traiter"
SORTS = {
    "echeance": ("due_date", "id"),
    "recentes": ("-created_at", "-id"),
    "anciennes": ("created_at", "id"),
    "priorite": ("-priority", "due_date", "id"),
}


@dataclass
class QueueFilters:
    """The queue's query string, parsed and checked (unknown values are ignored, never an error page)."""

    tab: str = DEFAULT_TAB
    status: str = ""
    service: int | None = None
    espace: int | None = None
    channel: str = ""
    site: int | None = None
    quartier: int | None = None
    assignee: str = ""  # "moi", "personne" or a user id
    priority: int | None = None
    created_from: datetime.date | None = None
    created_to: datetime.date | None = None
    q: str = ""
    sort: str = "echeance"
    page: int = 1
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> "QueueFilters":
        filters = cls()
        filters.tab = params.get("onglet") if params.get("onglet") in TABS else DEFAULT_TAB
        filters.status = params.get("statut") if params.get("statut") in Status.values else ""
        filters.channel = params.get("canal") if params.get("canal") in Channel.values else ""
        filters.sort = (
            params.get("tri")
            if params.get("tri") in SORTS
            else ("recentes" if filters.tab == "closes" else "echeance")
        )
        filters.assignee = (
            params.get("agent", "")
            if params.get("agent", "") in ("moi", "personne") or id_from(params.get("agent", "")) is not None
            else ""
        )
        filters.q = params.get("q", "").strip()[:200]
        for name, attr in (
            ("service", "service"),
            ("espace", "espace"),
            ("site", "site"),
            ("quartier", "quartier"),
            ("priorite", "priority"),
            ("page", "page"),
        ):
            value = id_from(params.get(name, ""))
            if value is not None:
                setattr(filters, attr, value)
        # Past the last page there is nothing to show; the bound keeps the OFFSET a sane number.
        filters.page = min(max(1, filters.page), MAX_PAGE)
        # Within portal_kit.dates' bounds: the day after 9999-12-31 overflows, 0001-01-01 at local midnight
        # cannot be converted to UTC; both made the queue answer 500.
        for name, attr in (("du", "created_from"), ("au", "created_to")):
            value = params.get(name, "")
            if value:
                day = parse_date(value)
                if day is None:
                    filters.errors.append(
                        str(_("Date invalide : utilisez le format jj/mm/aaaa, entre 1900 et 2100."))
                    )
                else:
                    setattr(filters, attr, day)
        return filters


def _scope(user: User) -> QuerySet[Request]:
    """Every request the agent may see: their espaces' (supervisors, managers: all). Drafts never."""
    # Drafts are never open, so open tabs need no status test; the closed tab excludes them (see _tab).
    requests = Request.objects.all()
    espace_ids = agent_espace_ids(user)
    if espace_ids is not None:
        requests = requests.filter(espace_id__in=espace_ids)
    return requests


def _tab(requests: QuerySet[Request], tab: str, user: User, today: datetime.date) -> QuerySet[Request]:
    if tab == "a-traiter":
        return requests.filter(is_open=True, assignee__isnull=True)
    if tab == "mes-demandes":
        return requests.filter(is_open=True, assignee=user)
    if tab == "en-attente":
        return requests.filter(is_open=True, status=Status.AWAITING_CITIZEN)
    if tab == "en-retard":
        return requests.filter(is_open=True, due_date__lt=today)
    if tab == "ouvertes":
        return requests.filter(is_open=True)
    return requests.filter(is_open=False).exclude(status=Status.DRAFT)


def phone_matches(field_name: str, typed: str) -> Q:
    """Numbers are stored as typed ("06 12 34 56 78", "0612345678", "06.12.34.56.78"): match the typed form
    and the usual spellings of its digits, each a LIKE that the trigram index on the column serves."""
    digits = re.sub(r"\D", "", typed)
    spellings = {typed.strip(), digits} - {""}
    if len(digits) % 2 == 0:
        pairs = [digits[i : i + 2] for i in range(0, len(digits), 2)]
        spellings |= {" ".join(pairs), ".".join(pairs)}
    condition = Q()
    for spelling in sorted(spellings):
        condition |= Q(**{f"{field_name}__icontains": spelling})
    return condition


def _search(requests: QuerySet[Request], q: str) -> QuerySet[Request]:
    """Reference, email, phone, name or words of the description, each by the index made for it
    (requests_app migration 0003: trigram and French full-text GIN indexes on PostgreSQL)."""
    if REFERENCE_RE.match(q):
        return requests.filter(reference=q.strip().upper())
    if "@" in q:
        return requests.filter(contact_email=q.lower())
    digits = re.sub(r"\D", "", q)
    if len(digits) >= 6 and len(digits) >= len(q.replace(" ", "").replace(".", "")) - 1:
        return requests.filter(phone_matches("contact_phone", q))
    if connection.vendor == "postgresql":
        # The expression is the one the GIN index is built on (req_description_fts), so the index serves it.
        fts = RawSQL(
            """to_tsvector('french'::regconfig, "requests_app_request"."description")"""
            " @@ plainto_tsquery('french'::regconfig, %s)",
            [q],
            output_field=BooleanField(),
        )
        return requests.alias(fts=fts).filter(Q(fts=True) | Q(contact_name__icontains=q))
    return requests.filter(Q(contact_name__icontains=q) | Q(description__icontains=q))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def queue_queryset(
    *, user: User, filters: QueueFilters, today: datetime.date | None = None
) -> QuerySet[Request]:
    today = today or timezone.localdate()
    requests = _tab(_scope(user), filters.tab, user, today)
    exact = {
        "status": filters.status,
        "channel": filters.channel,
        "service_id": filters.service,
        "espace_id": filters.espace,
        "site_id": filters.site,
        "quartier_id": filters.quartier,
        "priority": filters.priority,
    }
    requests = requests.filter(**{key: value for key, value in exact.items() if value})
    if filters.assignee == "moi":
        requests = requests.filter(assignee=user)
    elif filters.assignee == "personne":
        requests = requests.filter(assignee__isnull=True)
    elif filters.assignee:
        requests = requests.filter(assignee_id=int(filters.assignee))
    # Local days as a range of instants, so the created_at indexes serve it (created_at__date would not).
    if filters.created_from:
        requests = requests.filter(created_at__gte=_local_midnight(filters.created_from))
    if filters.created_to:
        requests = requests.filter(
            created_at__lt=_local_midnight(filters.created_to + datetime.timedelta(days=1))
        )
    if filters.q:
        requests = _search(requests, filters.q)
    return requests.order_by(*SORTS[filters.sort])


def queue_rows(queryset: QuerySet[Request], *, page: int) -> tuple[list[Request], bool]:
    """One page of rows and whether a next page exists: one query of PAGE_SIZE + 1 rows, no COUNT (over the
    closed requests it would read a million rows). Only the assignee is joined; the names of services,
    espaces, streets, quartiers and sites come from the cached reference maps, which keeps the planner's
    work (it dominated with six joins) and the rows small."""
    start = (page - 1) * PAGE_SIZE
    rows = list(
        queryset.select_related("assignee").only(
            "reference",
            "status",
            "priority",
            "channel",
            "due_date",
            "created_at",
            "contact_name",
            "street_number",
            "is_open",
            "service_id",
            "espace_id",
            "street_id",
            "quartier_id",
            "site_id",
            "assignee__first_name",
            "assignee__last_name",
            "assignee__email",
        )[start : start + PAGE_SIZE + 1]
    )
    names = reference_names()
    # Labels translated once per page and dates formatted here: per row in the template, lazy labels and
    # the date filter cost more than the query.
    statuses = {value: str(label) for value, label in Status.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    priorities = {value: str(label) for value, label in Priority.choices}
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    for row in rows:
        row.service_name = names.services.get(row.service_id, "")
        row.espace_name = names.espaces.get(row.espace_id, "")
        row.street_name = names.streets.get(row.street_id, "")
        row.quartier_name = names.quartiers.get(row.quartier_id, "")
        row.site_name = names.sites.get(row.site_id, "")
        row.status_label = statuses.get(row.status, row.status)
        row.channel_label = channels.get(row.channel, row.channel)
        row.priority_label = priorities.get(row.priority, "")
        row.overdue = row.is_open and row.due_date is not None and row.due_date < today
        row.due_display = row.due_date.strftime("%d/%m/%Y") if row.due_date else "—"
        row.created_display = row.created_at.astimezone(tz).strftime("%d/%m/%Y %H:%M")
        row.assignee_name = str(row.assignee) if row.assignee_id else ""
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


@dataclass(frozen=True)
class ReferenceNames:
    services: dict[int, str]
    espaces: dict[int, str]
    streets: dict[int, str]
    quartiers: dict[int, str]
    sites: dict[int, str]


def reference_names() -> ReferenceNames:
    """Names of the reference rows a queue line shows, cached for 5 minutes (they change a few times a year;
    a renamed service shows under its new name within 5 minutes)."""
    names = cache.get("guichet:reference-names:v1")
    if names is None:
        names = ReferenceNames(
            services=dict(Service.objects.values_list("pk", "name")),
            espaces=dict(Espace.objects.values_list("pk", "name")),
            streets=dict(Street.objects.values_list("pk", "name")),
            quartiers=dict(Quartier.objects.values_list("pk", "name")),
            sites=dict(Site.objects.values_list("pk", "name")),
        )
        cache.set("guichet:reference-names:v1", names, 300)
    return names


def queue_counts(*, user: User, today: datetime.date | None = None) -> dict[str, int]:
    """Counts of the open tabs in one query over the open rows of the agent's espaces (the partial index
    req_open_espace_due); the closed tab is never counted."""
    today = today or timezone.localdate()
    counts = (
        _scope(user)
        .filter(is_open=True)
        .aggregate(
            **{
                "a-traiter": Count("pk", filter=Q(assignee__isnull=True)),
                "mes-demandes": Count("pk", filter=Q(assignee=user)),
                "en-attente": Count("pk", filter=Q(status=Status.AWAITING_CITIZEN)),
                "en-retard": Count("pk", filter=Q(due_date__lt=today)),
                "ouvertes": Count("pk"),
            }
        )
    )
    return counts


@dataclass(frozen=True)
class FilterChoices:
    services: list[tuple[int, str]]
    espaces: list[tuple[int, str]]
    sites: list[tuple[int, str]]
    quartiers: list[tuple[int, str]]
    agents: list[tuple[int, str]]


def filter_choices() -> FilterChoices:
    """The filter menus: reference data that changes a few times a year, cached for 5 minutes so the
    queue page does not pay five queries for its menus."""
    choices = cache.get("guichet:filter-choices:v1")
    if choices is None:
        choices = FilterChoices(
            services=list(Service.objects.order_by("name").values_list("pk", "name")),
            espaces=list(Espace.objects.order_by("order").values_list("pk", "name")),
            sites=list(Site.objects.order_by("order").values_list("pk", "name")),
            quartiers=list(Quartier.objects.order_by("name").values_list("pk", "name")),
            agents=[
                (pk, f"{first} {last}".strip() or email)
                for pk, first, last, email in User.objects.filter(
                    is_active=True, groups__name__in=[roles.AGENT, roles.SUPERVISOR]
                )
                .distinct()
                .order_by("last_name", "first_name")
                .values_list("pk", "first_name", "last_name", "email")
            ],
        )
        cache.set("guichet:filter-choices:v1", choices, 300)
    return choices


def saved_filters_for(*, user: User) -> list[SavedFilter]:
    espace_ids = agent_espace_ids(user)
    shared = Q(shared_with__isnull=False) if espace_ids is None else Q(shared_with_id__in=espace_ids)
    return list(SavedFilter.objects.filter(Q(owner=user) | shared).select_related("owner").order_by("name"))


def request_get_for_agent(*, user: User, reference: str) -> Request:
    """A request of the agent's espaces, or 404 (also for a reference that exists elsewhere)."""
    return get_object_or_404(
        _scope(user).select_related(
            "service",
            "espace",
            "assignee",
            "quartier",
            "street",
            "site",
            "requester",
            "duplicate_of",
            "created_by",
        ),
        reference=reference,
    )


def request_get_filed_or_visible(*, user: User, reference: str) -> tuple[Request, bool]:
    """A request of the agent's espaces, or one they filed at the counter for another espace (they hand its
    receipt over); the flag says whether they may open it. 404 otherwise."""
    try:
        return request_get_for_agent(user=user, reference=reference), True
    except Http404:
        filed = get_object_or_404(
            Request.objects.select_related("service", "espace", "site", "street"),
            reference=reference,
            created_by=user,
        )
        return filed, False


def requests_for_bulk(*, user: User, references: list[str]) -> tuple[list[Request], list[str]]:
    """The requests among `references` the agent may touch, and the references refused (unknown or out of
    their espaces: the same answer for both)."""
    found = {request.reference: request for request in _scope(user).filter(reference__in=references)}
    return [found[ref] for ref in references if ref in found], [ref for ref in references if ref not in found]


def reply_templates_for(*, request: Request) -> QuerySet[ReplyTemplate]:
    return ReplyTemplate.objects.filter(Q(espace__isnull=True) | Q(espace_id=request.espace_id), active=True)


def agents_for_assignment(*, request: Request) -> QuerySet[User]:
    """Who a request can be given to: agents of its espace, and supervisors."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(espaces=request.espace_id, groups__name=roles.AGENT) | Q(groups__name=roles.SUPERVISOR))
        .distinct()
        .order_by("last_name", "first_name")
    )


def staff_timeline(*, request: Request):
    """The whole history (public and internal) with authors, for the agent's request page."""
    return (
        request.events.select_related("actor", "message")
        .prefetch_related("message__attachments")
        .order_by("at", "id")
    )
