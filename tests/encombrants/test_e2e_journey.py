"""In Chromium: a resident books a pickup with a photo (the PDF confirmation's text read back), the crew
marks it partly collected with a refused item, the resident sees the outcome in the personal space; axe
reports no violation on every page of the app, for the resident and the agent."""

import shutil
import subprocess

import pytest
from django.utils import timezone

from encombrants.models import Pickup, PickupStatus
from encombrants.seed import encombrants_seed
from requests_app.catalogue_seed import catalogue_seed
from tests.accounts.factories import PASSWORD, agent_of, resident
from tests.browser import login
from tests.e2e.axe import assert_no_axe_violations
from tests.encombrants.helpers import PNG

pytestmark = pytest.mark.browser


def _pdf_text(data: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) requis"
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_book_with_a_photo_crew_outcome_and_resident_sees_it(page, live_server, tmp_path):  # noqa: F811
    catalogue_seed()
    encombrants_seed()
    jean = resident(email="jean.dupont@example.fr", first_name="Jean", last_name="Dupont")
    crew = agent_of("vielocale", email="crew@bethune.fr", first_name="Paul", last_name="Lenoir")
    picture = tmp_path / "canape.png"
    picture.write_bytes(PNG)

    login(page, live_server, jean.email, PASSWORD)
    page.goto(f"{live_server.url}/encombrants/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Réserver un enlèvement").click()
    assert_no_axe_violations(page)
    page.get_by_label("Voie").select_option(label="rue Hoche")
    page.get_by_label("Numéro").fill("12")
    page.get_by_label("Canapé").fill("1")
    page.get_by_label("Chaise").fill("2")
    assert page.locator("#enc-volume-value").inner_text() == "1,8 m³"
    page.get_by_label("Où seront les objets ?").fill("Devant le portail")
    page.get_by_role("button", name="Voir les jours possibles").click()
    assert_no_axe_violations(page)
    page.locator("input[name=jour]").first.check()
    page.get_by_role("button", name="Continuer").click()
    assert_no_axe_violations(page)
    page.get_by_label("Photo des objets (facultative)").set_input_files(str(picture))
    page.get_by_role("button", name="Confirmer l'enlèvement").click()
    assert "confirmé" in page.locator("h1").inner_text()
    assert_no_axe_violations(page)

    pickup = Pickup.objects.get()
    assert pickup.request.attachments.count() == 1
    pdf = page.request.get(
        page.get_by_role("link", name="Télécharger la confirmation (PDF)").get_attribute("href")
    )
    text = _pdf_text(pdf.body())
    assert "12 rue Hoche" in text and "1 × Canapé" in text and pickup.request.reference in text
    page.get_by_role("link", name="Modifier ou annuler cet enlèvement").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Changer les objets ou le jour").click()
    assert_no_axe_violations(page)

    # The day comes: the crew works on the pickup (moved to today, as if the weeks had passed).
    Pickup.objects.filter(pk=pickup.pk).update(day=timezone.localdate())
    page.context.clear_cookies()
    login(page, live_server, crew.email, PASSWORD)
    page.goto(f"{live_server.url}/encombrants/agents/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Centre – Gare").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Saisir le résultat").click()
    assert_no_axe_violations(page)
    page.get_by_label("Collecté en partie").check()
    page.get_by_label("Chaise refusés (sur 2)").fill("1")
    page.get_by_role("button", name="Enregistrer le résultat").click()
    assert "Résultat enregistré" in page.content()
    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.PARTLY_COLLECTED
    page.goto(f"{live_server.url}/encombrants/agents/reserver/")
    assert_no_axe_violations(page)

    page.context.clear_cookies()
    login(page, live_server, jean.email, PASSWORD)
    page.goto(f"{live_server.url}/mes-demandes/{pickup.request.reference}/")
    assert "1 × Chaise" in page.content()
