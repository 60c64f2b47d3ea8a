"""The notification outbox: never lost, never sent twice. A row written with its event is sent after
commit; the sweep sends what a dead worker or broker left behind; SMTP failures are retried with back-off
and given up on after MAX_ATTEMPTS.

In these tests (pytest-django's `db`), the filing's on_commit callbacks never run: exactly the state a dead
worker or an unreachable broker leaves, a committed row whose task never ran."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from requests_app.delivery import (
    CLAIM_STALE_AFTER,
    MAX_ATTEMPTS,
    SWEEP_GRACE,
    notification_claim,
    notification_deliver,
    notifications_due,
)
from requests_app.models import Notification, NotificationStatus
from requests_app.tasks import notification_sweep_task
from tests.races import errors, race
from tests.requests_app.factories import submitted_request

T0 = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


def pending_notification(requester=None, **kwargs) -> Notification:
    request = submitted_request(requester=requester, **kwargs)
    return Notification.objects.get(request=request, template="submitted")


def reloaded(notification: Notification) -> Notification:
    notification.refresh_from_db()
    return notification


@pytest.fixture
def smtp_unreachable(settings):
    """Django's SMTP backend pointed at a closed port: every send fails at once (connection refused)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    settings.EMAIL_TIMEOUT = 1
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False


def test_a_filing_writes_one_pending_notification_and_sends_nothing_before_commit(resident_user):
    notification = pending_notification(requester=resident_user)

    assert notification.status == NotificationStatus.PENDING
    assert notification.recipient == "jean.dupont@example.fr"
    assert mail.outbox == []


def test_of_two_claims_on_one_notification_only_the_first_wins(resident_user):
    notification = pending_notification(requester=resident_user)

    assert notification_claim(notification_id=notification.pk) is True
    assert notification_claim(notification_id=notification.pk) is False
    notification = reloaded(notification)
    assert notification.status == NotificationStatus.SENDING
    assert notification.attempts == 1


def test_delivering_a_notification_twice_sends_one_email(resident_user):
    notification = pending_notification(requester=resident_user)

    assert notification_deliver(notification_id=notification.pk) == "sent"
    assert notification_deliver(notification_id=notification.pk) == "skipped"

    assert len(mail.outbox) == 1
    notification = reloaded(notification)
    assert notification.status == NotificationStatus.SENT
    assert notification.sent_at is not None
    assert notification.last_error == ""


def test_sweep_leaves_a_fresh_notification_to_its_task(resident_user, time_machine):
    time_machine.move_to(T0, tick=False)
    notification = pending_notification(requester=resident_user)

    assert notification_sweep_task() == 0
    assert reloaded(notification).status == NotificationStatus.PENDING
    assert mail.outbox == []


def test_sweep_sends_a_notification_whose_task_never_ran_exactly_once(resident_user, time_machine):
    time_machine.move_to(T0, tick=False)
    notification = pending_notification(requester=resident_user)

    time_machine.move_to(T0 + SWEEP_GRACE + datetime.timedelta(seconds=1), tick=False)
    assert notification_sweep_task() == 1
    assert notification_sweep_task() == 0

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jean.dupont@example.fr"]
    assert reloaded(notification).status == NotificationStatus.SENT


def test_sweep_resends_a_stale_claim_once_and_leaves_a_fresh_claim_alone(
    resident_user, other_resident, time_machine
):
    time_machine.move_to(T0, tick=False)
    stale = pending_notification(requester=resident_user)
    fresh = pending_notification(requester=other_resident)
    # A worker claimed `stale` and died; `fresh` was claimed just now by a worker still sending it.
    assert notification_claim(notification_id=stale.pk)
    later = T0 + CLAIM_STALE_AFTER + datetime.timedelta(seconds=1)
    time_machine.move_to(later, tick=False)
    assert notification_claim(notification_id=fresh.pk)

    assert notification_sweep_task() == 1
    assert notification_sweep_task() == 0

    assert [email.to for email in mail.outbox] == [["jean.dupont@example.fr"]]
    stale, fresh = reloaded(stale), reloaded(fresh)
    assert (stale.status, stale.attempts) == (NotificationStatus.SENT, 2)
    assert (fresh.status, fresh.attempts) == (NotificationStatus.SENDING, 1)


def test_smtp_failure_leaves_the_notification_pending_with_a_later_retry(resident_user, smtp_unreachable):
    notification = pending_notification(requester=resident_user)
    before = timezone.now()

    assert notification_deliver(notification_id=notification.pk) == "retry"

    notification = reloaded(notification)
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert notification.last_error != ""
    assert notification.next_attempt_at > before
    # Not before its time (a second task skips it), then the sweep takes it up.
    assert notification_deliver(notification_id=notification.pk) == "skipped"
    second = datetime.timedelta(seconds=1)
    assert notification.pk not in notifications_due(now=notification.next_attempt_at - second)
    assert notification.pk in notifications_due(now=notification.next_attempt_at + SWEEP_GRACE + second)


def test_notification_fails_for_good_after_max_attempts(resident_user, smtp_unreachable, time_machine):
    time_machine.move_to(T0, tick=False)
    notification = pending_notification(requester=resident_user)

    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        outcomes.append(notification_deliver(notification_id=notification.pk))
        notification = reloaded(notification)
        if notification.next_attempt_at:
            time_machine.move_to(notification.next_attempt_at + datetime.timedelta(seconds=1), tick=False)

    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed"]
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == MAX_ATTEMPTS
    assert "Connection" in notification.last_error or "refused" in notification.last_error.lower()
    assert notification.next_attempt_at is None
    assert notification_sweep_task() == 0
    assert notification_deliver(notification_id=notification.pk) == "skipped"


@pytest.fixture
def worker_down():
    """Tasks go to the (in-memory) broker and no worker ever runs them: after commit, the outbox row stays
    pending, as when a worker died with the task."""
    from bethune_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous


@pytest.mark.postgres
def test_eight_workers_racing_on_one_notification_send_one_email(
    transactional_db, django_db_serialized_rollback, worker_down, resident_user
):
    notification = pending_notification(requester=resident_user)
    assert reloaded(notification).status == NotificationStatus.PENDING

    outcomes = race(lambda _: notification_deliver(notification_id=notification.pk), times=8)

    assert errors(outcomes) == []
    assert sorted(o.value for o in outcomes) == ["sent"] + ["skipped"] * 7
    assert len(mail.outbox) == 1
    notification = reloaded(notification)
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 1)
