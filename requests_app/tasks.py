"""Celery tasks of the spine: each takes ids, reloads, calls one service, and is safe to run twice. They are
enqueued by requests_app.enqueue, after commit."""

import logging

from celery import shared_task

from requests_app.delivery import backoff, notification_deliver, notifications_due
from requests_app.documents import receipt_ensure
from requests_app.services.drafts import drafts_purge

logger = logging.getLogger(__name__)


@shared_task(name="requests_app.tasks.notification_send_task", bind=True, max_retries=5, acks_late=True)
def notification_send_task(self, notification_id: int) -> str:
    outcome = notification_deliver(notification_id=notification_id)
    if outcome == "retry":
        # The row holds the schedule too (next_attempt_at): if this retry is lost, the sweep sends it.
        raise self.retry(countdown=backoff(self.request.retries + 1).total_seconds())
    return outcome


@shared_task(name="requests_app.tasks.notification_sweep_task")
def notification_sweep_task() -> int:
    """Beat, every 2 minutes: re-send what a dead worker or an unreachable broker left pending."""
    due = notifications_due()
    for notification_id in due:
        notification_deliver(notification_id=notification_id)
    if due:
        logger.info("notification sweep handled %s notifications", len(due))
    return len(due)


@shared_task(
    name="requests_app.tasks.receipt_render_task",
    bind=True,
    max_retries=3,
    autoretry_for=(OSError,),
    retry_backoff=True,
)
def receipt_render_task(self, request_id: int) -> int:
    return receipt_ensure(request_id=request_id).pk


@shared_task(name="requests_app.tasks.draft_purge_task")
def draft_purge_task() -> int:
    return drafts_purge()
