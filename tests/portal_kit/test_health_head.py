"""HEAD /healthz (monitoring probes): the same checks and status code as GET, without a body."""

import pytest
from django.test import RequestFactory

from portal_kit.health import healthz

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_head_answers_like_get_without_a_body(client, settings):
    settings.REDIS_URL = ""

    got = client.get("/healthz")
    head = client.head("/healthz")

    assert (got.status_code, head.status_code) == (200, 200)
    assert head["Content-Type"] == "application/json"
    assert head["Content-Length"] == str(len(got.content))
    assert "no-cache" in head["Cache-Control"]
    assert head.content == b""


def test_head_sends_no_body_even_outside_the_test_client(settings):
    """The test client drops a HEAD body by itself; gunicorn passes on what the view returns."""
    settings.REDIS_URL = ""

    response = healthz(RequestFactory().head("/healthz"))

    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) > 0


def test_head_reports_a_database_outage_with_503(settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr("portal_kit.health._database", lambda: {"ok": False, "error": "OperationalError"})

    response = healthz(RequestFactory().head("/healthz"))

    assert response.status_code == 503 and response.content == b""


def test_other_methods_are_still_refused(client):
    assert client.post("/healthz").status_code == 405
    assert client.put("/healthz").status_code == 405
