"""The spine end to end on the real parts: a request filed in this process is handed to a real Celery worker
through Redis; the worker renders the receipt PDF and sends the submission email through a real SMTP
server; a notification left pending by a dead worker is sent by the sweep once."""

import time

import pytest

from requests_app.models import Document, Notification, Request
from requests_app.tasks import notification_sweep_task
from tests.requests_app.factories import ServiceFactory, submitted_request

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.smtp]


@pytest.fixture
def celery_worker_extra_env(smtp_sink):
    return {"EMAIL_URL": smtp_sink.url}


def _wait(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_worker_renders_the_receipt_and_emails_it_after_the_filing_commits(
    celery_worker_process, smtp_sink, resident_user
):
    request = submitted_request(
        service=ServiceFactory(name="Éclairage public en panne"), requester=resident_user
    )

    [message] = smtp_sink.wait_for(1, timeout=30)
    assert request.reference in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content().startswith(b"%PDF-")
    document = _wait(lambda: Document.objects.filter(request=request, kind="receipt").first())
    assert document.filename.endswith(f"{request.reference}.pdf")
    notification = Notification.objects.get(request=request, template="submitted")
    assert _wait(lambda: Notification.objects.get(pk=notification.pk).status == "sent")
    assert Document.objects.filter(request=request).count() == 1
    assert "receipt_render_task" in celery_worker_process.log_text()


def test_sweep_sends_what_a_dead_broker_left_pending_exactly_once(
    celery_worker_process, smtp_sink, resident_user, settings
):
    # The broker is unreachable at filing time: the filing still commits (on_commit is robust), the
    # outbox row stays pending and nothing is sent.
    from bethune_portal.celery import app

    good_broker = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.broker_connection_retry = False
    app.conf.broker_connection_max_retries = 0
    app.pool.force_close_all()
    try:
        request = submitted_request(service=ServiceFactory(name="Tag ou graffiti"), requester=resident_user)
    finally:
        app.conf.broker_url = good_broker
        app.pool.force_close_all()
    assert Request.objects.filter(pk=request.pk, status="new").exists()
    notification = Notification.objects.get(request=request)
    assert notification.status == "pending"
    assert smtp_sink.messages == []

    # Later the beat sweep finds it (its grace period passed) and sends it; a second sweep sends nothing.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=notification.created_at.replace(year=2025)
    )
    notification_sweep_task.apply()
    notification_sweep_task.apply()
    smtp_sink.wait_for(1, timeout=20)
    time.sleep(1)
    assert len(smtp_sink.messages) == 1
    assert Notification.objects.get(pk=notification.pk).status == "sent"
