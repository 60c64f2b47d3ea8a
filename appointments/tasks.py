"""Celery tasks of the appointments app: ids in, one service call, safe to run twice."""

import logging

from celery import shared_task

from appointments.services import booking_remind, reminders_due

logger = logging.getLogger(__name__)


@shared_task(name="appointments.tasks.booking_reminders_task")
def booking_reminders_task() -> int:
    """Beat, every 15 minutes: the reminder of each booking starting within 48 hours, queued once (claimed
    on the booking row) in the outbox, which sends it, retries it and sweeps it like every notification."""
    queued = sum(booking_remind(booking_id=booking_id) == "queued" for booking_id in reminders_due())
    if queued:
        logger.info("queued %s appointment reminders", queued)
    return queued
