"""A resident's journey in a real browser: sign up, verify the address from the email, log in, file a
pothole with a photo, find it in "Mes demandes", download the receipt. Plus axe-core on each page of the
journey, and the filing form used with the keyboard only and with JavaScript turned off."""

import os
import re
import subprocess

import pytest
from django.core import mail
from playwright.sync_api import expect

from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Request, Status
from tests.accounts.factories import PASSWORD, manager, resident
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import MOBILE_VIEWPORT, login
from tests.requests_app.conftest import jpeg_bytes

pytestmark = pytest.mark.browser

EMAIL = "claire.lemaire@example.fr"


def screenshot(page, name: str) -> None:
    """For reviewers: E2E_SCREENSHOTS=/some/dir keeps a full-page capture of the page (phone width)."""
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def photo(name: str = "trou.jpg") -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes((64, 48))}


def fill_pothole(page) -> None:
    page.get_by_label("Voie").fill("rue Hoche")
    page.get_by_label("Numéro").fill("12")
    page.get_by_label("Description").fill("Un trou profond au milieu de la chaussée.")


def test_resident_signs_up_files_a_pothole_and_downloads_the_receipt(page, live_server, tmp_path):
    catalogue_seed()

    # Sign up, then follow the link of the verification email (locmem: the live server runs in this process).
    page.goto("/comptes/signup/")
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_first_name").fill("Claire")
    page.locator("#id_last_name").fill("Lemaire")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_load_state()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name=re.compile("Confirmer", re.IGNORECASE)).click()
    page.wait_for_load_state()

    # Log in through the form (leaving first the session the confirmation may have opened).
    logout = page.get_by_role("button", name="Se déconnecter")
    if logout.count():
        logout.click()
        page.wait_for_load_state()
    login(page, live_server, EMAIL, PASSWORD)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    # File a pothole with a photo from the catalogue.
    page.goto("/demarches/")
    page.get_by_role("link", name="Nid-de-poule ou chaussée abîmée").click()
    assert page.locator("#voies-bethune option").count() > 10  # every street, without JavaScript
    fill_pothole(page)
    expect(page.locator("#voies-bethune option")).to_have_count(1)  # narrowed by htmx as one types
    page.get_by_label("Photos ou documents").set_input_files([photo()])
    page.get_by_role("button", name="Envoyer la demande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
    filed = Request.objects.get(requester__email=EMAIL)
    assert filed.status == Status.NEW and filed.attachments.get().original_name == "trou.jpg"
    expect(page.get_by_text(filed.reference)).to_be_visible()

    # It is listed in "Mes demandes" and its page offers the receipt.
    page.get_by_role("link", name="Voir toutes mes demandes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes demandes")
    page.get_by_role("link", name=re.compile(filed.reference)).click()
    expect(page.get_by_text("Demande déposée")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger l'accusé de réception (PDF)").click()
    receipt = tmp_path / "accuse.pdf"
    download_info.value.save_as(receipt)
    text = subprocess.run(["pdftotext", str(receipt), "-"], capture_output=True, text=True, check=True).stdout
    assert filed.reference in text


def test_catalogue_has_no_wcag_21_aa_violation(page):
    catalogue_seed()
    page.goto("/demarches/")

    expect(page.get_by_role("heading", name="Tranquillité publique")).to_be_visible()
    assert_no_axe_violations(page)


def test_filing_form_in_its_error_state_has_no_wcag_21_aa_violation(page, live_server):
    catalogue_seed()
    user = resident(email="erreurs@example.fr")
    login(page, live_server, user.email, PASSWORD)
    page.goto("/demarches/tag/")
    page.get_by_label("Voie").fill("rue de Rivoli")
    page.get_by_label("Description").fill("x" * 5001)
    page.get_by_role("button", name="Envoyer la demande").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Cette adresse n'est pas à Béthune")
    expect(summary).to_contain_text("La description ne peut pas dépasser")
    summary.get_by_role("link", name=re.compile("^Voie")).click()
    expect(page.get_by_label("Voie")).to_be_focused()
    assert Request.objects.count() == 0
    screenshot(page, "form-errors.png")
    assert_no_axe_violations(page)


def test_my_requests_and_the_request_page_have_no_wcag_21_aa_violation(page, live_server):
    from requests_app import services
    from requests_app.models import Service, Street

    catalogue_seed()
    user = resident(email="pages@example.fr", first_name="Inès", last_name="Roger")
    agent_message = "Une équipe de la voirie passe jeudi. Pouvez-vous préciser le côté de la rue ?"
    tag = Service.objects.get(code="tag")
    filed = services.request_submit(
        service=tag,
        requester=user,
        data=services.FilingData(
            description="Grand tag sur la façade de l'école.",
            street=Street.objects.get(name="rue Hoche"),
            street_number="8",
            answers={"support": "Mur de façade", "proprietaire": False},
        ),
    )
    services.request_draft_save(service=tag, requester=user, data=services.FilingData(description="À finir"))
    services.request_transition(
        request=filed,
        to_status=Status.AWAITING_CITIZEN,
        actor=manager(email="responsable-e2e@bethune.fr"),
        message=agent_message,
    )

    login(page, live_server, user.email, PASSWORD)
    page.goto("/mes-demandes/")
    expect(page.get_by_role("heading", name="Brouillons")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name=re.compile(filed.reference)).click()
    expect(page.get_by_text("La Ville attend votre réponse").first).to_be_visible()
    expect(page.get_by_text(agent_message)).to_be_visible()
    screenshot(page, "request-page.png")
    assert_no_axe_violations(page)


def test_filing_form_works_with_the_keyboard_only_and_without_javascript(
    browser, live_server, django_db_serialized_rollback
):
    catalogue_seed()
    user = resident(email="clavier@example.fr")
    context = browser.new_context(
        locale="fr-FR", viewport=MOBILE_VIEWPORT, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        login(page, live_server, user.email, PASSWORD)
        page.goto("/demarches/nid-de-poule/")
        page.get_by_label("Voie").focus()
        page.keyboard.type("rue hoche")  # the datalist works without JavaScript; the match ignores case
        page.keyboard.press("Tab")
        page.keyboard.type("4")
        page.keyboard.press("Tab")
        page.keyboard.type("devant l'arrêt de bus")
        page.keyboard.press("Tab")
        page.keyboard.type("Trou sur la chaussée.")
        page.keyboard.press("Tab")  # the file input
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Envoyer la demande")).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/confirmation/$"))

        expect(page.get_by_role("heading", level=1)).to_have_text("Votre demande est envoyée")
        filed = Request.objects.get(requester=user)
        assert filed.street.name == "rue Hoche" and filed.address_details == "devant l'arrêt de bus"
    finally:
        context.close()


def test_browser_confirm_guards_cancelling(page, live_server):
    """The data-confirm attribute (no inline handler under the CSP) asks before cancelling."""
    from requests_app import services
    from requests_app.models import Service, Street

    catalogue_seed()
    user = resident(email="annule@example.fr")
    filed = services.request_submit(
        service=Service.objects.get(code="nid-de-poule"),
        requester=user,
        data=services.FilingData(street=Street.objects.get(name="rue Hoche")),
    )
    login(page, live_server, user.email, PASSWORD)
    page.goto(f"/mes-demandes/{filed.reference}/")

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Annuler ma demande").click()
    filed.refresh_from_db()
    assert filed.status == Status.NEW

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Annuler ma demande").click()
    expect(page.get_by_text("Votre demande a été annulée.")).to_be_visible()
    filed.refresh_from_db()
    assert filed.status == Status.CANCELLED
