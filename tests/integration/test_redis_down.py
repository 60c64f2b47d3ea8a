"""Redis down is not an outage. A Redis of the test's own (a redis-server process) serves as cache and
broker; the test stops it in the middle and the three pages that answered 500 before — signing in, an
anonymous signalement, the agents' queue — still work; the filing keeps its notification for the sweep,
and /healthz says what is degraded."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Notification, NotificationStatus, Request, Service
from tests.accounts.factories import PASSWORD, agent_of, resident
from tests.integration.conftest import _reset_producer_pool
from tests.requests_app.test_views_anonymous import anonymous_post, file_url

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server requis (paquet Debian redis-server)")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("redis-server n'a pas démarré")
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait(timeout=10)


@pytest.fixture
def redis_as_cache_and_broker(own_redis, settings):
    from bethune_portal.celery import app

    process, url = own_redis
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "portal_kit.cache.FailSafeRedisCache", "LOCATION": url, "KEY_PREFIX": "t"}
    }
    caches._settings = None  # noqa: SLF001  (Django rebuilds its cache handlers from the new setting)
    caches.__init__()
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = url, False
    _reset_producer_pool(app)
    yield process
    from requests_app import enqueue

    # The failed publish paused publishing for this process: the next tests have a broker again.
    enqueue._paused_until = 0.0  # noqa: SLF001
    app.conf.broker_url, app.conf.task_always_eager = previous
    _reset_producer_pool(app)
    caches.__init__()


def test_sign_in_signalement_and_queue_work_when_redis_stops(
    redis_as_cache_and_broker, client, django_capture_on_commit_callbacks
):
    catalogue_seed()
    pothole = Service.objects.get(code="nid-de-poule")
    person = resident(email="jean.dupont@example.fr")
    agent = agent_of("tranquillite", email="luc.agent@bethune.fr")

    # Redis up: the cache and the broker answer.
    assert client.get("/healthz").json()["status"] == "ok"

    redis_as_cache_and_broker.kill()
    redis_as_cache_and_broker.wait(timeout=10)

    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert health.json()["degraded"] == ["broker"]

    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302, "sign-in must work with Redis down"
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(file_url(pothole), anonymous_post())
    assert response.status_code == 302, "an anonymous signalement must be filed with Redis down"
    filed = Request.objects.get(contact_email="paul.martin@example.fr")
    notification = Notification.objects.get(request=filed)
    assert notification.status == NotificationStatus.PENDING  # kept for the sweep

    client.force_login(agent)
    assert client.get(reverse("guichet:queue")).status_code == 200
