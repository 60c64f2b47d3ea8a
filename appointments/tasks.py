"""Celery tasks of the appointments app: ids in, one service call, safe to run twice."""

import logging

from celery import shared_task

from appointments.services import booking_remind, reminders_due

logger = logging.getLogger(__name__)


@shared_task(name="appointments.tasks.booking_reminders_task")
def booking_reminders_task() -> int:
    """Beat, every 15 minutes: the reminder of each booking starting within 48 hours, sent once (claimed on
    the booking row). A failed send releases its claim and is tried again on the next run."""
    sent = 0
    for booking_id in reminders_due():
        try:
            sent += booking_remind(booking_id=booking_id) == "sent"
        except Exception as exc:  # one bad address must not stop the others
            logger.warning("reminder of booking %s failed: %s", booking_id, exc)
    if sent:
        logger.info("sent %s appointment reminders", sent)
    return sent
