"""An agent's journey in a real browser: a resident phones, the agent files the request on their behalf,
assigns it, answers with a reply template; the resident logs in and reads the answer. axe-core checks the
queue, the agent's request page and the intake form."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from guichet.models import ReplyTemplate
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Channel, Espace, Request, Status
from tests.accounts.factories import PASSWORD, agent_of, resident
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}  # agents work on desktop screens


def test_agent_files_a_phone_request_assigns_it_and_answers_with_a_template(page, live_server):
    catalogue_seed()
    cache.clear()
    jean = resident(
        email="jean.dupont@example.fr", first_name="Jean", last_name="Dupont", phone="06 11 22 33 44"
    )
    luc = agent_of("tranquillite", email="luc.agent@bethune.fr", first_name="Luc", last_name="Delattre")
    agent_of("tranquillite", email="nadia.agent@bethune.fr", first_name="Nadia", last_name="Benali")
    ReplyTemplate.objects.create(
        title="Lampadaire réparé",
        espace=Espace.objects.get(code="tranquillite"),
        body="Bonjour {nom}, le lampadaire signalé sous la référence {reference} a été réparé ce matin.",
    )
    page.set_viewport_size(DESKTOP)

    # The agent logs in through the real login page and opens the queue.
    login(page, live_server, luc.email, PASSWORD)
    page.goto("/guichet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("File des demandes")
    assert_no_axe_violations(page)

    # Jean Dupont phones: the agent finds his account and files the request for him.
    page.get_by_role("link", name="Saisir une demande").click()
    page.get_by_label("Nom, adresse électronique ou téléphone de l'usager").fill("06 11 22 33 44")
    page.get_by_role("button", name="Chercher un compte").click()
    page.get_by_role("link", name="Jean Dupont").click()
    page.get_by_role("link", name="Éclairage public en panne").click()
    expect(page.get_by_label("Nom du demandeur")).to_have_value("Jean Dupont")
    assert_no_axe_violations(page)
    page.get_by_label("Par téléphone").check()
    page.locator("#id_street").fill("rue Hoche")
    page.locator("#id_street_number").fill("12")
    page.locator("#id_description").fill("Le lampadaire devant le numéro 12 est éteint depuis trois jours.")
    page.get_by_role("button", name="Enregistrer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demande enregistrée")

    filed = Request.objects.get()
    assert (filed.requester, filed.channel, filed.created_by, filed.status) == (
        jean,
        Channel.PHONE,
        luc,
        Status.NEW,
    )
    expect(page.get_by_text(filed.reference).first).to_be_visible()

    # The queue lists it (axe again, now with a table row and the bulk actions form).
    page.goto("/guichet/")
    expect(page.get_by_role("link", name=filed.reference)).to_be_visible()
    assert_no_axe_violations(page)

    # The agent opens the request, assigns it to themself and answers with the template.
    page.get_by_role("link", name=filed.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(filed.reference)
    assert_no_axe_violations(page)
    page.get_by_label("Attribuer à").select_option(label="Luc Delattre")
    page.get_by_role("button", name="Attribuer", exact=True).click()
    expect(page.get_by_role("definition").filter(has_text="Luc Delattre").first).to_be_visible()
    page.get_by_label("Modèle de réponse").select_option(label="Lampadaire réparé")
    page.get_by_role("button", name="Utiliser ce modèle").click()
    answer = (
        f"Bonjour Jean Dupont, le lampadaire signalé sous la référence {filed.reference} "
        "a été réparé ce matin."
    )
    expect(page.get_by_label("Message au demandeur", exact=True)).to_have_value(answer)
    page.get_by_label("Nouveau statut").select_option(label="Traitée")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Statut mis à jour")).to_be_visible()

    filed.refresh_from_db()
    assert (filed.assignee, filed.status) == (luc, Status.RESOLVED)

    # Jean logs in and reads the answer on his request's page.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    login(page, live_server, jean.email, PASSWORD)
    page.goto(f"/mes-demandes/{filed.reference}/")
    expect(page.get_by_text(re.compile("a été réparé ce matin"))).to_be_visible()
    expect(page.get_by_text("Traitée").first).to_be_visible()
