"""Walk-in visitors: the counter's waiting line. The only writers of Visit rows.

Two races are settled by the database, never by a check-then-write:
- two arrivals registered at once at a site must not share a ticket number: the site row is locked
  (FOR NO KEY UPDATE, which does not block requests being filed at that site) while max+1 is taken, and
  the unique constraint visit_ticket_unique_per_site_day backs it up (retried on IntegrityError, which is
  what settles it on SQLite, where select_for_update is a no-op);
- two agents calling the next visitor of an espace at once must not get the same person: the call is a
  conditional UPDATE … WHERE status = 'waiting'; the agent whose UPDATE changed no row tries the next one.
"""

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Max, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from guichet.access import agent_espace_ids
from guichet.models import Visit, VisitOutcome, VisitStatus
from requests_app.errors import AlreadyTaken, ServiceError
from requests_app.models import Espace, Request, Site, Status

TICKET_ATTEMPTS = 5
# Visits still in the line: waiting, or called and being received.
ACTIVE_STATUSES = (VisitStatus.WAITING, VisitStatus.CALLED)


def _check_espace(*, agent: User, espace_id: int) -> None:
    espace_ids = agent_espace_ids(agent)
    if espace_ids is not None and espace_id not in espace_ids:
        raise ServiceError(
            "Vous ne recevez pas les visiteurs de cet espace.", field="espace", code="forbidden"
        )


def visit_register(
    *, site: Site, espace: Espace, reason: str, registered_by: User, visitor_name: str = ""
) -> Visit:
    """Register a walk-in visitor; the ticket is numbered from 1 each day at each site."""
    reason = reason.strip()
    visitor_name = visitor_name.strip()
    if not reason:
        raise ServiceError("Indiquez le motif de la visite.", field="reason", code="required")
    if len(reason) > 200:
        raise ServiceError("Le motif ne peut pas dépasser 200 caractères.", field="reason", code="too_long")
    if len(visitor_name) > 120:
        raise ServiceError(
            "Le nom ne peut pas dépasser 120 caractères.", field="visitor_name", code="too_long"
        )
    day = timezone.localdate()
    for attempt in range(TICKET_ATTEMPTS):
        try:
            with transaction.atomic():
                # Serialises ticket allocation per site until commit (PostgreSQL); FOR NO KEY UPDATE does
                # not conflict with the FOR KEY SHARE that inserting a row referencing the site takes.
                Site.objects.select_for_update(no_key=True).filter(pk=site.pk).exists()
                last = Visit.objects.filter(site=site, day=day).aggregate(last=Max("ticket"))["last"] or 0
                return Visit.objects.create(
                    site=site,
                    espace=espace,
                    day=day,
                    ticket=last + 1,
                    reason=reason,
                    visitor_name=visitor_name,
                    registered_by=registered_by,
                )
        except IntegrityError:
            # Another registration took this number between our read and our insert: read again.
            if attempt == TICKET_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def visit_call_next(*, site: Site, espace: Espace, agent: User, counter: str = "") -> Visit | None:
    """Call the oldest visitor of today waiting for `espace` at `site`; None when nobody waits."""
    _check_espace(agent=agent, espace_id=espace.pk)
    counter = counter.strip()[:20]
    day = timezone.localdate()
    with transaction.atomic():
        while True:
            candidate = (
                Visit.objects.filter(site=site, espace=espace, day=day, status=VisitStatus.WAITING)
                .order_by("arrived_at", "id")
                .values_list("pk", flat=True)
                .first()
            )
            if candidate is None:
                return None
            now = timezone.now()
            # The winner is whoever's UPDATE finds the row still waiting; the loser moves on to the next.
            won = Visit.objects.filter(pk=candidate, status=VisitStatus.WAITING).update(
                status=VisitStatus.CALLED, called_at=now, called_by=agent, counter=counter
            )
            if won:
                return Visit.objects.select_related("espace", "site").get(pk=candidate)


def visit_close(
    *, visit: Visit, agent: User, outcome: str, request_reference: str = "", note: str = ""
) -> Visit:
    """End a visit with its outcome. "request": linked to an existing request the agent may see;
    "redirected": the note says to which service."""
    _check_espace(agent=agent, espace_id=visit.espace_id)
    if outcome not in VisitOutcome.values:
        raise ServiceError("Choisissez l'issue de la visite.", field="outcome", code="required")
    note = note.strip()
    if len(note) > 200:
        raise ServiceError("La précision ne peut pas dépasser 200 caractères.", field="note", code="too_long")
    linked: Request | None = None
    if outcome == VisitOutcome.REQUEST:
        reference = request_reference.strip().upper()
        if not reference:
            raise ServiceError(
                "Indiquez la référence de la demande enregistrée.", field="request_reference", code="required"
            )
        linked = Request.objects.exclude(status=Status.DRAFT).filter(reference=reference).first()
        espace_ids = agent_espace_ids(agent)
        # The same message for an unknown reference and one the agent may not see: no confirmation
        # that a request exists outside their espaces.
        if linked is None or (espace_ids is not None and linked.espace_id not in espace_ids):
            raise ServiceError(
                f"Aucune demande {reference} parmi celles que vous pouvez consulter.",
                field="request_reference",
                code="not_found",
            )
    elif outcome == VisitOutcome.REDIRECTED and not note:
        raise ServiceError(
            "Indiquez le service vers lequel le visiteur a été orienté.", field="note", code="required"
        )
    with transaction.atomic():
        now = timezone.now()
        # A visitor helped straight away at the desk was never called: served now, waited until now.
        closed = Visit.objects.filter(pk=visit.pk, status__in=ACTIVE_STATUSES).update(
            status=VisitStatus.CLOSED,
            closed_at=now,
            called_at=Coalesce("called_at", now),
            called_by=Coalesce("called_by", Value(agent.pk), output_field=BigIntegerField()),
            outcome=outcome,
            outcome_note=note,
            request=linked,
        )
        if not closed:
            raise AlreadyTaken("Cette visite est déjà terminée.", code="already_closed")
        return Visit.objects.select_related("espace", "site", "request").get(pk=visit.pk)


def visit_mark_left(*, visit: Visit, agent: User) -> Visit:
    """The visitor went away before being received (or did not answer the call)."""
    _check_espace(agent=agent, espace_id=visit.espace_id)
    with transaction.atomic():
        left = Visit.objects.filter(pk=visit.pk, status__in=ACTIVE_STATUSES).update(
            status=VisitStatus.LEFT, closed_at=timezone.now()
        )
        if not left:
            raise AlreadyTaken("Cette visite est déjà terminée.", code="already_closed")
        return Visit.objects.select_related("espace", "site").get(pk=visit.pk)
