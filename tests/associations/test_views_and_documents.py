"""Pages (members only, instructors only, bad input), PDFs read back with pdftotext, the XLSX export, the
open-data CSV against the SCDL "subventions" field names, the expiry email and the figures."""

import csv
import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse

from associations.documents import convention_ensure, decision_ensure, summary_ensure
from associations.models import Dossier, DossierStatus, VaultDocument
from associations.services import association_create, dossier_decide
from requests_app.registry import registry
from tests.accounts.factories import UserFactory, resident
from tests.associations.conftest import association_data, balanced_budget, filled_dossier, member
from tests.associations.test_services import admissible, granted, submitted

pytestmark = pytest.mark.django_db

SCDL_FIELDS = [
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet", "montant", "nature", "conditionsVersement", "datesPeriodeVersement", "idRAE", "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]  # fmt: skip


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) requis"
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_only_members_see_an_association_and_a_person_in_two_sees_both(client, association, president, now):
    judo_president = UserFactory(email="judo@club.fr")
    judo = association_create(user=judo_president, data=association_data(rna="W623005555", name="Judo club"))
    client.force_login(judo_president)
    assert client.get(reverse("associations:association", args=[association.pk])).status_code == 404
    assert client.get(reverse("associations:association", args=[judo.pk])).status_code == 200
    member(judo, president)
    client.force_login(president)
    for pk in (association.pk, judo.pk):
        assert client.get(reverse("associations:association", args=[pk])).status_code == 200
    page = client.get(reverse("associations:home")).content.decode()
    assert "Judo club" in page and "Les Amis du Mont-Liébaut" in page


def test_a_non_member_gets_404_on_a_dossier_and_a_resident_on_instruction(
    client, catalogue, association, campaign, president, instructor
):
    dossier = submitted(association, campaign, president)
    client.force_login(resident(email="x@y.fr"))
    assert client.get(reverse("associations:dossier", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("associations:dossier_pdf", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("associations:instruction_dossier", args=[dossier.pk])).status_code == 404
    assert client.get(reverse("associations:instruction")).status_code == 404
    client.force_login(instructor)
    assert client.get(reverse("associations:instruction_dossier", args=[dossier.pk])).status_code == 200


def test_an_invalid_siret_in_the_form_shows_the_message_and_saves_nothing(client, now):
    user = UserFactory(email="new@asso.fr")
    client.force_login(user)
    data = {**association_data(siret="12345678901234").__dict__, "conventionnee": ""}
    response = client.post(reverse("associations:association_new"), data)
    assert response.status_code == 200
    assert "Ce numéro SIRET n&#x27;est pas valide" in response.content.decode()


def _post_dossier(client, dossier, campaign, action, **overrides):
    post = {
        "title": dossier.title, "axis": campaign.axes.first().pk, "cash": "on", "objectives": "Aider",
        "public": "Enfants", "starts_on": "2026-09-01", "ends_on": "2027-06-30", "place": "Centre social",
        "indicators": "Suivi", "amount_asked": "5000", "sworn_name": "Claire Vasseur",
        "sworn_quality": "Présidente", "sworn_on": "2026-03-16", "sworn": "on", "action": action,
        **{f"b_{key}": value for key, value in balanced_budget().items()},
    }  # fmt: skip
    post.update(overrides)
    return client.post(reverse("associations:dossier", args=[dossier.pk]), post)


def test_an_unbalanced_budget_posted_is_refused_with_the_difference(
    client, catalogue, association, campaign, president
):
    dossier = filled_dossier(association, campaign, president, title="Projet web")
    client.force_login(president)
    response = _post_dossier(client, dossier, campaign, "submit", b_61="2400")
    assert response.status_code == 400
    assert "le total des produits est inférieur de 400 €" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT and dossier.request_id is None
    assert _post_dossier(client, dossier, campaign, "submit").status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.request.reference


def test_the_summary_pdf_follows_the_cerfa_sections(catalogue, association, campaign, president):
    dossier = submitted(association, campaign, president)
    text = pdf_text(summary_ensure(dossier_id=dossier.pk).file.read())
    for heading in ("IDENTIFICATION DE L'ASSOCIATION", "BUDGET PRÉVISIONNEL", "DÉCLARATION SUR L'HONNEUR"):
        assert heading in text.upper()
    assert "W623001234" in text and dossier.request.reference in text and "Commune de Béthune" in text


def test_the_decision_letter_holds_the_amount_and_the_convention_is_generated_above_23000(
    catalogue, association, campaign, president, instructor, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = admissible(submitted(association, campaign, president, town=24000), instructor)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_decide(dossier=dossier, agent=instructor, outcome="granted", amount="24000",
                       deliberation_number="2026-DL-45", deliberation_on=datetime.date(2026, 6, 20),
                       confirm_over_envelope=True, instalments=True)  # fmt: skip
    text = pdf_text(decision_ensure(dossier_id=dossier.pk).file.read())
    assert "24000 €" in text and "2026-DL-45" in text and "convention" in text
    convention = pdf_text(convention_ensure(dossier_id=dossier.pk).file.read())
    assert "Convention" in convention and "Les Amis du Mont-Liébaut" in convention
    decision_mail = [m for m in mailoutbox if "Décision" in m.subject]
    assert decision_mail
    names = [name for name, *_rest in decision_mail[0].attachments]
    assert any(n.startswith("decision-") for n in names) and any(n.startswith("convention-") for n in names)


def test_the_open_data_csv_uses_the_scdl_field_names(client, catalogue, association, campaign, president,
                                                     instructor):  # fmt: skip
    granted(association, campaign, president, instructor)
    response = client.get(reverse("associations:open_data_csv", args=[2026]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0].keys()) == SCDL_FIELDS
    assert rows[0]["montant"] == "5000.00" and rows[0]["nomAttribuant"] == "Commune de Béthune"
    assert rows[0]["idBeneficiaire"] == association.siret and rows[0]["rnaBeneficiaire"] == "W623001234"
    assert rows[0]["conditionsVersement"] == "échelonné"
    assert client.get(reverse("associations:open_data", args=[2026])).status_code == 200


def test_the_commission_export_neutralises_formulas(client, catalogue, president, campaign, instructor, now):
    from openpyxl import load_workbook

    from tests.associations.conftest import upload_all

    association = association_create(user=president, data=association_data(name='=HYPERLINK("x")'))
    upload_all(association, president)
    submitted(association, campaign, president)
    client.force_login(instructor)
    response = client.get(reverse("associations:instruction_export", args=[campaign.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == '\'=HYPERLINK("x")'
    assert sheet.cell(row=2, column=7).value == 5000


def test_the_commission_page_decides_checked_dossiers(client, catalogue, association, campaign, president,
                                                      instructor):  # fmt: skip
    one = admissible(submitted(association, campaign, president, title="A"), instructor, 5000)
    client.force_login(instructor)
    url = reverse("associations:instruction_campaign", args=[campaign.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Cohésion sociale" in page.content.decode()
    response = client.post(url, {"dossiers": [one.pk], "deliberation_number": "12",
                                  "deliberation_on": "2026-06-20"})  # fmt: skip
    assert response.status_code == 302
    assert Dossier.objects.get(pk=one.pk).status == DossierStatus.GRANTED


def test_a_document_expiring_in_30_days_is_announced_once(association, now, mailoutbox):
    from associations.tasks import documents_expiry_task

    VaultDocument.objects.filter(doc_type="assurance").update(valid_until=datetime.date(2026, 4, 10))
    assert documents_expiry_task() == 1
    assert documents_expiry_task() == 0
    assert "Attestation d'assurance" in mailoutbox[-1].subject
    assert "presidente@asso.fr" in mailoutbox[-1].to


def test_the_figures_are_declared_through_the_registry(
    catalogue, association, campaign, president, instructor
):
    granted(association, campaign, president, instructor)
    figures = {figure.code: figure for figure in registry.figures()}
    rows = figures["associations.per_axis"].compute(
        start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )
    first = next(row for row in rows if row["axis"] == "Cohésion sociale")
    assert first["granted"] == 5000 and first["associations"] == 1 and first["qpv_share"] == 1
    assert figures["associations.reports_overdue"].compute() == 0
