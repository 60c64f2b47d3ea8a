"""Celery tasks of the guichet: each is safe to run twice (the work already done is skipped)."""

import logging
from collections import Counter

from celery import shared_task
from django.utils import timezone

from guichet.digest import digest_recipients, digest_send

logger = logging.getLogger(__name__)


@shared_task(
    name="guichet.tasks.agent_digest_task", bind=True, max_retries=3, soft_time_limit=900, time_limit=960
)
def agent_digest_task(self) -> dict[str, int]:
    """Beat, 8:00 Europe/Paris: each agent's SLA digest, at most once a day (DigestSent). An agent whose
    email failed is retried (bounded, with back-off); those already served are skipped by their claim."""
    today = timezone.localdate()
    outcomes: Counter[str] = Counter()
    for user_id in digest_recipients().values_list("pk", flat=True):
        try:
            outcomes[digest_send(user_id=user_id, today=today)] += 1
        except Exception:  # one agent's mail failure must not deprive the others of theirs
            logger.exception("daily digest for user %s failed", user_id)
            outcomes["failed"] += 1
    if outcomes["failed"]:
        raise self.retry(countdown=300 * 2**self.request.retries)
    return dict(outcomes)
