"""The agents' queue: tabs and counts, filters, sorts, search, pages, the htmx partial, saved views, and a
query count that does not grow with the rows."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.generate import generate_requests
from guichet.models import SavedFilter
from requests_app import services
from requests_app.models import Channel, Priority, Quartier, Request, Status
from tests.accounts.factories import supervisor
from tests.guichet.factories import (
    FAMILLE_SERVICE,
    TRANQUILLITE_OTHER_SERVICE,
    SavedFilterFactory,
    espace,
    file_request,
    service,
    site,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
QUEUE = "/guichet/"


pytestmark = pytest.mark.usefixtures("catalogue")  # tests/guichet/conftest.py


def shown(client, query: str = "") -> list[str]:
    response = client.get(f"{QUEUE}?{query}")
    assert response.status_code == 200
    return [row.reference for row in response.context["rows"]]


@pytest.fixture
def cast(agent, colleague):
    """One request of each kind for the Tranquillité publique agent, and one of another espace."""
    to_take = file_request()
    mine = file_request()
    services.request_claim(request=mine, agent=agent)
    colleagues = file_request()
    services.request_claim(request=colleagues, agent=colleague)
    awaiting = file_request()
    services.request_claim(request=awaiting, agent=colleague)
    services.request_transition(
        request=awaiting,
        to_status=Status.AWAITING_CITIZEN,
        actor=colleague,
        message="Pouvez-vous préciser le numéro du lampadaire ?",
    )
    closed = file_request()
    services.request_transition(
        request=closed, to_status=Status.RESOLVED, actor=agent, message="Le lampadaire a été réparé."
    )
    famille = file_request(code=FAMILLE_SERVICE, street_name=None)
    return {
        "to_take": to_take.reference,
        "mine": mine.reference,
        "colleagues": colleagues.reference,
        "awaiting": awaiting.reference,
        "closed": closed.reference,
        "famille": famille.reference,
    }


# Tabs and counts


def test_to_take_tab_lists_open_unassigned_requests_of_the_agents_espaces(client, agent, cast):
    client.force_login(agent)
    assert shown(client) == [cast["to_take"]]
    assert shown(client, "onglet=a-traiter") == [cast["to_take"]]


def test_mine_tab_lists_the_agents_open_requests(client, agent, cast):
    client.force_login(agent)
    assert shown(client, "onglet=mes-demandes") == [cast["mine"]]


def test_awaiting_tab_lists_requests_waiting_for_the_resident(client, agent, cast):
    client.force_login(agent)
    assert shown(client, "onglet=en-attente") == [cast["awaiting"]]


def test_all_open_tab_lists_every_open_request_of_the_agents_espaces(client, agent, cast):
    client.force_login(agent)
    assert set(shown(client, "onglet=ouvertes")) == {
        cast["to_take"],
        cast["mine"],
        cast["colleagues"],
        cast["awaiting"],
    }


def test_closed_tab_lists_closed_requests_only(client, agent, cast):
    client.force_login(agent)
    assert shown(client, "onglet=closes") == [cast["closed"]]


def test_tab_counts_cover_the_agents_espaces_only(client, agent, cast):
    client.force_login(agent)
    counts = client.get(QUEUE).context["counts"]
    assert counts == {"a-traiter": 1, "mes-demandes": 1, "en-attente": 1, "en-retard": 0, "ouvertes": 4}


def test_supervisor_sees_every_espace(client, cast):
    boss = supervisor(email="chef@bethune.fr")
    client.force_login(boss)
    assert set(shown(client)) == {cast["to_take"], cast["famille"]}
    assert client.get(QUEUE).context["counts"]["ouvertes"] == 5


def test_agent_of_another_espace_does_not_see_these_requests(client, other_agent, cast):
    client.force_login(other_agent)
    assert shown(client, "onglet=ouvertes") == [cast["famille"]]


def test_overdue_tab_lists_open_requests_past_their_due_date(client, agent, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))  # a Monday
    late = file_request()  # 5 working days: due Monday 9 March
    late_but_closed = file_request()
    services.request_transition(
        request=late_but_closed, to_status=Status.REJECTED, actor=agent, message="Hors de notre compétence."
    )
    time_machine.move_to(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS))
    on_time = file_request()
    client.force_login(agent)
    assert shown(client, "onglet=en-retard") == [late.reference]
    assert client.get(QUEUE).context["counts"]["en-retard"] == 1
    page = client.get(f"{QUEUE}?onglet=ouvertes").content.decode()
    assert "en retard" in page
    assert on_time.reference in page


# Filters and sorts


def test_status_filter(client, agent, cast):
    client.force_login(agent)
    assert shown(client, "onglet=ouvertes&statut=awaiting_citizen") == [cast["awaiting"]]


def test_service_filter(client, agent):
    lamp = file_request()
    tag = file_request(code=TRANQUILLITE_OTHER_SERVICE)
    client.force_login(agent)
    assert shown(client, f"service={service(TRANQUILLITE_OTHER_SERVICE).pk}") == [tag.reference]
    assert shown(client, f"service={lamp.service_id}") == [lamp.reference]


def test_espace_filter_for_a_supervisor(client, cast):
    client.force_login(supervisor(email="chef@bethune.fr"))
    assert shown(client, f"onglet=ouvertes&espace={espace_pk('famille')}") == [cast["famille"]]


def espace_pk(code: str) -> int:
    return espace(code).pk


def test_channel_and_site_filters(client, agent):
    web = file_request()
    counter = file_request(channel=Channel.GUICHET, site_code="hdv", created_by=agent)
    victor_hugo = file_request(channel=Channel.GUICHET, site_code="victor-hugo", created_by=agent)
    phone = file_request(channel=Channel.PHONE, created_by=agent)
    client.force_login(agent)
    assert set(shown(client, "canal=guichet")) == {counter.reference, victor_hugo.reference}
    assert shown(client, "canal=phone") == [phone.reference]
    assert shown(client, "canal=web") == [web.reference]
    assert shown(client, f"site={site('victor-hugo').pk}") == [victor_hugo.reference]


def test_quartier_filter(client, agent):
    centre = file_request(street_name="rue Hoche")
    liebaut = file_request(street_name="rue Verlaine")
    client.force_login(agent)
    mont_liebaut = Quartier.objects.get(code="mont-liebaut")
    assert shown(client, f"quartier={mont_liebaut.pk}") == [liebaut.reference]
    assert shown(client, f"quartier={centre.quartier_id}") == [centre.reference]


def test_assignee_filter_me_nobody_and_a_colleague(client, agent, colleague, cast):
    client.force_login(agent)
    assert shown(client, "onglet=ouvertes&agent=moi") == [cast["mine"]]
    assert shown(client, "onglet=ouvertes&agent=personne") == [cast["to_take"]]
    assert set(shown(client, f"onglet=ouvertes&agent={colleague.pk}")) == {
        cast["colleagues"],
        cast["awaiting"],
    }


def test_priority_filter(client, agent):
    urgent = file_request()
    services.request_set_priority(request=urgent, actor=agent, priority=Priority.URGENT)
    file_request()
    client.force_login(agent)
    assert shown(client, f"priorite={Priority.URGENT.value}") == [urgent.reference]


def test_date_range_filter(client, agent, time_machine):
    time_machine.move_to(datetime.datetime(2026, 2, 2, 10, 0, tzinfo=PARIS))
    february = file_request()
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))
    march = file_request()
    client.force_login(agent)
    assert shown(client, "du=2026-03-01") == [march.reference]
    assert shown(client, "au=2026-02-28") == [february.reference]
    assert shown(client, "du=2026-02-01&au=2026-02-02") == [february.reference]


def test_invalid_date_shows_a_message_instead_of_failing(client, agent):
    file_request()
    client.force_login(agent)
    response = client.get(f"{QUEUE}?du=31-02-2026")
    assert response.status_code == 200
    assert "Date invalide" in response.content.decode()


def test_sorts_by_due_date_creation_and_priority(client, agent, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))
    slow = file_request(code=TRANQUILLITE_OTHER_SERVICE)  # 10 working days: due last
    time_machine.move_to(datetime.datetime(2026, 3, 3, 10, 0, tzinfo=PARIS))
    quick = file_request()  # 5 working days
    urgent = file_request(code=TRANQUILLITE_OTHER_SERVICE)
    services.request_set_priority(request=urgent, actor=agent, priority=Priority.URGENT)
    client.force_login(agent)
    assert shown(client) == [quick.reference, slow.reference, urgent.reference]  # default: due date
    assert shown(client, "tri=echeance") == [quick.reference, slow.reference, urgent.reference]
    assert shown(client, "tri=recentes") == [urgent.reference, quick.reference, slow.reference]
    assert shown(client, "tri=anciennes") == [slow.reference, quick.reference, urgent.reference]
    assert shown(client, "tri=priorite")[0] == urgent.reference


# Search


def test_search_by_reference(client, agent):
    wanted = file_request()
    file_request()
    client.force_login(agent)
    assert shown(client, f"q={wanted.reference.lower()}") == [wanted.reference]


def test_search_by_email_phone_and_name(client, agent):
    wanted = file_request(
        contact_name="Gérard Wattel",
        contact_email="g.wattel@example.fr",
        contact_phone="06 12 34 56 78",
        created_by=agent,
        channel=Channel.PHONE,
    )
    file_request(
        contact_name="Paul Martin", contact_email="paul.martin@example.fr", contact_phone="07 00 00 00 01"
    )
    client.force_login(agent)
    assert shown(client, "q=G.Wattel@example.fr") == [wanted.reference]
    assert shown(client, "q=06 12 34 56 78") == [wanted.reference]
    assert shown(client, "q=wattel") == [wanted.reference]


def test_search_by_phone_typed_without_spaces(client, agent):
    wanted = file_request(
        contact_name="Gérard Wattel", contact_phone="06 12 34 56 78", created_by=agent, channel=Channel.PHONE
    )
    client.force_login(agent)
    assert shown(client, "q=0612345678") == [wanted.reference]


def test_search_by_words_of_the_description(client, agent):
    wanted = file_request(description="Des tags obscènes sur la façade de l'école Jules Ferry.")
    file_request(description="Le lampadaire clignote.")
    client.force_login(agent)
    assert shown(client, "q=façade") == [wanted.reference]


def test_search_stays_within_the_agents_espaces(client, agent):
    famille = file_request(code=FAMILLE_SERVICE, street_name=None)
    client.force_login(agent)
    assert shown(client, f"q={famille.reference}&onglet=ouvertes") == []


@pytest.mark.postgres
def test_full_text_search_matches_words_in_any_order_and_form_on_postgresql(client, agent):
    wanted = file_request(description="Les lampadaires de la rue clignotent toute la nuit.")
    file_request(description="Un trou dans la chaussée.")
    client.force_login(agent)
    # French stemming: "lampadaire" finds "lampadaires"; word order does not matter.
    assert shown(client, "q=nuit lampadaire") == [wanted.reference]


@pytest.mark.postgres
def test_name_search_uses_the_trigram_path_on_postgresql(client, agent):
    wanted = file_request(contact_name="Gérard Wattel", contact_email="g.wattel@example.fr")
    client.force_login(agent)
    assert shown(client, "q=WATT") == [wanted.reference]


# Pages, htmx, no JavaScript


def test_fifty_rows_a_page_with_a_link_to_the_next(client, agent):
    references = [file_request().reference for _ in range(51)]
    client.force_login(agent)
    response = client.get(f"{QUEUE}?tri=anciennes")
    first_page = [row.reference for row in response.context["rows"]]
    assert len(first_page) == 50
    assert response.context["has_next"]
    assert 'rel="next"' in response.content.decode()
    assert "page=2" in response.content.decode()
    second = client.get(f"{QUEUE}?tri=anciennes&page=2")
    second_page = [row.reference for row in second.context["rows"]]
    assert not second.context["has_next"]
    assert set(first_page + second_page) >= set(references)
    assert not set(first_page) & set(second_page)


def test_htmx_request_returns_the_results_partial_only(client, agent, cast):
    client.force_login(agent)
    response = client.get(f"{QUEUE}?onglet=mes-demandes", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert cast["mine"] in body
    assert "<html" not in body
    assert "Vues enregistrées" not in body
    assert [t.name for t in response.templates][0] == "guichet/queue/_results.html"


def test_page_works_without_javascript_with_plain_get_links(client, agent, cast):
    client.force_login(agent)
    response = client.get(QUEUE)
    body = response.content.decode()
    assert "<html" in body
    assert 'href="?onglet=mes-demandes"' in body  # tabs are links
    assert 'method="get"' in body  # filters are a GET form
    assert shown(client, "onglet=mes-demandes&q=&statut=") == [cast["mine"]]


# Saved filters


def test_agent_saves_a_personal_view_and_finds_it_again(client, agent, colleague):
    client.force_login(agent)
    response = client.post(
        "/guichet/filtres/", {"name": "Mes urgences", "query": "onglet=mes-demandes&priorite=4"}
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get(owner=agent)
    assert saved.query == "onglet=mes-demandes&priorite=4"
    assert "Mes urgences" in client.get(QUEUE).content.decode()
    client.force_login(colleague)
    assert "Mes urgences" not in client.get(QUEUE).content.decode()


def test_view_shared_with_an_espace_is_seen_by_its_agents_only(client, agent, colleague, other_agent):
    client.force_login(agent)
    client.post(
        "/guichet/filtres/",
        {"name": "Tags du centre", "query": "service=1", "shared_with": espace_pk("tranquillite")},
    )
    assert SavedFilter.objects.get(name="Tags du centre").shared_with.code == "tranquillite"
    client.force_login(colleague)
    assert "Tags du centre" in client.get(QUEUE).content.decode()
    client.force_login(other_agent)
    assert "Tags du centre" not in client.get(QUEUE).content.decode()


def test_agent_cannot_share_with_an_espace_that_is_not_theirs(client, agent):
    client.force_login(agent)
    client.post("/guichet/filtres/", {"name": "Intrusion", "query": "", "shared_with": espace_pk("famille")})
    assert not SavedFilter.objects.exists()


def test_default_view_applies_when_the_queue_is_opened_without_parameters(client, agent, cast):
    SavedFilterFactory(owner=agent, name="Ma vue", query="onglet=mes-demandes", is_default=True)
    client.force_login(agent)
    assert shown(client) == [cast["mine"]]
    assert shown(client, "onglet=a-traiter") == [cast["to_take"]]  # explicit parameters win


def test_a_new_default_view_replaces_the_previous_one(client, agent):
    SavedFilterFactory(owner=agent, name="Ancienne", query="onglet=ouvertes", is_default=True)
    client.force_login(agent)
    client.post("/guichet/filtres/", {"name": "Nouvelle", "query": "onglet=closes", "is_default": "on"})
    assert list(SavedFilter.objects.filter(owner=agent, is_default=True).values_list("name", flat=True)) == [
        "Nouvelle"
    ]


def test_agent_deletes_only_their_own_views(client, agent, colleague):
    theirs = SavedFilterFactory(owner=colleague, shared_with=espace("tranquillite"))
    mine = SavedFilterFactory(owner=agent)
    client.force_login(agent)
    assert client.post(f"/guichet/filtres/{theirs.pk}/supprimer/").status_code == 404
    assert client.post(f"/guichet/filtres/{mine.pk}/supprimer/").status_code == 302
    assert list(SavedFilter.objects.all()) == [theirs]


# Query count: the page costs the same whatever the number of rows


def _queue_queries(client, url: str) -> int:
    client.get(url)  # warms the cached reference names and menus, as any earlier page view would
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("tab", ["", "?onglet=ouvertes", "?onglet=closes&tri=recentes"])
@pytest.mark.parametrize("who", ["agent", "supervisor"])
def test_queue_page_query_count_does_not_grow_with_the_rows(client, agent, colleague, tab, who):
    user = agent if who == "agent" else supervisor(email="chef@bethune.fr")
    SavedFilterFactory(owner=agent, shared_with=espace("tranquillite"))
    client.force_login(user)
    generate_requests(count=5, years=1, seed=1)
    few = _queue_queries(client, QUEUE + tab)
    generate_requests(count=120, years=1, seed=2)
    assert Request.objects.count() == 125
    many_rows = len(client.get(QUEUE + tab).context["rows"])
    many = _queue_queries(client, QUEUE + tab)
    assert few == many, f"{few} requêtes avec 5 demandes, {many} avec 120"
    assert many <= 10
    if tab.startswith("?onglet=closes") and who == "supervisor":
        assert many_rows == 50  # a full page: the count above is that of a full page


@pytest.mark.parametrize(
    "params", [{"page": "²"}, {"service": "٣"}, {"agent": "²"}, {"page": "9" * 30}, {"espace": "9" * 25}]
)
def test_odd_numbers_in_the_queue_url_are_ignored_not_a_server_error(client, agent, params):
    client.force_login(agent)
    assert client.get("/guichet/", params).status_code == 200
    assert client.get("/guichet/export.csv", params).status_code == 200


def test_saving_a_filter_under_a_taken_name_keeps_the_current_default_view(client, agent):
    client.force_login(agent)
    client.post("/guichet/filtres/", {"name": "Mes retards", "query": "onglet=en-retard", "is_default": "on"})
    response = client.post(
        "/guichet/filtres/", {"name": "Mes retards", "query": "onglet=closes", "is_default": "on"}
    )
    assert response.status_code == 302
    from guichet.models import SavedFilter

    assert list(SavedFilter.objects.values_list("name", "query", "is_default")) == [
        ("Mes retards", "onglet=en-retard", True)
    ]
