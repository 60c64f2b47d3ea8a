"""The one place that hands the spine's tasks to Celery, always after the transaction commits (a task must
never see, or act on, a row that is rolled back).

Redis down is not an outage: a publish that fails is logged and skipped, never raised into the page
(the request and its outbox row are committed already; the periodic sweep sends the notification, and a
receipt not rendered yet is rendered when first asked for). After a failure, publishing pauses for a few
seconds instead of making every page wait for the broker's connection timeout.

The tasks module is reached as a module attribute at call time, not imported by name: the worker imports
requests_app.tasks first, and its imports come back here while it is still loading."""

import logging
import time

from django.db import transaction

from requests_app import tasks

logger = logging.getLogger(__name__)

PAUSE_AFTER_FAILURE = 10.0  # seconds without trying the broker once a publish failed
_paused_until = 0.0


def _publish(task, *args) -> None:
    global _paused_until
    if time.monotonic() < _paused_until:
        return
    try:
        task.delay(*args)
    except Exception as exc:  # an unreachable broker raises kombu's or redis's own errors, or OSError
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        logger.warning("broker unreachable (%s): %s%s left to the sweep", exc, task.name, args)


def notification_send_after_commit(notification_id: int) -> None:
    transaction.on_commit(lambda: _publish(tasks.notification_send_task, notification_id))


def receipt_render_after_commit(request_id: int) -> None:
    transaction.on_commit(lambda: _publish(tasks.receipt_render_task, request_id))
