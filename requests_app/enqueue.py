"""The one place that hands the spine's tasks to Celery, always after the transaction commits (a task must
never see, or act on, a row that is rolled back) and `robust`: a broker outage after commit must not fail
the filing; the outbox sweep sends what was not enqueued.

The tasks module is reached as a module attribute at call time, not imported by name: the worker imports
requests_app.tasks first, and its imports come back here while it is still loading."""

from django.db import transaction

from requests_app import tasks


def notification_send_after_commit(notification_id: int) -> None:
    transaction.on_commit(lambda: tasks.notification_send_task.delay(notification_id), robust=True)


def receipt_render_after_commit(request_id: int) -> None:
    transaction.on_commit(lambda: tasks.receipt_render_task.delay(request_id), robust=True)
