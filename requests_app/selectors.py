"""Reads of the spine. Permission-scoped getters raise 404 for what the user may not see (never 403)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from requests_app.models import (
    Attachment,
    Espace,
    OpeningPeriod,
    Request,
    RequestEvent,
    Service,
    Site,
    Status,
    Street,
)
from requests_app.registry import Ownership, registry
from requests_app.text import fold


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


# --- Requests -------------------------------------------------------------------------------------------


def service_catalogue(*, query: str = "") -> QuerySet[Service]:
    """Active services a resident can ask for online, by espace; `query` matches name, description and
    keywords (accent-insensitive on the Python side: the catalogue is small)."""
    services = Service.objects.filter(active=True).select_related("espace").order_by("espace__order", "order")
    if not query.strip():
        return services
    words = fold(query).split()
    keep = [s.pk for s in services if all(w in fold(f"{s.name} {s.description} {s.keywords}") for w in words)]
    return services.filter(pk__in=keep)


def service_get_for_filing(*, code: str) -> Service:
    return get_object_or_404(
        Service.objects.select_related("espace").prefetch_related("fields"), code=code, active=True
    )


def street_suggestions(*, query: str, limit: int = 10) -> list[Street]:
    key = fold(query)
    if len(key) < 2:
        return []
    return list(Street.objects.filter(search_key__contains=key).select_related("quartier")[:limit])


def street_match(*, typed: str) -> Street | None:
    """The reference street a typed name designates (exact, then unique partial match), or None."""
    key = fold(typed)
    if not key:
        return None
    exact = Street.objects.filter(search_key=key).first()
    if exact is not None:
        return exact
    candidates = list(Street.objects.filter(search_key__contains=key)[:2])
    return candidates[0] if len(candidates) == 1 else None


def _detail_queryset() -> QuerySet[Request]:
    return Request.objects.select_related(
        "service", "espace", "street", "quartier", "requester", "assignee", "site", "duplicate_of"
    )


def request_list_for_requester(
    *, user, status: str = "", service_code: str = "", query: str = ""
) -> QuerySet[Request]:
    """ "Mes demandes": submitted requests of the user (drafts are listed apart), newest first."""
    requests = (
        Request.objects.filter(requester=user)
        .exclude(status=Status.DRAFT)
        .select_related("service", "street")
        .order_by("-created_at")
    )
    if status == "open":
        requests = requests.filter(is_open=True)
    elif status == "closed":
        requests = requests.filter(is_open=False)
    elif status in Status.values:
        requests = requests.filter(status=status)
    if service_code:
        requests = requests.filter(service__code=service_code)
    if query.strip():
        requests = requests.filter(
            Q(reference__icontains=query.strip()) | Q(description__icontains=query.strip())
        )
    return requests


def draft_list_for_requester(*, user) -> QuerySet[Request]:
    return (
        Request.objects.filter(requester=user, status=Status.DRAFT)
        .select_related("service")
        .order_by("-updated_at")
    )


def draft_get_for_requester(*, user, pk: int) -> Request:
    return get_object_or_404(
        Request.objects.select_related("service"), pk=pk, requester=user, status=Status.DRAFT
    )


def request_get_for_requester(*, user, reference: str) -> Request:
    """The user's own submitted request; 404 for anyone else's or an unknown reference (never 403, which
    would confirm that the reference exists)."""
    return get_object_or_404(
        _detail_queryset().exclude(status=Status.DRAFT), reference=reference, requester=user
    )


def request_may_see(*, user, request: Request) -> bool:
    """Who may see a request: its requester, and agents of its espace (supervisors and managers: all)."""
    if not (user and user.is_authenticated):
        return False
    if request.requester_id == user.pk:
        return True
    if user.is_agent:
        return user.sees_every_espace or user.espaces.filter(pk=request.espace_id).exists()
    return False


def public_timeline(*, request: Request) -> list[RequestEvent]:
    """What the requester sees: public events, with their message and its public attachments (3 queries)."""
    return list(
        request.events.filter(public=True)
        .select_related("message", "actor")
        .prefetch_related(
            Prefetch("message__attachments", queryset=Attachment.objects.filter(internal=False))
        )
        .order_by("at", "id")
    )


def public_attachments(*, request: Request) -> QuerySet[Attachment]:
    return request.attachments.filter(internal=False).order_by("created_at")


def attachment_get(*, request: Request, pk: int, include_internal: bool = False) -> Attachment:
    attachments = (
        request.attachments.all() if include_internal else request.attachments.filter(internal=False)
    )
    return get_object_or_404(attachments, pk=pk)


# --- Resident front office (catalogue, filing, "Mes demandes", request page) ------------------------------


def street_list() -> QuerySet[Street]:
    """Every street of Béthune, for the address field's datalist (works without JavaScript)."""
    return Street.objects.order_by("search_key").only("name")


def user_has_verified_email(*, user) -> bool:
    """Filing online needs a verified primary address (allauth's EmailAddress)."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, primary=True, verified=True).exists()


def request_for_submission_key(*, key, user=None) -> Request | None:
    """The request a form's one-time key already filed (a second POST of the same form), if it is this
    person's: the user's own, or one filed without an account when nobody is logged in."""
    if key is None:
        return None
    requests = Request.objects.filter(submission_key=key)
    if user is None:
        return requests.filter(requester__isnull=True).first()
    return requests.filter(requester=user).first()


def services_of_requester(*, user) -> QuerySet[Service]:
    """The services the user has filed under: the choices of the "Mes demandes" service filter."""
    # One filter() call: both conditions apply to the same request row (drafts have no reference).
    return (
        Service.objects.filter(requests__requester=user, requests__reference__isnull=False)
        .distinct()
        .order_by("name")
    )


def request_get_for_user(*, user, reference: str) -> Request:
    """A submitted request the user may see on its page: their own, or one of an espace they serve (agents).
    404 otherwise, whether the reference exists or not."""
    request = get_object_or_404(_detail_queryset().exclude(status=Status.DRAFT), reference=reference)
    if request.requester_id == user.pk or (user.is_agent and request_may_see(user=user, request=request)):
        return request
    raise Http404


def request_get_for_tracking(*, token: str) -> Request:
    """The request a tracking link designates; 404 when the link was tampered with or revoked."""
    from requests_app.links import request_from_tracking_token

    request = request_from_tracking_token(token)
    if request is None or request.status == Status.DRAFT:
        raise Http404
    return request


def request_get_for_confirmation(*, token: str) -> Request:
    from requests_app.links import request_from_confirm_token

    request = request_from_confirm_token(token)
    if request is None:
        raise Http404
    return request


@dataclass(frozen=True)
class RequesterActions:
    can_reply: bool
    can_cancel: bool
    can_reopen: bool
    reopen_until: date | None


def requester_actions(*, request: Request, now: datetime | None = None) -> RequesterActions:
    """What the requester may do on the page; the services enforce the same rules on every POST."""
    now = now or timezone.now()
    reopen_until = None
    if request.status == Status.RESOLVED and request.closed_at:
        limit = request.closed_at + timedelta(days=settings.PORTAL_REOPEN_DAYS)
        if now <= limit:
            reopen_until = timezone.localdate(limit)
    return RequesterActions(
        can_reply=request.is_open,
        can_cancel=request.status == Status.NEW,
        can_reopen=reopen_until is not None,
        reopen_until=reopen_until,
    )


def ownership_of(*, request: Request) -> Ownership | None:
    """The app that owns this request's kind (a booking's request), whose pages manage it; None for the
    spine's own kinds."""
    owned = registry.ownership_of_kind(request.service.kind)
    return owned[0] if owned else None


def service_start_url(*, service: Service) -> str | None:
    """Where a démarche with its own pages starts (the appointments' booking), from its owner's
    registration; None for the generic form's démarches."""
    owned = registry.ownership_of_kind(service.kind)
    if owned is None or not owned[0].start_url_name:
        return None
    return reverse(owned[0].start_url_name)


def transferable_services() -> QuerySet[Service]:
    """The services a request can be moved to by an agent: active, of the spine's own kinds."""
    return (
        Service.objects.filter(active=True)
        .exclude(kind__in=list(registry.owned_kinds()))
        .select_related("espace")
        .order_by("espace__order", "name")
    )
