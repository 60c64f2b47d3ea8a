"""In Chromium, the whole life of a subsidy dossier: a president declares the association, deposits its
documents, invites the treasurer (who accepts), fills and submits a dossier; an instructor asks for a
correction, the president resubmits, the instructor finds it admissible and proposes an amount, the
commission grants it, and the decision letter's text (read back with pdftotext) holds the amount. axe
checks every page on the way."""

import datetime
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from associations.models import Association, DocumentType, Dossier, DossierStatus, Invitation, Membership
from associations.services import association_create, campaign_create, dossier_create, invitation_token
from requests_app.catalogue_seed import catalogue_seed
from tests.accounts.factories import PASSWORD, UserFactory, agent_of, resident
from tests.associations.conftest import association_data
from tests.browser import login
from tests.e2e.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BUDGET = {"60": "3000", "61": "2000", "64": "4500", "86": "800", "70": "1000", "74_etat": "4000",
          "74_commune": "4500", "87": "800"}  # fmt: skip


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) requis"
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def field(page, label: str):
    """A field by the start of its label (a required field's label ends with "(obligatoire)")."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \(obligatoire\))?$"))


def as_user(page, live_server, user) -> None:
    page.context.clear_cookies()
    login(page, live_server, user.email, PASSWORD)


def test_president_to_commission_and_the_decision_letter(page, live_server, tmp_path):
    catalogue_seed()
    today = timezone.localdate()
    campaign = campaign_create(
        year=today.year,
        title=f"Appel à projets {today.year}",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
        axes=[("Cohésion sociale", Decimal(20000)), ("Cadre de vie", Decimal(10000))],
    )
    president = UserFactory(
        email="presidente@asso.fr", first_name="Claire", last_name="Vasseur", roles=[roles.ASSOCIATION_MEMBER]
    )
    treasurer = resident(email="tresorier@asso.fr", first_name="Marc", last_name="Dubois")
    instructor = agent_of("vielocale", email="instructeur@bethune.fr", first_name="Paul", last_name="Leroy")
    piece = tmp_path / "piece.pdf"
    piece.write_bytes(PDF)
    base = live_server.url
    page.set_default_timeout(5000)

    # The president declares the association.
    login(page, live_server, president.email, PASSWORD)
    page.goto(f"{base}/associations/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Déclarer une association").click()
    assert_no_axe_violations(page)
    field(page, "Nom de l'association").fill("Les Amis du Mont-Liébaut")
    field(page, "Numéro RNA").fill("W623001234")
    field(page, "SIRET").fill("73282932000074")
    field(page, "Adresse du siège").fill("rue de Lille, 62400 Béthune")
    field(page, "Objet").fill("Animation de quartier")
    field(page, "Adresse électronique").fill("contact@amis.example.fr")
    field(page, "IBAN").fill("FR7630006000011234567890189")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/associations/*/")
    association = Association.objects.get()
    assert "déposez maintenant ses pièces" in page.content()
    assert_no_axe_violations(page)

    # Its documents, told once.
    valid_until = (today + datetime.timedelta(days=300)).isoformat()
    for doc_type in DocumentType:
        field(page, "Pièce").select_option(doc_type.value)
        field(page, "Fichier (PDF, JPEG ou PNG, 10 Mo au plus)").set_input_files(str(piece))
        field(page, "Valable jusqu'au").fill(valid_until)
        page.get_by_role("button", name="Déposer", exact=True).click()
        page.wait_for_load_state()
        assert "Pièce déposée." in page.content(), doc_type
    assert association.documents.count() == len(DocumentType)
    assert_no_axe_violations(page)

    # The treasurer is invited, and accepts.
    field(page, "Adresse électronique de la personne invitée").fill(treasurer.email)
    field(page, "Rôle").select_option("tresorier")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert f"Invitation envoyée à {treasurer.email}" in page.content()
    invitation = Invitation.objects.get()
    as_user(page, live_server, treasurer)
    page.goto(f"{base}/associations/invitation/{invitation_token(invitation)}/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Accepter l'invitation").click()
    assert "Vous êtes membre de Les Amis du Mont-Liébaut" in page.content()
    assert Membership.objects.filter(association=association, user=treasurer, role="tresorier").exists()
    assert_no_axe_violations(page)

    # The president fills and submits a dossier.
    as_user(page, live_server, president)
    page.goto(f"{base}/associations/{association.pk}/")
    field(page, "Intitulé du projet").fill("Soutien scolaire")
    page.get_by_role("button", name="Commencer le dossier").click()
    page.wait_for_url("**/associations/dossiers/*/")
    dossier = Dossier.objects.get()
    assert_no_axe_violations(page)
    page.get_by_label("Subvention en numéraire").check()
    field(page, "Axe de la campagne").select_option(label="Cohésion sociale")
    field(page, "Objectifs").fill("Aider 40 enfants")
    # Saved as it is typed (htmx posts the form after a 2-second pause): the status says when.
    expect(page.locator("#brouillon-etat")).to_contain_text("Brouillon enregistré à", timeout=10000)
    dossier.refresh_from_db()
    assert dossier.objectives == "Aider 40 enfants"
    field(page, "Public bénéficiaire").fill("Enfants du quartier")
    field(page, "Date de début").fill((today + datetime.timedelta(days=60)).isoformat())
    field(page, "Date de fin").fill((today + datetime.timedelta(days=300)).isoformat())
    field(page, "Lieu de réalisation").fill("Centre social")
    field(page, "Indicateurs d'évaluation").fill("Nombre d'enfants suivis")
    page.locator("#hr_benevoles_count").fill("6")
    for code, amount in BUDGET.items():
        page.locator(f"#b_{code}").fill(amount)
    page.locator("#amount_asked").fill("4500")
    field(page, "Nom du représentant légal").fill("Claire Vasseur")
    field(page, "Qualité").fill("Présidente")
    page.locator("#sworn_on").fill(today.isoformat())
    page.locator("#sworn").check()
    page.get_by_role("button", name="Déposer le dossier").click()
    assert "Dossier déposé" in page.content(), page.locator("#erreur").all_inner_texts()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.reference
    assert_no_axe_violations(page)

    # The instructor asks for a correction.
    as_user(page, live_server, instructor)
    page.goto(f"{base}/associations/instruction/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=campaign.title, exact=True).click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=dossier.reference).click()
    assert_no_axe_violations(page)
    field(page, "Corrections demandées à l'association").fill("Précisez le lieu exact des séances.")
    page.get_by_role("button", name="Envoyer à l'association").click()
    assert "Enregistré." in page.content()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.CORRECTIONS

    # The president corrects and resubmits.
    as_user(page, live_server, president)
    page.goto(f"{base}/associations/dossiers/{dossier.pk}/")
    assert "demande des corrections" in page.content()
    assert_no_axe_violations(page)
    field(page, "Lieu de réalisation").fill("Centre social Jacques-Prévert, salle 2")
    page.get_by_role("button", name="Déposer le dossier corrigé").click()
    assert "Dossier déposé" in page.content(), page.locator("#erreur").all_inner_texts()
    assert "Centre social Jacques-Prévert, salle 2" in page.content()  # the diff between the two versions
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert_no_axe_violations(page)

    # The instructor: admissible, an opinion and a proposed amount; the commission grants.
    as_user(page, live_server, instructor)
    page.goto(f"{base}/associations/instruction/dossier/{dossier.pk}/")
    page.get_by_label("Recevable", exact=True).check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    assert "Enregistré." in page.content()
    assert_no_axe_violations(page)
    field(page, "Avis de l'instructeur").fill("Projet solide, public prioritaire.")
    field(page, "Montant proposé (€, entier)").fill("4500")
    page.get_by_role("button", name="Enregistrer l'avis").click()
    assert "Enregistré." in page.content()
    page.get_by_role("link", name="Retour à la campagne").click()
    page.get_by_label("Décider « Soutien scolaire » en commission").check()
    field(page, "Numéro de délibération").fill("DEL-2026-042")
    field(page, "Date de la délibération").fill(today.isoformat())
    page.get_by_role("button", name="Décider les dossiers cochés").click()
    assert "1 dossiers décidés en commission." in page.content()
    assert_no_axe_violations(page)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.GRANTED and dossier.granted_amount == 4500

    page.goto(f"{base}/associations/instruction/dossier/{dossier.pk}/")
    assert_no_axe_violations(page)
    letter = page.request.get(page.get_by_role("link", name="Lettre de décision").get_attribute("href"))
    text = pdf_text(letter.body())
    assert "DEL-2026-042" in text and "Les Amis du Mont-Liébaut" in text
    assert "subvention de 4500 €" in text.replace("\u202f", "").replace("\xa0", "").replace(" 500", "500")

    # The president sees the grant and the payment schedule.
    as_user(page, live_server, president)
    page.goto(f"{base}/associations/dossiers/{dossier.pk}/")
    assert "Échéancier des versements" in page.content()
    assert_no_axe_violations(page)


def test_without_javascript_the_draft_button_saves_and_the_form_submits(page, live_server):
    """The same form in a browser with JavaScript off (no htmx): "Enregistrer le brouillon" saves through
    the ordinary POST and the page says so."""
    catalogue_seed()
    today = timezone.localdate()
    campaign = campaign_create(
        year=today.year,
        title=f"Appel à projets {today.year}",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
        axes=[("Cohésion sociale", Decimal(20000))],
    )
    president = UserFactory(email="presidente@asso.fr", roles=[roles.ASSOCIATION_MEMBER])
    association = association_create(user=president, data=association_data())
    dossier = dossier_create(association=association, campaign=campaign, user=president, title="Atelier vélo")
    context = page.context.browser.new_context(
        locale="fr-FR", java_script_enabled=False, base_url=live_server.url
    )
    try:
        plain = context.new_page()
        plain.set_default_timeout(5000)
        login(plain, live_server, president.email, PASSWORD)
        plain.goto(f"{live_server.url}/associations/dossiers/{dossier.pk}/")
        field(plain, "Objectifs").fill("Réparer 200 vélos")
        plain.locator("#b_60").fill("1500")
        plain.get_by_role("button", name="Enregistrer le brouillon").click()
        assert "Brouillon enregistré." in plain.content()
        assert plain.locator("#brouillon-etat").inner_text() == ""  # htmx never ran
    finally:
        context.close()
    dossier.refresh_from_db()
    assert dossier.objectives == "Réparer 200 vélos" and dossier.budget["60"] == 1500
