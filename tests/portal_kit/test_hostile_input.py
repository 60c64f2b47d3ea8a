"""No input makes a 500 (issue #20, point 3).

The walk: every URL the resolver knows (the approach of tests/bethune_portal/test_url_access.py), its path
arguments filled with real objects, is asked with hostile values — a NUL byte, dates at the calendar's ends,
10 000 characters, unicode, a negative number — in the query strings its view reads (all of them at once,
then each alone, so an early 404 on one cannot hide another), and POST-only actions with them as form
fields, by an anonymous visitor, a resident, an agent and a supervisor. Nothing may answer 5xx, and a
streamed CSV must not end short. The NUL byte only breaks PostgreSQL (SQLite stores it), so its walk is
marked `postgres`.

Then the findings one by one: the queue's date filters, saved filters (validated before they are stored,
a stored invalid default ignored with a message), and the export that says when it ends short.
"""

import datetime
import logging
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.db import DatabaseError
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from appointments.seed import agendas_seed
from guichet.models import SavedFilter
from guichet.services.saved_filters import saved_filter_create
from requests_app.catalogue_seed import catalogue_seed
from requests_app.errors import ServiceError
from requests_app.links import tracking_token
from requests_app.models import Service, Street
from requests_app.services import FilingData, request_submit
from tests.accounts.factories import supervisor
from tests.guichet.factories import SavedFilterFactory

SKIPPED_PREFIXES = ("admin/", "comptes/")  # Django's and allauth's own pages

HOSTILE = {
    "nul": "BET-2026-000001\x00' OR 1=1",
    "an-9999": "9999-12-31",
    "an-1": "0001-01-01",
    "10000-caracteres": "é" * 10_000,
    "unicode": "Ｂｅｔｈｕｎｅ \u202e😀 ² ١٢٣ \ufeff\U0010ffff",
    "negatif": "-1",
}

# The query-string keys each view reads (request.GET, its forms, QueueFilters.VIEW_PARAMS), by route prefix.
QUEUE_KEYS = ["onglet", "statut", "service", "espace", "canal", "site", "quartier", "agent", "priorite"]
QUEUE_KEYS += ["du", "au", "q", "tri", "page"]
KEYS_BY_ROUTE = {
    "guichet/": QUEUE_KEYS,
    "guichet/export.csv": QUEUE_KEYS,
    "guichet/saisie/": ["q", "usager", "canal"],
    "guichet/saisie/<slug:code>/": ["usager", "canal"],
    "guichet/demandes/<str:reference>/": ["modele"],
    "guichet/demandes/<str:reference>/accuse-de-reception.pdf": ["imprimer"],
    "guichet/accueil/": ["site"],
    "demarches/": ["q"],
    "demarches/voies/": ["street"],
    "demarches/<slug:code>/": ["brouillon"],
    "mes-demandes/": ["statut", "service", "q", "page"],
    "rendez-vous/<str:motif>/<slug:site>/": ["mois"],
    "rendez-vous/gerer/<str:token>/deplacer/": ["mois"],
    "rendez-vous/<str:motif>/<slug:site>/reserver/": ["creneau"],
    "rendez-vous/agents/": ["agenda", "jour"],
    "rendez-vous/agents/agenda/<int:agenda_id>/reserver/": ["creneau"],
}
COMMON_KEYS = ["q", "page", "du", "au", "tri", "statut"]  # sent to every page, read or not
ALL_KEYS = sorted({key for keys in KEYS_BY_ROUTE.values() for key in keys} | set(COMMON_KEYS))


INT_ARGS = ("pk", "agenda_id", "booking_id")  # <int:…>: a text value does not resolve (404 before any view)


def _routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in SKIPPED_PREFIXES:
                continue
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _fill(route: str, values: dict[str, str]) -> str | None:
    """The route with its arguments filled, or None when one of them has no sample value (not a simple
    argument: left to the access matrix)."""
    path = "/" + route
    for name, value in values.items():
        for converter in ("str", "slug", "int"):
            path = path.replace(f"<{converter}:{name}>", quote(value, safe=""))
    return None if "<" in path else path


@pytest.fixture
def world(client, resident_user, agent):
    catalogue_seed()
    agendas_seed()
    from appointments.models import Agenda

    filed = request_submit(
        service=Service.objects.get(code="nid-de-poule"),
        requester=resident_user,
        data=FilingData(description="Trou dans la chaussée", street=Street.objects.get(name="rue Hoche")),
    )
    client.raise_request_exception = False
    return {
        "roles": {
            "anonyme": None,
            "habitant": resident_user,
            "agent": agent,
            "superviseur": supervisor(email="superviseure@bethune.fr"),
        },
        "values": {
            "reference": filed.reference,
            "code": "nid-de-poule",
            "token": tracking_token(filed),
            "pk": "999999",
            "site_code": "hdv",
            "site": "hdv",
            "motif": "cni",
            "date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "agenda_id": str(Agenda.objects.first().pk),
            "booking_id": "999999",
        },
    }


def _ask(client, method: str, path: str, data: dict) -> tuple[int, str | None]:
    """The status, and what is wrong with the answer (a 5xx, a stream that ends short) or None."""
    response = client.get(path, data) if method == "get" else client.post(path, data)
    where = f"{method.upper()} {path[:120]} {sorted(data)}"
    if response.status_code >= 500:
        return response.status_code, f"{where} → {response.status_code}"
    if response.streaming and b"EXPORT INCOMPLET" in b"".join(response.streaming_content):
        return response.status_code, f"{where} → export interrompu"
    return response.status_code, None


def _walk(client, world, value: str) -> list[str]:
    problems = []
    routes = list(_routes())
    for role, user in world["roles"].items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for route in routes:
            path = _fill(route, world["values"])
            if path is None:
                continue
            status, problem = _ask(client, "get", path, dict.fromkeys(ALL_KEYS, value))
            if status == 405:  # a POST-only action: the values as its form fields
                status, problem = _ask(client, "post", path, dict.fromkeys(ALL_KEYS, value))
            asked = [problem] + [
                _ask(client, "get", path, {key: value})[1] for key in KEYS_BY_ROUTE.get(route, [])
            ]
            # The same page with each text argument of its path replaced by the hostile value.
            hostile = {
                name: value for name in world["values"] if name not in ("agenda_id", "pk", "booking_id")
            }
            hostile_path = _fill(route, {**world["values"], **hostile})
            if hostile_path != path:
                asked.append(_ask(client, "get", hostile_path, {})[1])
            problems += [f"[{role}] {problem}" for problem in asked if problem]
    return problems


@pytest.mark.parametrize(
    "value", [value for name, value in HOSTILE.items() if name != "nul"], ids=list(HOSTILE)[1:]
)
def test_no_hostile_value_in_a_query_string_makes_a_server_error(client, world, value):
    problems = _walk(client, world, value)
    assert not problems, "\n".join(problems)


@pytest.mark.postgres
def test_a_nul_byte_in_a_query_string_a_form_or_a_path_never_makes_a_server_error(client, world):
    problems = _walk(client, world, HOSTILE["nul"])
    assert not problems, "\n".join(problems)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "path",
    [
        "/demarches/?q=trou%00",
        "/demarches/voies/?street=rue%00Hoche",
        "/mes-demandes/BET-2026-000001%00/",
        "/mes-demandes/suivi/BET%00/",
    ],
)
def test_a_nul_byte_answers_400_to_an_anonymous_visitor(client, db, path):
    assert client.get(path).status_code == 400


@pytest.mark.postgres
def test_a_nul_byte_in_the_agents_search_and_export_answers_400(client, world):
    client.force_login(world["roles"]["agent"])
    assert client.get("/guichet/?q=BET-2026%00").status_code == 400
    assert client.get("/guichet/export.csv?q=a%00b").status_code == 400


# The queue's dates


@pytest.mark.parametrize("query", ["au=9999-12-31", "du=0001-01-01", "du=9999-12-31&au=0001-01-01"])
def test_dates_at_the_ends_of_the_calendar_are_a_message_not_a_500(client, agent, query):
    client.force_login(agent)
    response = client.get(f"/guichet/?{query}")
    assert response.status_code == 200
    assert "Date invalide" in response.content.decode()
    export = client.get(f"/guichet/export.csv?{query}")
    assert export.status_code == 200
    assert b"EXPORT INCOMPLET" not in b"".join(export.streaming_content)


def test_a_french_date_filters_the_queue(client, agent):
    client.force_login(agent)
    response = client.get("/guichet/?du=01/01/2026&au=31/12/2026")
    assert response.status_code == 200
    assert "Date invalide" not in response.content.decode()


# Saved filters


@pytest.mark.parametrize("query", ["au=9999-12-31", "onglet=ouvertes&du=0001-01-01", "du=hier", "q=a%00b"])
def test_a_filter_with_an_invalid_date_or_a_nul_byte_is_not_stored(agent, query):
    with pytest.raises(ServiceError) as refused:
        saved_filter_create(owner=agent, name="Piège", query=query, is_default=True)
    assert refused.value.field == "query"
    assert not SavedFilter.objects.exists()


def test_saving_an_invalid_filter_from_the_queue_says_why(client, agent):
    client.force_login(agent)
    response = client.post(
        "/guichet/filtres/", {"name": "Piège", "query": "au=9999-12-31", "is_default": "on"}, follow=True
    )
    assert response.status_code == 200
    assert not SavedFilter.objects.exists()
    assert any("Filtre non enregistré" in str(message) for message in get_messages(response.wsgi_request))


def test_a_stored_invalid_default_is_ignored_with_a_message(client, agent):
    # Stored before filters were validated: it used to break its agent's queue at every visit.
    SavedFilterFactory(owner=agent, name="Vue cassée", query="onglet=closes&au=9999-12-31", is_default=True)
    client.force_login(agent)
    response = client.get("/guichet/")
    assert response.status_code == 200
    assert response.context["filters"].tab == "a-traiter"  # the plain queue, not the broken view
    assert response.context["filters"].errors == []
    [message] = list(get_messages(response.wsgi_request))
    assert "Vue cassée" in str(message) and "ignorée" in str(message)


# The export that fails midway


def test_an_export_failing_midway_says_so_in_its_last_line_and_logs(client, agent, monkeypatch, caplog):
    from guichet.views import queue as queue_views

    real_queryset = queue_views.selectors.queue_queryset

    class FailingRows:
        """The first row of a real export (built by hand), then the database gives way."""

        def __init__(self, queryset):
            self.queryset = queryset

        def values_list(self, *fields):
            return self

        def iterator(self, chunk_size):
            yield (
                *("BET-2026-000042", timezone.now(), "Nid-de-poule", "Tranquillité publique", "web", None),
                *("new", 2, "Odette Lagache", "o.lagache@example.fr", "", "12", "rue Hoche", "Centre-ville"),
                *("", "", "", None, None),
            )
            raise DatabaseError("connexion perdue")

    def failing_queryset(**kwargs):
        return FailingRows(real_queryset(**kwargs))

    monkeypatch.setattr(queue_views.selectors, "queue_queryset", failing_queryset)
    client.force_login(agent)
    with caplog.at_level(logging.ERROR, logger="guichet.views.queue"):
        response = client.get("/guichet/export.csv")
        text = b"".join(response.streaming_content).decode("utf-8")
    assert response.status_code == 200
    last = text.strip().splitlines()[-1]
    assert text.splitlines()[1].startswith("BET-2026-000042;")
    assert last.startswith("EXPORT INCOMPLET : erreur après 1 ligne(s)")
    assert "Queue export failed after 1 rows" in caplog.text
    assert "connexion perdue" in caplog.text
