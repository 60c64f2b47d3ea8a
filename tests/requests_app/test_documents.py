"""The acknowledgement receipt: what it says (read back from the PDF), that it is made once, and that PDF
rendering fetches nothing but our own static files."""

import subprocess

import pytest
from django.utils import formats

from portal_kit.pdf import PdfResourceError, ResourceRefused, StaticOnlyURLFetcher, pdf_from_html
from requests_app.documents import receipt_ensure
from requests_app.links import request_url
from requests_app.models import Channel, Document, DocumentKind, FieldType, Site
from tests.races import errors, race
from tests.requests_app.factories import (
    ServiceFactory,
    ServiceFieldFactory,
    png_upload,
    street,
    submitted_request,
)


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True, timeout=30
    ).stdout.decode()


def squeezed(text: str) -> str:
    """Text without any whitespace: a long URL wraps over lines in the PDF."""
    return "".join(text.split())


@pytest.fixture
def filed(resident_user):
    service = ServiceFactory(name="Dépôt sauvage", sla_days=5)
    ServiceFieldFactory(
        service=service, key="volume", label="Volume estimé", field_type=FieldType.CHOICE, order=1
    )
    ServiceFieldFactory(
        service=service, key="encore", label="Toujours sur place ?", field_type=FieldType.YES_NO, order=2
    )
    return submitted_request(
        service=service,
        requester=resident_user,
        street=street("rue Hoche"),
        street_number="12",
        answers={"volume": "Un coffre de voiture", "encore": True},
        files=[png_upload()],
    )


def test_receipt_shows_reference_service_due_date_and_tracking_url(filed):
    document = receipt_ensure(request_id=filed.pk)

    text = pdf_text(document.file.read())
    assert "Accusé de réception" in text
    assert "Ville de Béthune" in text
    assert "place du 4 Septembre, 62400 Béthune" in text
    assert filed.reference in text
    assert "Dépôt sauvage" in text
    assert "Tranquillité publique" in text
    assert "sous 5 jours ouvrés" in text
    assert formats.date_format(filed.due_date, "j F Y") in text
    assert squeezed(request_url(filed)) in squeezed(text)
    assert "03 21 63 00 00" in text


def test_receipt_sums_up_what_was_filed(filed):
    text = pdf_text(receipt_ensure(request_id=filed.pk).file.read())

    assert "12 rue Hoche, 62400 Béthune" in text
    assert "Volume estimé" in text
    assert "Un coffre de voiture" in text
    assert "Toujours sur place ?" in text
    assert "Oui" in text
    assert "1 fichier joint" in text
    assert "Trois sacs de gravats" in text
    assert "En ligne" in text


def test_receipt_of_a_counter_filing_names_the_site(agent):
    site = Site.objects.get(code="hdv")
    request = submitted_request(channel=Channel.GUICHET, site=site, created_by=agent)

    text = pdf_text(receipt_ensure(request_id=request.pk).file.read())

    assert "Guichet – Hôtel de Ville" in text


def test_receipt_cuts_a_very_long_description(resident_user):
    request = submitted_request(requester=resident_user, description="Gravats. " * 500 + "FIN-DU-TEXTE")

    text = pdf_text(receipt_ensure(request_id=request.pk).file.read())

    assert "FIN-DU-TEXTE" not in text
    assert "…" in text


def test_receipt_is_stored_once_under_a_readable_filename(filed):
    first = receipt_ensure(request_id=filed.pk)
    second = receipt_ensure(request_id=filed.pk)

    assert second.pk == first.pk
    assert first.filename == f"accuse-de-reception-{filed.reference}.pdf"
    assert first.file.read(5) == b"%PDF-"
    assert Document.objects.filter(request=filed, kind=DocumentKind.RECEIPT).count() == 1


def test_receipt_is_rendered_after_the_filing_commits(resident_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = submitted_request(requester=resident_user)

    assert Document.objects.filter(request=request, kind=DocumentKind.RECEIPT, key="").count() == 1


def test_a_draft_has_no_receipt(resident_user):
    from requests_app.services import FilingData, request_draft_save

    draft = request_draft_save(service=ServiceFactory(), requester=resident_user, data=FilingData())

    with pytest.raises(ValueError, match="draft"):
        receipt_ensure(request_id=draft.pk)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/../../etc/passwd",
        "ftp://example.com/x.css",
    ],
)
def test_pdf_url_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(ResourceRefused):
        StaticOnlyURLFetcher().fetch(url)


def test_pdf_url_fetcher_serves_our_stylesheet_and_data_uris(settings):
    fetcher = StaticOnlyURLFetcher()

    stylesheet = fetcher.fetch(f"{settings.SITE_URL}/static/css/pdf.css")
    assert stylesheet.content_type == "text/css"
    assert b"@page" in stylesheet.read()
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"


@pytest.mark.parametrize(
    "html",
    [
        '<img src="http://example.com/tracker.png">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        '<link rel="stylesheet" href="/static/css/does-not-exist.css">',
    ],
)
def test_pdf_rendering_stops_on_a_resource_from_elsewhere(html):
    with pytest.raises(PdfResourceError):
        pdf_from_html(f"<!DOCTYPE html><html lang='fr'><body>{html}<p>Texte</p></body></html>")


def test_pdf_rendering_resolves_relative_static_links():
    pdf = pdf_from_html(
        '<html><head><link rel="stylesheet" href="/static/css/pdf.css"></head><body>A</body></html>'
    )

    assert pdf.startswith(b"%PDF-")


@pytest.mark.postgres
def test_concurrent_receipt_renderings_keep_one_document(
    transactional_db, django_db_serialized_rollback, resident_user, settings
):
    request = submitted_request(requester=resident_user)
    Document.objects.filter(request=request).delete()  # the eager task made one at commit: start afresh
    for path in (settings.MEDIA_ROOT / "documents").rglob("*.pdf"):
        path.unlink()

    outcomes = race(lambda _: receipt_ensure(request_id=request.pk).pk, times=4)

    assert errors(outcomes) == []
    assert len({o.value for o in outcomes}) == 1
    assert Document.objects.filter(request=request, kind=DocumentKind.RECEIPT).count() == 1
    assert len(list((settings.MEDIA_ROOT / "documents").rglob("*.pdf"))) == 1


def test_receipt_is_a_tagged_pdf_in_french_for_screen_readers(filed):
    document = receipt_ensure(request_id=filed.pk)
    info = subprocess.run(
        ["pdfinfo", document.file.path], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    assert "Tagged:          yes" in info
    assert f"Accusé de réception – {filed.reference}" in info  # the document title, read aloud first
