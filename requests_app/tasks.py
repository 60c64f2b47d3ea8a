"""Celery tasks of the spine: each takes ids, reloads, calls one service, and is safe to run twice. They are
enqueued by requests_app.enqueue, after commit."""

import logging

from celery import shared_task
from django.utils import timezone

from requests_app.delivery import backoff, notification_deliver, notifications_due
from requests_app.documents import receipt_ensure
from requests_app.registry import registry
from requests_app.services.drafts import drafts_purge
from requests_app.services.retention import requests_anonymise_expired

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


@shared_task(name="requests_app.tasks.retention_apply_task", soft_time_limit=1500, time_limit=1800)
def retention_apply_task() -> dict[str, int]:
    """Beat, nightly: the retention of personal data (services/retention.py) and the purge of expired drafts.
    Each request is its own short transaction, so a run cut short by its time limit keeps what it did and
    the next night goes on; both steps are idempotent."""
    anonymised = requests_anonymise_expired()
    deleted = drafts_purge()
    # Each app's own retention of what it keeps outside requests (registry: PersonalData.purge).
    now = timezone.now()
    purged = {name: hooks.purge(now) for name, hooks in registry.personal_data() if hooks.purge is not None}
    logger.info(
        "retention: %s requests anonymised, %s drafts deleted, purged %s", anonymised, deleted, purged
    )
    return {
        "anonymised": anonymised,
        "drafts_deleted": deleted,
        **{f"purged_{k}": v for k, v in purged.items()},
    }
