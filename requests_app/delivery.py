"""The notification outbox, delivery side (requests_app.services.outbox writes the rows).

Exactly one sender: a sender first *claims* the row with a conditional UPDATE (pending → sending) and only
the one whose UPDATE changed a row sends. A row stuck in "sending" longer than CLAIM_STALE_AFTER (its worker
died) becomes claimable again; the email carries a Message-ID fixed per notification, so in the one case
where a worker died between the SMTP hand-over and marking the row sent, mail systems see the same message."""

import datetime
import logging

from django.db.models import F, Q
from django.utils import timezone

from requests_app.emails import email_build
from requests_app.models import Notification, NotificationStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
CLAIM_STALE_AFTER = datetime.timedelta(minutes=10)
# The sweep leaves fresh rows to the task enqueued on commit.
SWEEP_GRACE = datetime.timedelta(minutes=1)


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8, 16 minutes… capped at an hour: a mail server down for a while is waited for."""
    return datetime.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def _claimable(now: datetime.datetime) -> Q:
    due = Q(status=NotificationStatus.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    stale = Q(status=NotificationStatus.SENDING, claimed_at__lt=now - CLAIM_STALE_AFTER)
    return due | stale


def notification_claim(*, notification_id: int, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    claimed = Notification.objects.filter(_claimable(now), pk=notification_id).update(
        status=NotificationStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def notification_deliver(*, notification_id: int) -> str:
    """Claim, build and send one notification. Returns "sent", "skipped" (someone else has it or it is done),
    "retry" (failed, will be tried again after a back-off) or "failed" (gave up after MAX_ATTEMPTS)."""
    if not notification_claim(notification_id=notification_id):
        return "skipped"
    notification = Notification.objects.select_related("request", "event").get(pk=notification_id)
    try:
        # Outside any transaction: SMTP and PDF rendering never hold database locks.
        email_build(notification).send(fail_silently=False)
    except Exception as exc:  # SMTP errors, timeouts, a template bug: all recorded and retried
        logger.warning("notification %s failed (attempt %s): %s", notification_id, notification.attempts, exc)
        gave_up = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id, status=NotificationStatus.SENDING).update(
            status=NotificationStatus.FAILED if gave_up else NotificationStatus.PENDING,
            last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
            next_attempt_at=None if gave_up else timezone.now() + backoff(notification.attempts),
        )
        return "failed" if gave_up else "retry"
    Notification.objects.filter(pk=notification_id, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def notifications_due(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    """What the sweep must (re)send: due pending rows older than the grace period, and stale claims."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(_claimable(now), created_at__lt=now - SWEEP_GRACE)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
