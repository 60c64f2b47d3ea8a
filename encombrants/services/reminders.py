"""Reminders 3 days and 1 day before a pickup, through the spine's outbox, each sent once."""

import datetime

from django.db import transaction
from django.utils import timezone

from encombrants.models import (
    Pickup,
    PickupStatus,
)
from encombrants.registration import REMINDER, owner
from requests_app.services import (
    request_event_record,
)


def reminders_due(*, now: datetime.datetime | None = None) -> list[tuple[int, int]]:
    """(pickup id, days before) of the reminders to queue now: 3 days before (when the pickup is 2 or 3 days
    away) and 1 day before (the day before). Only booked pickups (never a cancelled one)."""
    today = timezone.localdate(now or timezone.now())
    rows = Pickup.objects.filter(
        status=PickupStatus.BOOKED, day__gt=today, day__lte=today + datetime.timedelta(days=3)
    ).values_list("pk", "day", "reminder3_sent_at", "reminder1_sent_at")
    due = []
    for pk, day, sent3, sent1 in rows.order_by("day", "pk"):
        days = (day - today).days
        if days == 1 and sent1 is None:
            due.append((pk, 1))
        elif days > 1 and sent3 is None:
            due.append((pk, 3))
    return due


def pickup_remind(*, pickup_id: int, days: int, now: datetime.datetime | None = None) -> str:
    """Queue one reminder at most, through the spine's outbox: the conditional UPDATE claiming the reminder
    column decides who queues it (two beats at once: one wins); the event and its outbox row are written
    in the same transaction. Never for a cancelled or past pickup."""
    now = now or timezone.now()
    column = "reminder1_sent_at" if days == 1 else "reminder3_sent_at"
    with transaction.atomic():
        claimed = Pickup.objects.filter(
            pk=pickup_id,
            status=PickupStatus.BOOKED,
            day__gt=timezone.localdate(now),
            **{f"{column}__isnull": True},
        ).update(**{column: now})
        if not claimed:
            return "skipped"
        pickup = Pickup.objects.select_related("request__requester").get(pk=pickup_id)
        if not pickup.request.requester_email:
            return "no_email"
        request_event_record(
            request=pickup.request,
            kind=REMINDER,
            payload={"pickup": pickup.pk, "day": pickup.day.isoformat(), "days": days},
            notify_template="encombrants/reminder",
            notify_context={"days": days},
            owner=owner(),
        )
    return "queued"
