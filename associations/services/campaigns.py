"""Campaigns: a year, axes with envelopes, and the dates a dossier may be submitted. Created and edited by
the instructors (associations.views.campaigns), not only in the admin."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from associations import budget as budget_rules
from associations.models import (
    Axis,
    Campaign,
)
from requests_app.errors import ServiceError

YEARS = range(2000, 2101)


def campaign_is_open(campaign: Campaign, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return campaign.opens_on <= today <= campaign.closes_on


@dataclass(frozen=True)
class AxisRow:
    """One line of the axes grid: an existing axis (its id) or a new one (None); both cells as typed."""

    axis_id: int | None
    title: str
    envelope: str


def _check(*, year, title: str, opens_on, closes_on) -> None:
    if not title.strip():
        raise ServiceError("Donnez un titre à la campagne.", field="title", code="required")
    if len(title.strip()) > 200:
        raise ServiceError("Le titre ne peut pas dépasser 200 caractères.", field="title", code="too_long")
    if year not in YEARS:
        raise ServiceError("Indiquez une année entre 2000 et 2100.", field="year", code="year")
    if opens_on is None:
        raise ServiceError("Indiquez la date d'ouverture.", field="opens_on", code="required")
    if closes_on is None:
        raise ServiceError("Indiquez la date de clôture.", field="closes_on", code="required")
    if opens_on > closes_on:
        raise ServiceError(
            "La date de clôture doit suivre la date d'ouverture.", field="closes_on", code="dates"
        )


def _parse_rows(rows: list[AxisRow]) -> list[tuple[int | None, str, int]]:
    """The grid's filled lines as (axis id, title, whole euros); a line with an envelope but no title, a
    title too long, an envelope with cents or text, or two axes of the same name are refused."""
    parsed, seen = [], set()
    for number, row in enumerate(rows, start=1):
        title = row.title.strip()
        if not title and not str(row.envelope).strip():
            continue
        if not title:
            raise ServiceError(f"Axe {number} : donnez un intitulé à l'axe.", field="axes", code="required")
        if len(title) > 200:
            raise ServiceError(
                f"Axe {number} : l'intitulé ne peut pas dépasser 200 caractères.",
                field="axes",
                code="too_long",
            )
        if title.casefold() in seen:
            raise ServiceError(f"Deux axes s'appellent « {title} ».", field="axes", code="duplicate")
        seen.add(title.casefold())
        envelope = budget_rules.whole_euros(row.envelope, field="axes", label=f"Enveloppe de l'axe {number}")
        parsed.append((row.axis_id, title, envelope))
    if not parsed:
        raise ServiceError("Ajoutez au moins un axe avec son enveloppe.", field="axes", code="required")
    return parsed


def campaign_create(
    *, year: int, title: str, opens_on, closes_on, axes: list[tuple[str, Decimal]], description: str = ""
) -> Campaign:
    _check(year=year, title=title, opens_on=opens_on, closes_on=closes_on)
    rows = _parse_rows([AxisRow(None, axis_title, str(envelope)) for axis_title, envelope in axes])
    with transaction.atomic():
        campaign = Campaign.objects.create(
            year=year, title=title.strip(), opens_on=opens_on, closes_on=closes_on, description=description
        )
        for order, (_axis_id, axis_title, envelope) in enumerate(rows):
            Axis.objects.create(campaign=campaign, title=axis_title, envelope=envelope, order=order)
    return campaign


def campaign_update(
    *,
    campaign: Campaign,
    year: int,
    title: str,
    opens_on,
    closes_on,
    axes: list[AxisRow],
    description: str = "",
) -> Campaign:
    """Change the campaign and its axes in one go: a line with an axis id edits that axis, a new line adds
    one, an axis left out (its line emptied) is removed unless dossiers already chose it. All or nothing."""
    _check(year=year, title=title, opens_on=opens_on, closes_on=closes_on)
    rows = _parse_rows(axes)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        existing = {axis.pk: axis for axis in Axis.objects.filter(campaign=locked)}
        unknown = [axis_id for axis_id, _t, _e in rows if axis_id is not None and axis_id not in existing]
        if unknown:
            raise ServiceError(
                "Un axe de la grille n'appartient pas à cette campagne.", field="axes", code="axis"
            )
        kept = {axis_id for axis_id, _t, _e in rows if axis_id is not None}
        for axis_id, axis in existing.items():
            if axis_id not in kept:
                if axis.dossiers.exists():
                    raise ServiceError(
                        f"L'axe « {axis.title} » a déjà des dossiers : il ne peut pas être retiré.",
                        field="axes",
                        code="axis_used",
                    )
                axis.delete()
        for order, (axis_id, axis_title, envelope) in enumerate(rows):
            if axis_id is None:
                Axis.objects.create(campaign=locked, title=axis_title, envelope=envelope, order=order)
            else:
                Axis.objects.filter(pk=axis_id).update(title=axis_title, envelope=envelope, order=order)
        locked.year, locked.title, locked.description = year, title.strip(), description
        locked.opens_on, locked.closes_on = opens_on, closes_on
        locked.save(update_fields=["year", "title", "description", "opens_on", "closes_on"])
    return locked
