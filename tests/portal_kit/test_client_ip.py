"""The client's address behind a configured number of trusted proxies (issue 20, point 5): one function,
portal_kit.client_ip.client_ip, read by the rate limits and configured with the same count as allauth."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from portal_kit import ratelimit
from portal_kit.client_ip import client_ip
from requests_app.models import Request
from requests_app.views import filing
from tests.requests_app.conftest import catalogue, pothole  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]


def _request(remote="10.0.0.2", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


# --- The function ------------------------------------------------------------------------------------------


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.PORTAL_TRUSTED_PROXIES = 0

    assert client_ip(_request("192.0.2.1", forwarded="203.0.113.9")) == "192.0.2.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the left entry is the client's own writing
        (1, " 203.0.113.9 ", "203.0.113.9"),
        (2, "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # two proxies: the outer one wrote the client
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (1, "2001:DB8::1", "2001:db8::1"),  # canonical form: one counter per address
        (1, "203.0.113.9:51234", "203.0.113.9"),  # a port is dropped
        (1, "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_the_nth_address_from_the_right_is_the_client(settings, proxies, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXIES = proxies

    assert client_ip(_request(forwarded=forwarded)) == expected


@pytest.mark.parametrize(
    ("proxies", "forwarded"),
    [
        (1, None),  # a connection that did not come through the proxy
        (1, ""),
        (1, "unknown"),
        (1, "203.0.113.9, not-an-address"),  # garbage where the client should be
        (1, "203.0.113.9,"),
        (1, "x" * 5000),
        (1, "203.0.113.9\x00"),
        (2, "203.0.113.9"),  # fewer entries than proxies: allauth would answer 500 here
        (3, "a, b"),
    ],
)
def test_garbage_falls_back_to_the_connections_address(settings, proxies, forwarded):
    settings.PORTAL_TRUSTED_PROXIES = proxies

    assert client_ip(_request("10.0.0.2", forwarded=forwarded)) == "10.0.0.2"


def test_nothing_usable_is_unknown(settings):
    settings.PORTAL_TRUSTED_PROXIES = 1

    assert client_ip(_request("", forwarded="garbage")) == "unknown"


def test_ratelimit_names_the_connection_with_the_same_function():
    assert ratelimit.client_ip is client_ip


# --- One count for the portal and allauth -----------------------------------------------------------------


def test_allauth_reads_the_same_count_as_the_portal():
    assert django_settings.ALLAUTH_TRUSTED_PROXY_COUNT == django_settings.PORTAL_TRUSTED_PROXIES
    assert django_settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None


@pytest.mark.parametrize("forwarded", ["203.0.113.9", "198.51.100.1, 203.0.113.9", "203.0.113.9:8080"])
def test_allauth_and_the_portal_see_the_same_client_behind_one_proxy(settings, forwarded):
    settings.PORTAL_TRUSTED_PROXIES = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = _request(forwarded=forwarded)

    assert get_adapter().get_client_ip(request) == client_ip(request) == "203.0.113.9"


def test_the_count_comes_from_the_trusted_proxies_variable():
    env = {**os.environ, "TRUSTED_PROXIES": "1", "DJANGO_SETTINGS_MODULE": "bethune_portal.settings.test"}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.PORTAL_TRUSTED_PROXIES, s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )

    out = subprocess.run(  # noqa: S603 (our interpreter, fixed arguments)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )

    assert out.stdout.split() == ["1", "1"]


# --- A rate limit behind one proxy (the anonymous filing, limited per connection) -------------------------


def _file(client, service, forwarded: str):
    return client.post(
        reverse("requests_app:file", args=[service.code]),
        {
            "street": "rue Hoche",
            "street_number": "3",
            "description": "Trou dangereux pour les vélos.",
            "contact_name": "Paul Martin",
            "contact_email": f"{uuid.uuid4().hex[:8]}@example.fr",  # a new address each time
            "contact_phone": "",
            "submission_key": str(uuid.uuid4()),
        },
        REMOTE_ADDR="10.0.0.2",  # the proxy: every request comes from it
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_two_clients_behind_the_proxy_are_limited_separately(client, settings, pothole):  # noqa: F811
    settings.PORTAL_TRUSTED_PROXIES = 1
    for _n in range(filing.ANONYMOUS_LIMIT_PER_IP):
        assert _file(client, pothole, "203.0.113.9").status_code == 302
    refused = _file(client, pothole, "203.0.113.9")
    assert "Trop de demandes ont été envoyées" in refused.content.decode()

    other = _file(client, pothole, "198.51.100.20")

    assert other.status_code == 302
    assert Request.objects.count() == filing.ANONYMOUS_LIMIT_PER_IP + 1


@pytest.mark.django_db
def test_a_spoofed_left_hand_entry_does_not_escape_the_limit(client, settings, pothole):  # noqa: F811
    settings.PORTAL_TRUSTED_PROXIES = 1
    for n in range(filing.ANONYMOUS_LIMIT_PER_IP):
        # The client writes a new address of its own each time; the proxy appends the real one.
        assert _file(client, pothole, f"192.0.2.{n + 1}, 203.0.113.9").status_code == 302

    refused = _file(client, pothole, "192.0.2.200, 203.0.113.9")

    assert "Trop de demandes ont été envoyées" in refused.content.decode()
    assert Request.objects.count() == filing.ANONYMOUS_LIMIT_PER_IP


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_limit(client, settings, pothole):  # noqa: F811
    settings.PORTAL_TRUSTED_PROXIES = 0
    for n in range(filing.ANONYMOUS_LIMIT_PER_IP):
        assert _file(client, pothole, f"192.0.2.{n + 1}").status_code == 302

    refused = _file(client, pothole, "192.0.2.200")

    assert "Trop de demandes ont été envoyées" in refused.content.decode()


def test_allauth_counts_the_same_client_address_as_our_rate_limits(rf, settings):
    from accounts.adapters import AccountAdapter

    settings.PORTAL_TRUSTED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert AccountAdapter(request).get_client_ip(request) == client_ip(request) == "203.0.113.9"
    short = rf.get("/", REMOTE_ADDR="10.0.0.2")  # no header behind the proxy: a fallback, not an error
    assert AccountAdapter(short).get_client_ip(short) == "10.0.0.2"
