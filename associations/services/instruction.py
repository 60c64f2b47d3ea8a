"""Instruction: recevabilité, corrections, opinion, the decision (alone or by the commission), the
envelope and the 23 000 € convention threshold."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from associations import budget as budget_rules
from associations.models import (
    DECIDED,
    Association,
    Axis,
    Dossier,
    DossierStatus,
    FinancialReport,
    Payment,
    PaymentKind,
)
from associations.registration import (
    ADMISSIBLE,
    OPINION,
    owner,
)
from associations.services.dossier import _lock
from associations.services.rules import ADVANCE_SHARE, CONVENTION_THRESHOLD
from associations.services.vault import documents_missing
from requests_app.errors import ServiceError
from requests_app.models import Status
from requests_app.services import request_event_record, request_transition


def is_instructor(user) -> bool:
    """Instructors: agents of the Vie locale espace (Politiques associatives) and every supervisor, manager
    or administrator (chosen default)."""
    if not (user.is_authenticated and user.is_agent):
        return False
    return user.sees_every_espace or user.espaces.filter(code="vielocale").exists()


def _instructing(dossier: Dossier, *allowed: str) -> Dossier:
    locked = _lock(dossier)
    if locked.status not in allowed:
        raise ServiceError(
            f"Action impossible : le dossier est « {locked.get_status_display()} ».", code="status"
        )
    return locked


def dossier_corrections_ask(*, dossier: Dossier, agent: User, message: str) -> Dossier:
    if not message.strip():
        raise ServiceError(
            "Dites à l'association ce qu'elle doit corriger.", field="message", code="required"
        )
    with transaction.atomic():
        locked = _instructing(dossier, DossierStatus.SUBMITTED, DossierStatus.ADMISSIBLE)
        locked.status = DossierStatus.CORRECTIONS
        locked.save(update_fields=["status", "updated_at"])
        request_transition(
            request=locked.request,
            to_status=Status.AWAITING_CITIZEN,
            actor=agent,
            message=message,
            owner=owner(),
        )
    return locked


def dossier_admissibility(*, dossier: Dossier, agent: User, admissible: bool, message: str = "") -> Dossier:
    with transaction.atomic():
        locked = _instructing(dossier, DossierStatus.SUBMITTED)
        if admissible:
            problems = documents_missing(locked.association, on=timezone.localdate())
            if problems:
                raise ServiceError(
                    "Pièces manquantes ou expirées : " + ", ".join(problems) + ".", code="documents"
                )
            locked.status = DossierStatus.ADMISSIBLE
            locked.save(update_fields=["status", "updated_at"])
            if locked.request.status == Status.NEW:
                request_transition(
                    request=locked.request, to_status=Status.IN_PROGRESS, actor=agent, owner=owner()
                )
            request_event_record(request=locked.request, kind=ADMISSIBLE, actor=agent, owner=owner())
        else:
            if not message.strip():
                raise ServiceError(
                    "Expliquez pourquoi le dossier est irrecevable.", field="message", code="required"
                )
            locked.status = DossierStatus.INADMISSIBLE
            locked.save(update_fields=["status", "updated_at"])
            request_transition(
                request=locked.request, to_status=Status.REJECTED, actor=agent, message=message, owner=owner()
            )
    return locked


def dossier_opinion(*, dossier: Dossier, agent: User, opinion: str, proposed_amount) -> Dossier:
    amount = budget_rules.whole_euros(proposed_amount, field="proposed_amount", label="Montant proposé")
    if not opinion.strip():
        raise ServiceError("Rédigez l'avis de l'instructeur.", field="opinion", code="required")
    with transaction.atomic():
        locked = _instructing(dossier, DossierStatus.ADMISSIBLE)
        locked.opinion = opinion.strip()
        locked.proposed_amount = Decimal(amount)
        locked.save(update_fields=["opinion", "proposed_amount", "updated_at"])
        request_event_record(
            request=locked.request,
            kind=OPINION,
            actor=agent,
            public=False,
            payload={"proposed": amount},
            owner=owner(),
        )
    return locked


def year_total(association: Association, year: int, *, exclude: int | None = None) -> Decimal:
    """The association's subsidies decided for a year (campaign year): cash plus valued in kind."""
    rows = Dossier.objects.filter(association=association, campaign__year=year, status__in=DECIDED)
    if exclude:
        rows = rows.exclude(pk=exclude)
    sums = rows.aggregate(cash=Sum("granted_amount"), in_kind=Sum("granted_in_kind"))
    return (sums["cash"] or Decimal(0)) + (sums["in_kind"] or Decimal(0))


def axis_remaining(axis: Axis, *, exclude: int | None = None) -> Decimal:
    granted = Dossier.objects.filter(axis=axis, status__in=DECIDED)
    if exclude:
        granted = granted.exclude(pk=exclude)
    return axis.envelope - (granted.aggregate(total=Sum("granted_amount"))["total"] or Decimal(0))


class OverEnvelope(ServiceError):
    """The decision exceeds what is left of the axis's envelope: the view asks for an explicit
    confirmation."""


def report_due_on(campaign_year: int) -> datetime.date:
    """Six months after the end of the financial year the grant is spent in (the campaign's calendar year,
    chosen default)."""
    return datetime.date(campaign_year + 1, 6, 30)


def _decide(
    locked: Dossier,
    *,
    agent: User,
    outcome: str,
    amount: int,
    in_kind: int,
    number: str,
    on: datetime.date,
    confirm_over_envelope: bool,
    instalments: bool,
    message: str,
) -> Dossier:
    if outcome not in (DossierStatus.GRANTED, DossierStatus.PARTLY, DossierStatus.REFUSED):
        raise ServiceError("Choisissez la décision.", field="outcome", code="required")
    if not number.strip() or on is None:
        raise ServiceError(
            "Indiquez le numéro et la date de la délibération.", field="deliberation_number", code="required"
        )
    if outcome == DossierStatus.REFUSED:
        amount, in_kind = 0, 0
        if not message.strip():
            raise ServiceError(
                "Motivez le refus : le motif figure dans la lettre.", field="message", code="required"
            )
    elif amount <= 0 and in_kind <= 0:
        raise ServiceError("Indiquez le montant accordé.", field="amount", code="required")
    if outcome != DossierStatus.REFUSED and locked.axis_id and not confirm_over_envelope:
        remaining = axis_remaining(locked.axis, exclude=locked.pk)
        if Decimal(amount) > remaining:
            raise OverEnvelope(
                f"Ce montant ({budget_rules.euros(amount)}) dépasse le reste de l'enveloppe de l'axe "
                f"« {locked.axis.title} » ({budget_rules.euros(remaining)}) : "
                "confirmez pour l'accorder quand même.",
                field="confirm_over_envelope",
                code="over_envelope",
            )
    locked.status = outcome
    locked.granted_amount = Decimal(amount)
    locked.granted_in_kind = Decimal(in_kind)
    locked.deliberation_number = number.strip()
    locked.deliberation_on = on
    locked.decided_at = timezone.now()
    if outcome != DossierStatus.REFUSED:
        total = year_total(locked.association, locked.campaign.year, exclude=locked.pk) + amount + in_kind
        locked.convention_required = total > CONVENTION_THRESHOLD
    locked.save()
    if outcome != DossierStatus.REFUSED:
        if amount > 0:
            if instalments:
                advance = (Decimal(amount) * ADVANCE_SHARE).quantize(Decimal(1))
                Payment.objects.create(
                    dossier=locked, kind=PaymentKind.ADVANCE, amount=advance, planned_on=on
                )
                Payment.objects.create(
                    dossier=locked,
                    kind=PaymentKind.BALANCE,
                    amount=Decimal(amount) - advance,
                    planned_on=report_due_on(locked.campaign.year),
                )
            else:
                Payment.objects.create(dossier=locked, kind=PaymentKind.SINGLE, amount=amount, planned_on=on)
        FinancialReport.objects.create(dossier=locked, due_on=report_due_on(locked.campaign.year))
        # The other grants of the year may now cross the threshold too.
        if locked.convention_required:
            Dossier.objects.filter(
                association=locked.association, campaign__year=locked.campaign.year, status__in=DECIDED
            ).update(convention_required=True)
    text = message.strip() or (
        f"Subvention accordée : {budget_rules.euros(amount)}"
        + (f" et une aide en nature valorisée {budget_rules.euros(in_kind)}" if in_kind else "")
        + f" (délibération n° {locked.deliberation_number} du {on:%d/%m/%Y})."
        + " La lettre de décision est jointe."
    )
    request = locked.request
    if request.status == Status.NEW:
        request_transition(
            request=request, to_status=Status.IN_PROGRESS, actor=agent, public=False, owner=owner()
        )
    request_transition(
        request=request,
        to_status=Status.REJECTED if outcome == DossierStatus.REFUSED else Status.RESOLVED,
        actor=agent,
        message=text,
        notify_template="associations/decision",
        owner=owner(),
    )
    return locked


def _decision_inputs(amount, in_kind) -> tuple[int, int]:
    return (
        budget_rules.whole_euros(amount, field="amount", label="Montant accordé"),
        budget_rules.whole_euros(in_kind, field="in_kind", label="Aide en nature accordée"),
    )


def dossier_decide(
    *,
    dossier: Dossier,
    agent: User,
    outcome: str,
    amount="0",
    in_kind="0",
    deliberation_number: str = "",
    deliberation_on: datetime.date | None = None,
    confirm_over_envelope: bool = False,
    instalments: bool = False,
    message: str = "",
) -> Dossier:
    cash, kind = _decision_inputs(amount, in_kind)
    with transaction.atomic():
        locked = _instructing(dossier, DossierStatus.ADMISSIBLE)
        return _decide(
            locked,
            agent=agent,
            outcome=outcome,
            amount=cash,
            in_kind=kind,
            number=deliberation_number,
            on=deliberation_on,
            confirm_over_envelope=confirm_over_envelope,
            instalments=instalments,
            message=message,
        )


def commission_decide(
    *,
    dossiers: list[Dossier],
    agent: User,
    deliberation_number: str,
    deliberation_on: datetime.date | None,
    confirm_over_envelope: bool = False,
) -> list[Dossier]:
    """The commission grants many dossiers at once, each at its proposed amount (partly when below the amount
    asked, refused at 0). All or nothing: one error leaves every dossier as it was."""
    if not dossiers:
        raise ServiceError("Cochez au moins un dossier.", field="dossiers", code="required")
    decided = []
    with transaction.atomic():
        for dossier in sorted(dossiers, key=lambda item: item.pk):
            locked = _instructing(dossier, DossierStatus.ADMISSIBLE)
            if locked.proposed_amount is None:
                raise ServiceError(
                    f"Le dossier « {locked.title} » n'a pas encore de montant proposé.",
                    field="dossiers",
                    code="no_proposal",
                )
            proposed = int(locked.proposed_amount)
            if proposed == 0:
                outcome = DossierStatus.REFUSED
            elif proposed < locked.amount_asked:
                outcome = DossierStatus.PARTLY
            else:
                outcome = DossierStatus.GRANTED
            decided.append(
                _decide(
                    locked,
                    agent=agent,
                    outcome=outcome,
                    amount=proposed,
                    in_kind=int(locked.in_kind_value) if outcome != DossierStatus.REFUSED else 0,
                    number=deliberation_number,
                    on=deliberation_on,
                    confirm_over_envelope=confirm_over_envelope,
                    instalments=proposed > 5000,
                    message="" if proposed else "La commission n'a pas retenu ce projet.",
                )
            )
    return decided
