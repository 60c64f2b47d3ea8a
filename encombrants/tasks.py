"""Celery tasks of the encombrants app: ids in, one service call, safe to run twice."""

import logging

from celery import shared_task

from encombrants.services import pickup_remind, reminders_due

logger = logging.getLogger(__name__)


@shared_task(name="encombrants.tasks.pickup_reminders_task", soft_time_limit=60, time_limit=90)
def pickup_reminders_task() -> int:
    """Beat, every hour: the reminders 3 days and 1 day before each booked pickup, each queued once
    (claimed on the pickup row) in the outbox, which sends, retries and sweeps it."""
    queued = sum(pickup_remind(pickup_id=pk, days=days) == "queued" for pk, days in reminders_due())
    if queued:
        logger.info("queued %s pickup reminders", queued)
    return queued
