"""One access test walks the whole URL resolver (docs/style.md), so a new page cannot be forgotten: for every
URL and every role of the shared cast, the answer is a page (200), a redirect (to the login page for
someone anonymous), 404, or 405 for a POST-only action — never 403, which would confirm that what is
behind it exists, and never a server error. Back-office pages answer 404 to everyone but staff, anonymous
visitors included (accounts.access.agent_required); a resident's request answers 404 to everyone but its
requester and the agents of its espace."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from appointments.seed import agendas_seed
from requests_app.catalogue_seed import catalogue_seed
from requests_app.links import confirm_token, tracking_token
from requests_app.models import Service, Site, Street
from requests_app.services import FilingData, request_submit

SKIPPED_PREFIXES = ("admin/", "comptes/")  # Django's and allauth's own pages, tested by their projects
STAFF_PREFIXES = ("/guichet/", "/rendez-vous/agents/")
OWNER_PREFIX = "/mes-demandes/BET-"


def _routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in SKIPPED_PREFIXES:
                continue
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _fill(route: str, values: dict[str, str]) -> str:
    path = "/" + route
    for name, value in values.items():
        for converter in ("str", "slug", "int"):
            path = path.replace(f"<{converter}:{name}>", value)
    assert "<" not in path, f"no sample value for a parameter of {route}"
    return path


@pytest.fixture
def cast(resident_user, other_resident, agent, other_agent, manager_user):
    return {
        "anonyme": None,
        "habitant": resident_user,
        "autre habitant": other_resident,
        "agent de l'espace": agent,
        "agent d'un autre espace": other_agent,
        "responsable": manager_user,
    }


def test_every_url_answers_each_role_with_a_page_a_redirect_or_404(client, cast, resident_user, agent):
    catalogue_seed()
    agendas_seed()
    service = Service.objects.get(code="nid-de-poule")
    filed = request_submit(
        service=service,
        requester=resident_user,
        data=FilingData(description="Trou dans la chaussée", street=Street.objects.get(name="rue Hoche")),
    )
    from appointments.models import Agenda

    values = {
        "reference": filed.reference,
        "code": "nid-de-poule",
        "token": tracking_token(filed),
        "pk": "999999",
        "site_code": Site.objects.get(code="hdv").code,
        "site": "hdv",
        "motif": "cni",
        "date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "agenda_id": str(Agenda.objects.first().pk),
        "booking_id": "999999",
    }
    problems = []
    for route in _routes():
        path = _fill(route, values)
        if "confirmer/" in path:
            path = path.replace(values["token"], confirm_token(filed))
        for role, user in cast.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            status = client.get(path).status_code
            allowed = {200, 302, 404, 405, 410}
            restricted = (
                (path.startswith(STAFF_PREFIXES) and role in ("anonyme", "habitant", "autre habitant"))
                or (path.startswith(OWNER_PREFIX) and role == "autre habitant")
                or (path.startswith("/guichet/demandes/") and role == "agent d'un autre espace")
            )
            if restricted:
                allowed = {404}
                if status == 405:
                    # A POST-only action: what matters is that the POST itself is refused with 404.
                    status = client.post(path).status_code
            elif role == "anonyme" and path.startswith(OWNER_PREFIX):
                allowed = {302, 404, 405}
            if status not in allowed:
                problems.append(f"{path} [{role}] → {status} (attendu {sorted(allowed)})")
    assert not problems, "\n".join(problems)


def test_an_anonymous_visitor_is_sent_to_the_login_page_for_their_requests(client):
    response = client.get("/mes-demandes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")
