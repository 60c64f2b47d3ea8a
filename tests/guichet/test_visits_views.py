"""Walk-in visits pages under /guichet/accueil/: agents only (404 for anyone else), happy paths, bad input."""

import datetime
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from guichet.models import Visit, VisitOutcome, VisitStatus
from guichet.services.visits import visit_call_next, visit_register
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Espace, Site, Street
from tests.requests_app.factories import submitted_request

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.content.decode())


def without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def register(site, espace, agent, reason="Carte grise", name=""):
    return visit_register(site=site, espace=espace, reason=reason, visitor_name=name, registered_by=agent)


def visit_urls(visit) -> list[tuple[str, str]]:
    """Every /guichet/accueil/ URL with the method it answers."""
    return [
        ("get", reverse("guichet:visit_index")),
        ("get", reverse("guichet:visit_register")),
        ("post", reverse("guichet:visit_register")),
        ("get", reverse("guichet:visit_screen", args=["hdv"])),
        ("get", reverse("guichet:visit_screen_list", args=["hdv"])),
        ("post", reverse("guichet:visit_call_next", args=["hdv"])),
        ("get", reverse("guichet:visit_close", args=[visit.pk])),
        ("post", reverse("guichet:visit_close", args=[visit.pk])),
        ("post", reverse("guichet:visit_left", args=[visit.pk])),
    ]


def test_urls_are_mounted_under_guichet_accueil():
    assert reverse("guichet:visit_screen", args=["hdv"]) == "/guichet/accueil/hdv/"
    assert reverse("guichet:visit_register") == "/guichet/accueil/arrivee/"


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_residents_and_anonymous_users_get_404_on_every_visit_url(
    client, who, resident_user, agent, hdv, tranquillite
):
    visit = register(hdv, tranquillite, agent)
    if who == "resident":
        client.force_login(resident_user)

    for method, url in visit_urls(visit):
        # Every method too: a POST-only URL must not answer 405 (which would confirm it exists).
        for verb in {method, "get", "post"}:
            response = getattr(client, verb)(url, {"espace": tranquillite.pk, "outcome": "information"})
            assert response.status_code == 404, (verb, url)

    visit.refresh_from_db()
    assert visit.status == VisitStatus.WAITING
    assert Visit.objects.count() == 1


def test_an_agent_sees_the_sites(agent_client):
    response = agent_client.get(reverse("guichet:visit_index"))

    assert response.status_code == 200
    assert "Hôtel de Ville" in text(response)
    assert "/guichet/accueil/hdv/" in text(response)


def test_an_agent_registers_an_arrival(agent_client, agent, hdv, tranquillite):
    form = agent_client.get(reverse("guichet:visit_register") + "?site=hdv")
    assert form.status_code == 200
    assert 'for="id_reason"' in text(form)

    response = agent_client.post(
        reverse("guichet:visit_register"),
        {
            "site": hdv.pk,
            "espace": tranquillite.pk,
            "reason": "Stationnement gênant",
            "visitor_name": "M. Leroy",
        },
        follow=True,
    )

    visit = Visit.objects.get()
    assert (visit.ticket, visit.reason, visit.visitor_name, visit.registered_by) == (
        1,
        "Stationnement gênant",
        "M. Leroy",
        agent,
    )
    assert response.redirect_chain[-1][0] == "/guichet/accueil/hdv/"
    assert "Arrivée enregistrée : ticket n° 1 pour l'espace Tranquillité publique." in text(response)
    assert "Stationnement gênant" in text(response)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Indiquez le motif de la visite."),
        ({"reason": "   "}, "Indiquez le motif de la visite."),
        ({"espace": ""}, "Choisissez l'espace qui recevra le visiteur."),
        ({"espace": "999999"}, "Choisissez un espace de la liste."),
        ({"site": "999999"}, "Choisissez un site de la liste."),
        ({"reason": "x" * 201}, "Assurez-vous que cette valeur comporte au plus 200 caractères"),
    ],
)
def test_a_bad_arrival_is_refused_with_a_clear_message(agent_client, hdv, tranquillite, data, message):
    payload = {"site": hdv.pk, "espace": tranquillite.pk, "reason": "Motif"} | data

    response = agent_client.post(reverse("guichet:visit_register"), payload)

    assert response.status_code == 400
    assert message in text(response)
    assert not Visit.objects.exists()


def test_the_waiting_screen_lists_who_waits_and_for_how_long(agent_client, agent, hdv, tranquillite):
    arrival = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
    with time_machine.travel(arrival, tick=False) as clock:
        register(hdv, tranquillite, agent, reason="Tags sur la façade", name="Mme Caron")
        clock.shift(60 * 12 + 30)
        response = agent_client.get(reverse("guichet:visit_screen", args=["hdv"]))
        partial = agent_client.get(reverse("guichet:visit_screen_list", args=["hdv"]))

    assert response.status_code == 200
    page = text(response)
    assert "File d'attente – Hôtel de Ville" in page
    assert "Tags sur la façade" in page and "Mme Caron" in page
    assert "12 min" in page
    assert 'hx-trigger="every 15s"' in page
    assert 'role="status"' in page
    assert ">Actualiser</a>" in page
    assert '<th scope="col">' in page
    assert "1 personne en attente" in page
    # The partial alone is what htmx polls: the list, without the page around it.
    assert partial.status_code == 200
    assert "<html" not in text(partial)
    assert 'role="status"' in text(partial) and "12 min" in text(partial)
    assert 'hx-get="/guichet/accueil/hdv/liste/"' in text(partial)


def test_the_waiting_screen_shows_only_its_site(agent_client, agent, tranquillite):
    register(Site.objects.get(code="victor-hugo"), tranquillite, agent, reason="Voisinage bruyant")

    response = agent_client.get(reverse("guichet:visit_screen", args=["hdv"]))

    assert "Voisinage bruyant" not in text(response)
    assert "Personne n'attend pour le moment." in text(response)


def test_an_unknown_site_is_404(agent_client):
    assert agent_client.get(reverse("guichet:visit_screen", args=["lille"])).status_code == 404


def test_the_waiting_screen_query_count_does_not_grow_with_the_line(
    agent_client, agent, hdv, tranquillite, django_assert_max_num_queries
):
    for n in range(15):
        register(hdv, tranquillite, agent, reason=f"Motif {n}")

    with django_assert_max_num_queries(8):
        response = agent_client.get(reverse("guichet:visit_screen_list", args=["hdv"]))
    assert text(response).count('class="waiting__ticket"') == 15


def test_call_next_calls_the_oldest_and_opens_its_closing_page(agent_client, agent, hdv, tranquillite):
    first = register(hdv, tranquillite, agent)
    register(hdv, tranquillite, agent)

    response = agent_client.post(
        reverse("guichet:visit_call_next", args=["hdv"]),
        {"espace": tranquillite.pk, "counter": "3"},
        follow=True,
    )

    first.refresh_from_db()
    assert (first.status, first.counter, first.called_by) == (VisitStatus.CALLED, "3", agent)
    assert response.redirect_chain[-1][0] == f"/guichet/accueil/visites/{first.pk}/terminer/"
    assert "Ticket n° 1 appelé (Tranquillité publique)" in text(response)


def test_call_next_with_nobody_waiting_says_so(agent_client, tranquillite):
    response = agent_client.post(
        reverse("guichet:visit_call_next", args=["hdv"]), {"espace": tranquillite.pk}, follow=True
    )

    assert "Personne n'attend pour l'espace Tranquillité publique." in text(response)


def test_call_next_for_an_espace_the_agent_does_not_serve_is_refused(agent_client, agent, hdv):
    famille = Espace.objects.get(code="famille")
    visit = register(hdv, famille, agent)

    response = agent_client.post(reverse("guichet:visit_call_next", args=["hdv"]), {"espace": famille.pk})

    assert response.status_code == 400
    assert "Vous ne recevez pas les visiteurs de cet espace." in text(response)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WAITING


def test_call_next_answers_get_with_405_for_an_agent(agent_client):
    assert agent_client.get(reverse("guichet:visit_call_next", args=["hdv"])).status_code == 405


def test_an_agent_closes_a_visit_with_information_given(agent_client, agent, hdv, tranquillite):
    register(hdv, tranquillite, agent)
    visit = visit_call_next(site=hdv, espace=tranquillite, agent=agent)
    url = reverse("guichet:visit_close", args=[visit.pk])

    page = agent_client.get(url)
    assert page.status_code == 200
    assert "<legend>Issue de la visite" in text(page)

    response = agent_client.post(url, {"outcome": VisitOutcome.INFORMATION}, follow=True)

    visit.refresh_from_db()
    assert (visit.status, visit.outcome) == (VisitStatus.CLOSED, VisitOutcome.INFORMATION)
    assert response.redirect_chain[-1][0] == "/guichet/accueil/hdv/"
    assert "Visite du ticket n° 1 terminée." in text(response)


def test_an_agent_closes_a_visit_linking_the_request_filed(
    agent_client, agent, resident_user, hdv, tranquillite
):
    catalogue_seed()
    request = submitted_request(
        service="poubelles-hors-horaires",
        requester=resident_user,
        description="Bacs",
        street=Street.objects.first(),
    )
    visit = register(hdv, tranquillite, agent)

    agent_client.post(
        reverse("guichet:visit_close", args=[visit.pk]),
        {"outcome": VisitOutcome.REQUEST, "request_reference": request.reference},
    )

    visit.refresh_from_db()
    assert (visit.outcome, visit.request) == (VisitOutcome.REQUEST, request)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choisissez l'issue de la visite."),
        ({"outcome": "lunch"}, "Sélectionnez un choix valide"),
        ({"outcome": "request"}, "Indiquez la référence de la demande enregistrée."),
        (
            {"outcome": "request", "request_reference": "BET-2026-424242"},
            "Aucune demande BET-2026-424242 parmi celles que vous pouvez consulter.",
        ),
        ({"outcome": "redirected"}, "Indiquez le service vers lequel le visiteur a été orienté."),
    ],
)
def test_closing_with_bad_input_is_refused_and_changes_nothing(
    agent_client, agent, hdv, tranquillite, data, message
):
    visit = register(hdv, tranquillite, agent)

    response = agent_client.post(reverse("guichet:visit_close", args=[visit.pk]), data)

    assert response.status_code == 400
    assert message in text(response)
    visit.refresh_from_db()
    assert (visit.status, visit.outcome, visit.request) == (VisitStatus.WAITING, "", None)


def test_an_unknown_visit_is_404(agent_client):
    assert agent_client.get(reverse("guichet:visit_close", args=[424242])).status_code == 404


def test_an_agent_marks_a_visitor_as_left(agent_client, agent, hdv, tranquillite):
    visit = register(hdv, tranquillite, agent)

    response = agent_client.post(reverse("guichet:visit_left", args=[visit.pk]), follow=True)

    visit.refresh_from_db()
    assert visit.status == VisitStatus.LEFT
    assert "Ticket n° 1 : visiteur parti sans être reçu." in text(response)
    again = agent_client.post(reverse("guichet:visit_left", args=[visit.pk]), follow=True)
    assert "Cette visite est déjà terminée." in text(again)


def test_pages_carry_no_inline_script_or_style(agent_client, agent, hdv, tranquillite):
    visit = register(hdv, tranquillite, agent)
    for url in (
        reverse("guichet:visit_index"),
        reverse("guichet:visit_register"),
        reverse("guichet:visit_screen", args=["hdv"]),
        reverse("guichet:visit_close", args=[visit.pk]),
    ):
        body = agent_client.get(url).content.decode()
        assert "style=" not in body and " onclick=" not in body and "<script>" not in body, url


def test_an_agent_of_another_espace_gets_404_on_a_visit_and_changes_nothing(
    client, agent, other_agent, hdv, tranquillite
):
    visit = register(hdv, tranquillite, agent, reason="Tags sur la façade", name="Mme Secret")
    visit_call_next(site=hdv, espace=tranquillite, agent=agent)
    client.force_login(other_agent)  # Famille
    close_url = reverse("guichet:visit_close", args=[visit.pk])
    unknown = client.get(reverse("guichet:visit_close", args=[424242]))

    page = client.get(close_url)
    closing = client.post(close_url, {"outcome": VisitOutcome.REDIRECTED, "note": "Mairie annexe"})
    leaving = client.post(reverse("guichet:visit_left", args=[visit.pk]))

    assert (page.status_code, closing.status_code, leaving.status_code) == (404, 404, 404)
    # The same answer as an unknown visit: nothing tells that this one exists.
    # (The 404 page is the portal's, whose sign-out form carries a CSRF token masked anew on each answer.)
    assert without_csrf_token(page) == without_csrf_token(unknown)
    for response in (page, closing, leaving):
        assert "Mme Secret" not in text(response) and "Tags sur la façade" not in text(response)
    visit.refresh_from_db()
    assert (visit.status, visit.outcome, visit.closed_at) == (VisitStatus.CALLED, "", None)


@pytest.mark.parametrize("action", ["close", "left"])
def test_a_supervisor_closes_or_marks_left_a_visit_of_any_espace(client, agent, hdv, tranquillite, action):
    from tests.accounts.factories import supervisor

    visit = register(hdv, tranquillite, agent, name="Mme Caron")
    client.force_login(supervisor(email="chef@bethune.fr"))

    page = client.get(reverse("guichet:visit_close", args=[visit.pk]))
    assert page.status_code == 200 and "Mme Caron" in text(page)
    if action == "close":
        response = client.post(
            reverse("guichet:visit_close", args=[visit.pk]), {"outcome": VisitOutcome.INFORMATION}
        )
    else:
        response = client.post(reverse("guichet:visit_left", args=[visit.pk]))

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == (VisitStatus.CLOSED if action == "close" else VisitStatus.LEFT)


def test_the_waiting_screen_offers_terminer_only_for_the_espaces_the_agent_receives(
    client, agent, other_agent, hdv, tranquillite
):
    from tests.accounts.factories import supervisor

    famille = Espace.objects.get(code="famille")
    own = register(hdv, tranquillite, agent)
    other = register(hdv, famille, agent)

    client.force_login(agent)
    page = text(client.get(reverse("guichet:visit_screen_list", args=["hdv"])))
    assert f'id="terminer-{own.pk}"' in page
    assert f'id="terminer-{other.pk}"' not in page
    # Both are still in the site's line: the counter registers arrivals for every espace.
    assert page.count('class="waiting__ticket"') == 2

    client.force_login(supervisor(email="chef@bethune.fr"))
    page = text(client.get(reverse("guichet:visit_screen_list", args=["hdv"])))
    assert f'id="terminer-{own.pk}"' in page and f'id="terminer-{other.pk}"' in page


@pytest.mark.parametrize("value", ["²", "٣", "３", "1²", "-1", "1.0", " "])
def test_a_non_ascii_or_malformed_espace_or_site_number_is_an_invalid_choice(
    agent_client, hdv, tranquillite, value
):
    """int() reads "٣" (Arabic-Indic) and "３" (full-width) as 3 and str.isdigit() accepts "²": only ASCII
    digits name a row; anything else is refused with the form's message, never a 500 nor another row."""
    arrival = agent_client.post(
        reverse("guichet:visit_register"), {"site": hdv.pk, "espace": value, "reason": "Motif"}
    )
    site = agent_client.post(
        reverse("guichet:visit_register"), {"site": value, "espace": tranquillite.pk, "reason": "Motif"}
    )
    call = agent_client.post(reverse("guichet:visit_call_next", args=["hdv"]), {"espace": value})

    assert (arrival.status_code, site.status_code, call.status_code) == (400, 400, 400)
    assert "Choisissez un espace de la liste." in text(arrival)
    assert "Choisissez un site de la liste." in text(site)
    assert "Vous ne recevez pas les visiteurs de cet espace." in text(call)
    assert not Visit.objects.exists()
