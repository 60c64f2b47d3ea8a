"""Fixtures for tests against real services: a Celery worker process on Redis and an SMTP sink.

Both are meant to be reused by any app's tests:

- ``celery_worker_process``: a real ``celery worker`` subprocess consuming the ``celery`` queue on the
  Redis of ``REDIS_URL``, connected to the *test* database, while the in-process Celery app publishes
  to that same Redis (no eager mode). Tests using it need data committed for the worker to see it, so
  the fixture brings ``transactional_db``; mark them ``@pytest.mark.worker`` and
  ``@pytest.mark.postgres`` (the worker is another process: it cannot share SQLite's in-memory test
  database). Extra environment for the worker (e.g. ``EMAIL_URL`` pointing at ``smtp_sink``) comes
  from the ``celery_worker_extra_env`` fixture, which a test module can override.
- ``smtp_sink``: an aiosmtpd server on 127.0.0.1 and Django switched to its SMTP backend; the object
  it yields holds the parsed messages and waits for them (``wait_for``).
"""

import email
import email.policy
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

WORKER_READY_TIMEOUT = 60  # seconds: a cold worker imports Django and every app before saying "ready"


def database_url_for(settings_dict: dict) -> str:
    """The DATABASE_URL of a connection's settings (the test database once pytest-django set it up)."""
    engine = settings_dict["ENGINE"]
    if engine == "django.db.backends.postgresql":
        user = settings_dict.get("USER") or ""
        password = settings_dict.get("PASSWORD") or ""
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"
    if engine == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    raise ValueError(f"unsupported database engine for a worker process: {engine}")


def _reset_producer_pool(app) -> None:
    # The app caches its broker connection pool and producers: drop them so that the next publish
    # connects to the broker URL currently configured (as Celery does after a fork). They are not
    # closed: kombu keeps pools in a registry per URL and would hand the closed one back next time.
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@pytest.fixture
def celery_worker_extra_env() -> dict[str, str]:
    """Environment added to the worker's; override in a test module (e.g. {"EMAIL_URL": sink.url})."""
    return {}


@dataclass
class WorkerProcess:
    """The running worker: its process and its log (stdout and stderr, level INFO)."""

    process: subprocess.Popen
    log_path: Path

    def is_running(self) -> bool:
        return self.process.poll() is None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def celery_worker_process(transactional_db, django_db_serialized_rollback, celery_worker_extra_env, tmp_path):
    """A real Celery worker process on REDIS_URL, using the current test database; yields a WorkerProcess.

    ``django_db_serialized_rollback`` restores the reference data written by migrations (espaces,
    sites, roles) that the flush after a transactional test would otherwise leave empty."""
    from bethune_portal.celery import app

    redis_url = os.environ["REDIS_URL"]
    previous = {
        "broker_url": app.conf.broker_url,
        "task_always_eager": app.conf.task_always_eager,
    }
    app.conf.broker_url = redis_url
    app.conf.task_always_eager = False
    _reset_producer_pool(app)
    # Messages left by an interrupted run would point at rows of a database that no longer exists.
    app.control.purge()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bethune_portal.settings.dev",
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "REDIS_URL": redis_url,
        "PYTHONUNBUFFERED": "1",
        **celery_worker_extra_env,
    }
    celery_bin = Path(sys.executable).parent / "celery"
    log_path = tmp_path / "celery-worker.log"
    node = f"test-{uuid.uuid4().hex[:8]}@%h"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(celery_bin), "-A", "bethune_portal", "worker", "--pool=solo", "-Q", "celery",
             "-n", node, "-l", "info", "--without-gossip", "--without-mingle"],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_until_ready(process, log_path)
        yield WorkerProcess(process=process, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        app.conf.broker_url = previous["broker_url"]
        app.conf.task_always_eager = previous["task_always_eager"]
        _reset_producer_pool(app)


def _wait_until_ready(process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + WORKER_READY_TIMEOUT
    while time.monotonic() < deadline:
        log = log_path.read_text(errors="replace")
        if " ready." in log:
            return
        if process.poll() is not None:
            pytest.fail(f"the Celery worker exited with code {process.returncode}:\n{log[-3000:]}")
        time.sleep(0.2)
    pytest.fail(
        f"the Celery worker was not ready after {WORKER_READY_TIMEOUT} s:\n{log_path.read_text()[-3000:]}"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SmtpSink:
    """What the SMTP server received: ``messages`` (parsed, in arrival order) and their envelopes."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)  # (MAIL FROM, RCPT TO)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def url(self) -> str:
        """The EMAIL_URL of this sink, for a process that reads its mail settings from the environment."""
        return f"smtp://{self.host}:{self.port}"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Block until at least ``count`` messages arrived (e.g. sent by a worker); fail after ``timeout``."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout):
                pytest.fail(f"{len(self.messages)} message(s) received by the SMTP sink, {count} expected")
            return list(self.messages)

    # aiosmtpd handler hook: called in the server's thread for each message.
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on 127.0.0.1 (free port) and Django's SMTP backend pointed at it, no TLS."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink(host="127.0.0.1", port=_free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield sink
    finally:
        controller.stop()
