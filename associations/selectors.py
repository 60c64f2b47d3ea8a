"""Reads of the associations app. Member-scoped getters raise 404 for non-members (never 403)."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from associations.models import (
    DECIDED,
    Association,
    Axis,
    Campaign,
    Dossier,
    DossierStatus,
    FinancialReport,
    Membership,
    ReportStatus,
)


def associations_of(user) -> list[Association]:
    if not user.is_authenticated:
        return []
    return list(Association.objects.filter(memberships__user=user).order_by("name"))


def association_get_for_member(*, user, pk: int) -> tuple[Association, Membership]:
    if not user.is_authenticated:
        raise Http404
    membership = Membership.objects.select_related("association").filter(association_id=pk, user=user).first()
    if membership is None:
        raise Http404
    return membership.association, membership


def dossier_get_for_member(*, user, pk: int) -> Dossier:
    if not user.is_authenticated:
        raise Http404
    dossier = (
        Dossier.objects.select_related("association", "campaign", "axis", "request")
        .filter(pk=pk, association__memberships__user=user)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


def campaigns_public() -> list[Campaign]:
    return list(Campaign.objects.prefetch_related("axes").order_by("-year", "opens_on"))


def campaigns_open(today: datetime.date | None = None) -> list[Campaign]:
    today = today or timezone.localdate()
    return list(Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today).prefetch_related("axes"))


def campaign_dossiers(campaign: Campaign, *, status: str = "", axis_id: int | None = None, query: str = ""):
    rows = (
        Dossier.objects.filter(campaign=campaign)
        .exclude(status=DossierStatus.DRAFT)
        .select_related("association", "axis", "request")
        .prefetch_related("quartiers")
        .order_by("association__name", "pk")
    )
    if status:
        rows = rows.filter(status=status)
    if axis_id:
        rows = rows.filter(axis_id=axis_id)
    if query:
        rows = rows.filter(Q(association__name__icontains=query) | Q(title__icontains=query))
    return rows


def campaign_totals(campaign: Campaign) -> list[dict]:
    """Per axis: envelope, asked (submitted dossiers), proposed, granted."""
    rows = []
    submitted = ~Q(dossiers__status=DossierStatus.DRAFT)
    for axis in Axis.objects.filter(campaign=campaign).annotate(
        asked=Sum("dossiers__amount_asked", filter=submitted),
        proposed=Sum("dossiers__proposed_amount", filter=submitted),
        granted=Sum("dossiers__granted_amount", filter=Q(dossiers__status__in=DECIDED)),
        count=Count("dossiers", filter=submitted),
    ):
        rows.append(
            {
                "axis": axis,
                "envelope": axis.envelope,
                "asked": axis.asked or Decimal(0),
                "proposed": axis.proposed or Decimal(0),
                "granted": axis.granted or Decimal(0),
                "count": axis.count,
                "remaining": axis.envelope - (axis.granted or Decimal(0)),
            }
        )
    return rows


def association_history(association: Association) -> list[Dossier]:
    """Every dossier of the association, every year, with its decision and report."""
    return list(
        Dossier.objects.filter(association=association)
        .exclude(status=DossierStatus.DRAFT)
        .select_related("campaign", "request", "report")
        .order_by("-campaign__year", "-pk")
    )


def granted_for_year(year: int):
    return (
        Dossier.objects.filter(campaign__year=year, status__in=DECIDED)
        .select_related("association", "campaign", "request")
        .prefetch_related("payments")
        .order_by("deliberation_on", "association__name", "pk")
    )


def figures_per_axis(*, start: datetime.date, end: datetime.date) -> list[dict]:
    """Campaigns whose year falls in the period: per axis, envelope, asked, granted, associations, the share
    granted to projects touching a QPV quartier, and the campaign's overdue reports."""
    result = []
    for campaign in Campaign.objects.filter(year__gte=start.year, year__lte=end.year).order_by("year", "pk"):
        for row in campaign_totals(campaign):
            granted_rows = Dossier.objects.filter(axis=row["axis"], status__in=DECIDED)
            qpv = granted_rows.filter(quartiers__qpv_code__gt="").distinct().aggregate(
                total=Sum("granted_amount")
            )["total"] or Decimal(0)
            result.append(
                {
                    "campaign": campaign.title,
                    "year": campaign.year,
                    "axis": row["axis"].title,
                    "envelope": row["envelope"],
                    "asked": row["asked"],
                    "granted": row["granted"],
                    "associations": Dossier.objects.filter(axis=row["axis"])
                    .exclude(status=DossierStatus.DRAFT)
                    .values("association")
                    .distinct()
                    .count(),
                    "qpv_share": (qpv / row["granted"]).quantize(Decimal("0.01"))
                    if row["granted"]
                    else Decimal(0),
                }
            )
    return result


def reports_overdue_count(*, start: datetime.date | None = None, end: datetime.date | None = None) -> int:
    today = end or timezone.localdate()
    return FinancialReport.objects.filter(due_on__lt=today).exclude(status=ReportStatus.ACCEPTED).count()
