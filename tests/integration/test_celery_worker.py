import time
import uuid

import pytest

from portal_kit.models import HealthPing
from portal_kit.tasks import health_ping_task

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.redis]


def _wait_for_ping(token: str, timeout: float = 30.0) -> HealthPing | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ping = HealthPing.objects.filter(token=token).first()
        if ping:
            return ping
        time.sleep(0.2)
    return None


def test_a_task_sent_through_redis_is_run_by_the_worker_process_which_writes_to_the_database(
    celery_worker_process,
):
    token = uuid.uuid4().hex
    assert health_ping_task.app.conf.task_always_eager is False

    result = health_ping_task.delay(token)

    assert _wait_for_ping(token) is not None, "the worker did not record the ping within 30 s"
    # The worker's own log names the task it ran: the row was written there, not in this process.
    assert f"health_ping_task[{result.id}] succeeded" in celery_worker_process.log_text()
    assert celery_worker_process.is_running()


def test_a_ping_delivered_twice_is_recorded_once(celery_worker_process):
    token = uuid.uuid4().hex

    health_ping_task.delay(token)
    health_ping_task.delay(token)
    # The worker is solo and takes one message at a time: once a ping sent last is in, both copies
    # of the first have been handled.
    last = uuid.uuid4().hex
    health_ping_task.delay(last)

    assert _wait_for_ping(last) is not None
    assert HealthPing.objects.filter(token=token).count() == 1
