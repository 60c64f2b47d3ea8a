"""Everything that happens to a submitted request: the status machine, messages, notes, assignment,
service and priority changes, duplicates. Each write locks the row (select_for_update), appends an event
and, when the requester is concerned, an outbox notification in the same transaction."""

import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from requests_app.errors import AlreadyTaken, OwnedKindMove, ServiceError, TransitionNotAllowed
from requests_app.models import EventKind, Message, Request, RequestEvent, Service, Status
from requests_app.models.request import OPEN_STATUSES
from requests_app.registry import Owner, registry
from requests_app.services.filing import attachments_store, due_date_for
from requests_app.services.outbox import notification_enqueue
from requests_app.uploads import uploads_check

# The one table of allowed transitions (docs/architecture.md). Draft → new happens only by submission.
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {
        Status.IN_PROGRESS,
        Status.AWAITING_CITIZEN,
        Status.RESOLVED,
        Status.REJECTED,
        Status.CANCELLED,
    },
    Status.IN_PROGRESS: {Status.AWAITING_CITIZEN, Status.RESOLVED, Status.REJECTED, Status.CANCELLED},
    Status.AWAITING_CITIZEN: {Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED},
    Status.RESOLVED: {Status.IN_PROGRESS},
}
# What the requester may do themselves; everything else is the agents'.
REQUESTER_TRANSITIONS: set[tuple[str, str]] = {
    (Status.NEW, Status.CANCELLED),  # cancel while nobody has started on it
    (Status.RESOLVED, Status.IN_PROGRESS),  # reopen within PORTAL_REOPEN_DAYS
    (Status.AWAITING_CITIZEN, Status.IN_PROGRESS),  # answering a request for information
}
CLOSING = {Status.RESOLVED, Status.REJECTED}
NOTIFY_TEMPLATE = {
    Status.IN_PROGRESS: "status_changed",
    Status.AWAITING_CITIZEN: "info_requested",
    Status.RESOLVED: "closed",
    Status.REJECTED: "closed",
    Status.CANCELLED: "status_changed",
}


def _check_owner(request: Request, owner: Owner | None) -> None:
    """A request of a kind an app owns (a booking's) changes only through that app: the caller must hold
    the app's `Owner` from the registry, so that the request cannot drift from the app's own record."""
    owned = registry.ownership_of_kind(request.service.kind)
    if owned is None:
        return
    ownership, expected = owned
    if owner is not expected:
        raise TransitionNotAllowed(
            f"Ce {ownership.noun} se gère depuis sa propre page : son statut suit celui du {ownership.noun}.",
            code="domain_owned",
        )


def _lock(request: Request) -> Request:
    # of=("self",): lock the request row only. The requester is a nullable join (LEFT OUTER JOIN), which
    # PostgreSQL refuses to lock ("FOR UPDATE cannot be applied to the nullable side of an outer join").
    return (
        Request.objects.select_for_update(of=("self",))
        .select_related("service", "requester")
        .get(pk=request.pk)
    )


def _is_requester(request: Request, actor: User | None) -> bool:
    return actor is not None and request.requester_id is not None and request.requester_id == actor.pk


def _message(
    request: Request,
    event: RequestEvent,
    *,
    author: User | None,
    body: str,
    from_staff: bool,
    internal: bool = False,
) -> Message:
    if len(body) > settings.PORTAL_MAX_DESCRIPTION:
        raise ServiceError(
            f"Le message ne peut pas dépasser {settings.PORTAL_MAX_DESCRIPTION} caractères.",
            field="body",
            code="too_long",
        )
    return Message.objects.create(
        request=request,
        event=event,
        author=author,
        body=body.strip(),
        from_staff=from_staff,
        internal=internal,
    )


def _notify_requester(
    request: Request, event: RequestEvent, template: str, context: dict | None = None
) -> None:
    if request.requester_email:
        notification_enqueue(
            event=event, template=template, recipient=request.requester_email, context=context
        )


def _set_status(request: Request, to_status: str, *, now: datetime.datetime) -> None:
    request.status = to_status
    request.is_open = to_status in OPEN_STATUSES
    if to_status in (Status.RESOLVED, Status.REJECTED, Status.CANCELLED):
        request.closed_at = now
    elif request.closed_at is not None:
        request.closed_at = None


def request_transition(
    *,
    request: Request,
    to_status: str,
    actor: User | None,
    message: str = "",
    public: bool = True,
    as_requester: bool = False,
    notify_template: str | None = None,
    notify_context: dict | None = None,
    owner: Owner | None = None,
) -> Request:
    """Move a request along the status machine. Closing (resolved, rejected, or cancelled by an agent)
    needs a message to the requester; the requester may only cancel a new request, reopen a recently
    resolved one, or answer.
    `as_requester`: the requester acts without an account (the tracking link), so `actor` is None.
    `notify_template`: a domain app's own email for this change (a booking cancelled by the service, with
    the link to book again) instead of the spine's generic one.
    `owner`: the `Owner` of the app that owns the request's kind (requests_app.registry); without it, a
    status change of such a request is refused, so that it cannot drift from the app's own record."""
    with transaction.atomic():
        locked = _lock(request)
        old = locked.status
        if to_status not in Status.values:
            raise TransitionNotAllowed("Choisissez un statut de la liste.", code="unknown_status")
        _check_owner(locked, owner)
        if to_status not in TRANSITIONS.get(old, set()):
            raise TransitionNotAllowed(
                f"Impossible de passer une demande « {Status(old).label} » à « {Status(to_status).label} ».",
                code="transition",
            )
        by_requester = as_requester or (_is_requester(locked, actor) and not (actor and actor.is_agent))
        if by_requester and (old, to_status) not in REQUESTER_TRANSITIONS:
            raise TransitionNotAllowed(
                "Vous ne pouvez pas effectuer cette action sur votre demande.", code="transition"
            )
        now = timezone.now()
        if by_requester and old == Status.RESOLVED:
            limit = locked.closed_at + datetime.timedelta(days=settings.PORTAL_REOPEN_DAYS)
            if now > limit:
                raise TransitionNotAllowed(
                    f"Une demande ne peut être rouverte que dans les {settings.PORTAL_REOPEN_DAYS} jours "
                    "qui suivent "
                    "sa résolution. Faites une nouvelle demande.",
                    code="reopen_late",
                )
        # An agent closing a request, cancelling included, owes the requester an explanation.
        if (
            to_status in CLOSING or (to_status == Status.CANCELLED and not by_requester)
        ) and not message.strip():
            raise ServiceError(
                "Écrivez un message au demandeur pour clore la demande.", field="message", code="required"
            )
        _set_status(locked, to_status, now=now)
        if not by_requester and locked.first_response_at is None:
            locked.first_response_at = now
        locked.save()
        kind = EventKind.INFO_REQUESTED if to_status == Status.AWAITING_CITIZEN else EventKind.STATUS
        event = RequestEvent.objects.create(
            request=locked,
            actor=actor,
            kind=kind,
            old_status=old,
            new_status=to_status,
            public=public,
            payload={"reopened": old == Status.RESOLVED},
        )
        if message.strip():
            _message(locked, event, author=actor, body=message, from_staff=not by_requester)
        if not by_requester and public:
            _notify_requester(locked, event, notify_template or NOTIFY_TEMPLATE[to_status], notify_context)
    return locked


def request_cancel(
    *,
    request: Request,
    actor: User | None,
    as_requester: bool = False,
    message: str = "",
    owner: Owner | None = None,
) -> Request:
    return request_transition(
        request=request,
        to_status=Status.CANCELLED,
        actor=actor,
        as_requester=as_requester,
        message=message,
        owner=owner,
    )


def request_reopen(
    *,
    request: Request,
    actor: User | None,
    message: str = "",
    as_requester: bool = False,
    owner: Owner | None = None,
) -> Request:
    return request_transition(
        request=request,
        to_status=Status.IN_PROGRESS,
        actor=actor,
        message=message,
        as_requester=as_requester,
        owner=owner,
    )


def request_message_post(
    *,
    request: Request,
    author: User | None,
    body: str,
    files: list[UploadedFile] | None = None,
    internal: bool = False,
    as_requester: bool = False,
) -> Message:
    """A message in the thread. From the requester (as_requester, or the account that filed it): answering
    a request for information puts the request back in progress. From an agent: the requester is emailed;
    an internal note is never shown nor sent to the requester."""
    if not body.strip():
        raise ServiceError("Écrivez votre message.", field="body", code="required")
    from_requester = as_requester or (_is_requester(request, author) and not (author and author.is_agent))
    if from_requester and internal:
        raise ServiceError("Seuls les agents écrivent des notes internes.", code="forbidden")
    with transaction.atomic():
        locked = _lock(request)
        if locked.status == Status.DRAFT:
            raise ServiceError("Envoyez d'abord la demande.", code="draft")
        if from_requester and not locked.is_open:
            raise ServiceError(
                "Cette demande est close : rouvrez-la ou faites une nouvelle demande.", code="closed"
            )
        # PORTAL_MAX_FILES is per message: a resident who joined five photos at filing can still send the
        # document the town asks for. The total per request (PORTAL_MAX_FILES_PER_REQUEST) is checked by
        # attachments_store below, under this row lock; its refusal rolls the whole message back.
        checked = uploads_check(files or [])
        now = timezone.now()
        if from_requester and locked.status == Status.AWAITING_CITIZEN:
            _set_status(locked, Status.IN_PROGRESS, now=now)
            RequestEvent.objects.create(
                request=locked,
                actor=author,
                kind=EventKind.STATUS,
                old_status=Status.AWAITING_CITIZEN,
                new_status=Status.IN_PROGRESS,
            )
        if not from_requester and not internal and locked.first_response_at is None:
            locked.first_response_at = now
        locked.save()
        event = RequestEvent.objects.create(
            request=locked,
            actor=author,
            kind=EventKind.NOTE if internal else EventKind.MESSAGE,
            public=not internal,
        )
        message = _message(
            locked, event, author=author, body=body, from_staff=not from_requester, internal=internal
        )
        attachments_store(locked, checked, by=author, message=message)
        if checked:
            for attachment in message.attachments.all():
                attachment.internal = internal
                attachment.save(update_fields=["internal"])
        if not from_requester and not internal:
            _notify_requester(locked, event, "agent_message")
    return message


def request_claim(*, request: Request, agent: User) -> Request:
    """Take an unassigned request. Two agents at once: the conditional UPDATE lets exactly one win; the
    other is told who has it."""
    with transaction.atomic():
        won = Request.objects.filter(pk=request.pk, assignee__isnull=True, is_open=True).update(
            assignee=agent, updated_at=timezone.now()
        )
        if not won:
            current = Request.objects.select_related("assignee").get(pk=request.pk)
            if current.assignee_id == agent.pk:
                return current
            if current.assignee_id:
                raise AlreadyTaken(
                    f"Cette demande est déjà prise en charge par {current.assignee}.", code="taken"
                )
            raise ServiceError("Cette demande est close.", code="closed")
        locked = _lock(request)
        RequestEvent.objects.create(
            request=locked,
            actor=agent,
            kind=EventKind.ASSIGNED,
            public=False,
            payload={"assignee": agent.pk, "assignee_name": str(agent), "claimed": True},
        )
    return locked


def request_assign(*, request: Request, actor: User, assignee: User | None) -> Request:
    if assignee is not None and not assignee.is_agent:
        raise ServiceError(
            f"{assignee} n'est pas un agent : impossible de lui attribuer une demande.",
            field="assignee",
            code="not_agent",
        )
    with transaction.atomic():
        locked = _lock(request)
        if not locked.is_open:
            raise ServiceError("Cette demande est close.", code="closed")
        previous = locked.assignee
        locked.assignee = assignee
        locked.save(update_fields=["assignee", "updated_at"])
        RequestEvent.objects.create(
            request=locked,
            actor=actor,
            kind=EventKind.ASSIGNED,
            public=False,
            payload={
                "assignee": assignee.pk if assignee else None,
                "assignee_name": str(assignee) if assignee else "",
                "previous_name": str(previous) if previous else "",
            },
        )
    return locked


def request_change_service(*, request: Request, actor: User, service: Service) -> Request:
    """Re-file under another service: the espace, the SLA and so the due date follow it. Never into or out
    of a kind an app owns: a booking's request moved to a generic service could be cancelled while the
    booking keeps its seat, and a generic request moved into an agenda would have no booking."""
    if not service.active:
        raise ServiceError("Ce service n'est plus proposé.", field="service", code="inactive")
    with transaction.atomic():
        locked = _lock(request)
        if locked.service_id == service.pk:
            return locked
        for kind in (locked.service.kind, service.kind):
            owned = registry.ownership_of_kind(kind)
            if owned is not None:
                raise OwnedKindMove(owned[0].noun)
        previous = locked.service
        locked.service = service
        locked.espace_id = service.espace_id
        if locked.is_open:
            start = timezone.localdate(locked.submitted_at or timezone.now())
            locked.due_date = due_date_for(service=service, start=start)
        locked.save()
        RequestEvent.objects.create(
            request=locked,
            actor=actor,
            kind=EventKind.SERVICE,
            public=True,
            payload={
                "from": previous.name,
                "to": service.name,
                "due_date": locked.due_date.isoformat() if locked.due_date else None,
            },
        )
    return locked


def request_set_priority(*, request: Request, actor: User, priority: int) -> Request:
    with transaction.atomic():
        locked = _lock(request)
        old = locked.priority
        locked.priority = priority
        locked.save(update_fields=["priority", "updated_at"])
        RequestEvent.objects.create(
            request=locked,
            actor=actor,
            kind=EventKind.PRIORITY,
            public=False,
            payload={"from": old, "to": priority},
        )
    return locked


def request_mark_duplicate(*, request: Request, actor: User, original: Request, message: str = "") -> Request:
    """Close a request as a duplicate of another: the requester is told and follows the original.
    Both rows are locked in primary-key order and the rules re-checked under the lock: two agents marking
    A a duplicate of B and B of A at the same moment cannot make a loop (the second waits, then sees the
    first's mark and is refused)."""
    if original.pk == request.pk:
        raise ServiceError(
            "Une demande ne peut pas être le doublon d'elle-même.", field="original", code="self"
        )
    body = message.strip() or (
        f"Votre demande a déjà été signalée sous la référence {original.reference}. Elle est traitée dans "
        "ce dossier, dont vous pouvez suivre l'avancement."
    )
    with transaction.atomic():
        locked_rows = {
            row.pk: row
            for row in Request.objects.select_for_update(of=("self",))
            .select_related("service", "requester")
            .filter(pk__in=sorted((request.pk, original.pk)))
            .order_by("pk")
        }
        locked, locked_original = locked_rows[request.pk], locked_rows[original.pk]
        if locked_original.duplicate_of_id:
            raise ServiceError(
                f"{locked_original} est elle-même un doublon : choisissez la demande d'origine.",
                field="original",
                code="chain",
            )
        if locked.duplicate_of_id:
            raise ServiceError(f"{locked} est déjà marquée comme doublon.", field="original", code="already")
        if Request.objects.filter(duplicate_of=locked).exists():
            # Its own duplicates would then point at a closed duplicate: a chain nobody follows.
            raise ServiceError(
                f"{locked} a elle-même des doublons : marquez plutôt {locked_original} comme doublon de "
                f"{locked}.",
                field="original",
                code="has_duplicates",
            )
        locked.duplicate_of = locked_original
        locked.save(update_fields=["duplicate_of", "updated_at"])
        RequestEvent.objects.create(
            request=locked,
            actor=actor,
            kind=EventKind.DUPLICATE,
            public=True,
            payload={"original": locked_original.reference},
        )
        return request_transition(request=locked, to_status=Status.RESOLVED, actor=actor, message=body)


def request_event_record(
    *,
    request: Request,
    kind: str,
    actor: User | None = None,
    public: bool = True,
    payload: dict | None = None,
    notify_template: str | None = None,
    notify_context: dict | None = None,
    owner: Owner | None = None,
) -> RequestEvent:
    """A domain app's fact on the request's timeline (a reminder sent, a pickup scheduled), with, when it
    concerns the requester, the app's own email through the outbox in the same transaction. `kind` is one
    of the spine's event kinds or one the app registered ("appointments.reminder"); on a request of a kind
    an app owns, only that app (its `owner`) records facts."""
    if kind not in EventKind.values and registry.event_kind(kind) is None:
        raise ValueError(f"unknown event kind {kind!r}: register it with the app (requests_app.registry)")
    _check_owner(request, owner)
    with transaction.atomic():
        event = RequestEvent.objects.create(
            request=request, actor=actor, kind=kind, public=public, payload=payload or {}
        )
        if notify_template:
            _notify_requester(request, event, notify_template, notify_context)
    return event


def request_requester_notify(
    *, event: RequestEvent, template: str, context: dict | None = None, owner: Owner | None = None
) -> None:
    """Tell the requester of an event through the outbox with an app's own email (a booking moved): call it
    inside the event's transaction. The template must be registered by the app."""
    if registry.email_builder(template) is None:
        raise ValueError(f"unknown email {template!r}: register it with the app (requests_app.registry)")
    _check_owner(event.request, owner)
    _notify_requester(event.request, event, template, context)
