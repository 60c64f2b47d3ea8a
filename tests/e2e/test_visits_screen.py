"""Walk-in visitors in a real browser: an agent registers an arrival and sees it on the waiting screen;
axe finds no WCAG 2.1 AA violation on the arrival form and the waiting screen."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login


@pytest.fixture(autouse=True)
def _reference_data(page):
    """Roles, espaces and sites come from data migrations. A transactional test that ran earlier in the
    session (the PostgreSQL race tests) flushes them, and the serialized rollback of ``page`` does not always
    bring them back here (the connection object changes once Playwright's event loop runs), so the same
    idempotent migration functions are run again when they are missing."""
    if not Group.objects.exists():
        importlib.import_module("accounts.migrations.0002_roles").create_roles(apps, None)
        importlib.import_module("requests_app.migrations.0002_reference_data").load(apps, None)


def test_an_agent_registers_an_arrival_and_sees_it_on_the_waiting_screen(page, live_server, agent):
    login(page, live_server, agent.email, PASSWORD)
    page.goto("/guichet/accueil/arrivee/?site=hdv")

    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer une arrivée")
    expect(page.get_by_label("Site d'accueil")).to_have_value(re.compile(r"\d+"))
    assert_no_axe_violations(page)

    page.get_by_label("Espace").select_option(label="Tranquillité publique")
    page.get_by_label("Motif de la visite").fill("Voiture ventouse rue Hoche")
    page.get_by_label("Nom du visiteur").fill("Mme Caron")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l'arrivée").click()

    expect(page).to_have_url(re.compile(r"/guichet/accueil/hdv/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("File d'attente – Hôtel de Ville")
    expect(
        page.get_by_text("Arrivée enregistrée : ticket n° 1 pour l'espace Tranquillité publique.")
    ).to_be_visible()
    line = page.get_by_role("table", name="File d'attente – Hôtel de Ville")
    row = line.get_by_role("row").filter(has_text="Voiture ventouse rue Hoche")
    expect(row.get_by_role("rowheader")).to_have_text("1")
    expect(row).to_contain_text("Tranquillité publique")
    expect(row).to_contain_text("0 min")
    expect(page.get_by_role("status").filter(has_text="1 personne en attente")).to_be_visible()
    expect(page.get_by_role("link", name="Actualiser")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_waiting_screen_has_no_violation_on_a_wide_screen(page, live_server, agent):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, agent.email, PASSWORD)
    page.goto("/guichet/accueil/hdv/")

    expect(page.get_by_text("Personne n'attend pour le moment.")).to_be_visible()
    assert_no_axe_violations(page)
