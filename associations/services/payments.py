"""Payments and the compte-rendu financier (CERFA 15059): the balance waits for the accepted report."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from associations import budget as budget_rules
from associations.models import (
    FinancialReport,
    Payment,
    PaymentKind,
    ReportStatus,
)
from associations.registration import (
    PAYMENT,
    REPORT_ACCEPTED,
    REPORT_MORE,
    REPORT_REMINDER,
    REPORT_SUBMITTED,
    owner,
)
from associations.services.tiers import membership_get
from requests_app.errors import ServiceError
from requests_app.services import request_event_record


def payment_mark_paid(*, payment: Payment, agent: User, on: datetime.date | None = None) -> Payment:
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("dossier__request")
            .get(pk=payment.pk)
        )
        if locked.paid_on:
            raise ServiceError("Ce versement est déjà effectué.", code="paid")
        if locked.kind == PaymentKind.BALANCE:
            report = FinancialReport.objects.filter(dossier_id=locked.dossier_id).first()
            if report is None or report.status != ReportStatus.ACCEPTED:
                raise ServiceError(
                    "Le solde est bloqué tant que le compte-rendu financier n'est pas accepté.",
                    code="balance_blocked",
                )
        locked.paid_on = on
        locked.save(update_fields=["paid_on"])
        request_event_record(
            request=locked.dossier.request,
            kind=PAYMENT,
            actor=agent,
            payload={"amount": str(locked.amount), "kind": locked.kind},
            owner=owner(),
        )
    return locked


def report_submit(*, report: FinancialReport, user: User, actual: dict, review: str) -> FinancialReport:
    membership_get(association=report.dossier.association, user=user)
    if report.status not in (ReportStatus.EXPECTED, ReportStatus.MORE):
        raise ServiceError("Ce compte-rendu est déjà déposé.", code="status")
    grid = budget_rules.budget_parse(actual)
    if budget_rules.totals(grid)["charges"] == 0:
        raise ServiceError("Indiquez les charges réalisées.", field="budget", code="empty")
    if not review.strip():
        raise ServiceError("Rédigez le bilan qualitatif de l'action.", field="review", code="required")
    with transaction.atomic():
        report.actual = grid
        report.review = review.strip()
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.save()
        request_event_record(request=report.dossier.request, kind=REPORT_SUBMITTED, actor=user, owner=owner())
    return report


def report_review(*, report: FinancialReport, agent: User, accept: bool, note: str = "") -> FinancialReport:
    if report.status != ReportStatus.SUBMITTED:
        raise ServiceError("Ce compte-rendu n'est pas en attente d'examen.", code="status")
    if not accept and not note.strip():
        raise ServiceError("Précisez les compléments attendus.", field="note", code="required")
    with transaction.atomic():
        report.status = ReportStatus.ACCEPTED if accept else ReportStatus.MORE
        report.staff_note = note.strip()
        report.accepted_at = timezone.now() if accept else None
        report.save()
        request_event_record(
            request=report.dossier.request,
            kind=REPORT_ACCEPTED if accept else REPORT_MORE,
            actor=agent,
            payload={"note": note.strip()},
            notify_template=None if accept else "associations/report_more",
            owner=owner(),
        )
    return report


def report_reminders(*, today: datetime.date | None = None) -> int:
    """Reminders 30 days before the due date and on the date, each claimed once on the report row and
    sent through the request's outbox."""
    today = today or timezone.localdate()
    sent = 0
    for column, day in (("reminded_30_at", today + datetime.timedelta(days=30)), ("reminded_due_at", today)):
        ids = FinancialReport.objects.filter(
            **{f"{column}__isnull": True},
            due_on__lte=day,
            status__in=[ReportStatus.EXPECTED, ReportStatus.MORE],
        ).values_list("pk", flat=True)
        for report_id in list(ids):
            with transaction.atomic():
                if not FinancialReport.objects.filter(pk=report_id, **{f"{column}__isnull": True}).update(
                    **{column: timezone.now()}
                ):
                    continue
                report = FinancialReport.objects.select_related("dossier__request").get(pk=report_id)
                request_event_record(
                    request=report.dossier.request,
                    kind=REPORT_REMINDER,
                    payload={"due_on": report.due_on.isoformat()},
                    notify_template="associations/report_reminder",
                    owner=owner(),
                )
                sent += 1
    return sent
