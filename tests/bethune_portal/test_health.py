import os

import pytest

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # port 1: nothing listens there, the connection is refused


def test_health_reports_ok_with_the_database_when_no_broker_is_configured(client, db, settings):
    settings.REDIS_URL = ""  # the embedded default: tasks run in-process, no broker to check

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert "broker" not in body["checks"]


def test_health_says_degraded_but_answers_200_when_the_configured_broker_is_unreachable(client, db, settings):
    # Redis down is not an outage: the load balancer must keep the web nodes; the body says what is wrong.
    settings.REDIS_URL = UNREACHABLE_REDIS

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded" and body["degraded"] == ["broker"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"] == {"ok": False, "error": "ConnectionError"}


def test_health_accepts_only_get(client, db):
    assert client.post("/healthz").status_code == 405


@pytest.mark.redis
def test_health_reports_the_real_broker_ok(client, db, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["ok"] is True
