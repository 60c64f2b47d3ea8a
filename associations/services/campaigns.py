"""Campaigns: a year, axes with envelopes, and the dates a dossier may be submitted."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from associations.models import (
    Axis,
    Campaign,
)
from requests_app.errors import ServiceError


def campaign_is_open(campaign: Campaign, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return campaign.opens_on <= today <= campaign.closes_on


def campaign_create(
    *, year: int, title: str, opens_on, closes_on, axes: list[tuple[str, Decimal]], description: str = ""
) -> Campaign:
    if not title.strip():
        raise ServiceError("Donnez un titre à la campagne.", field="title", code="required")
    if opens_on is None or closes_on is None or opens_on > closes_on:
        raise ServiceError("La clôture doit suivre l'ouverture.", field="closes_on", code="dates")
    if not axes:
        raise ServiceError("Ajoutez au moins un axe avec son enveloppe.", field="axes", code="required")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            year=year, title=title.strip(), opens_on=opens_on, closes_on=closes_on, description=description
        )
        for order, (axis_title, envelope) in enumerate(axes):
            Axis.objects.create(campaign=campaign, title=axis_title, envelope=envelope, order=order)
    return campaign
