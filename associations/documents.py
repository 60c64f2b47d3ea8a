"""The dossier's PDFs: the summary laid out like the CERFA 12156 sections (kind "confirmation", one per
submitted version), the decision letter (kind "decision", key "lettre") and the convention to sign when the
year's subsidies exceed 23 000 € (kind "decision", key "convention"). Rendered outside any transaction (the
email builders run in the outbox worker), stored once per request × kind × key."""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from associations import budget as budget_rules
from associations.models import DocumentType, Dossier
from portal_kit.pdf import render_pdf
from requests_app.documents import TOWN
from requests_app.models import Document, DocumentKind


def _loaded(dossier_id: int) -> Dossier:
    return (
        Dossier.objects.select_related("association", "campaign", "axis", "request")
        .prefetch_related("quartiers", "payments")
        .get(pk=dossier_id)
    )


def dossier_context(dossier: Dossier) -> dict:
    from associations.services import documents_in_force, year_total

    return {
        "town": TOWN,
        "dossier": dossier,
        "association": dossier.association,
        "request": dossier.request,
        "grid": budget_rules.grid_rows(dossier.budget),
        "hr_rows": [(label, dossier.hr.get(code, {})) for code, label in budget_rules.HR_ROWS],
        "documents": [
            (doc_type.label, documents_in_force(dossier.association).get(doc_type.value))
            for doc_type in DocumentType
        ],
        "quartiers": list(dossier.quartiers.all()),
        "year_total": year_total(dossier.association, dossier.campaign.year),
        "payments": list(dossier.payments.all()),
        "today": timezone.localdate(),
        "euros": budget_rules.euros,
    }


def _ensure(dossier_id: int, *, kind: str, key: str, template: str, filename: str) -> Document:
    dossier = _loaded(dossier_id)
    existing = Document.objects.filter(request_id=dossier.request_id, kind=kind, key=key).first()
    if existing is not None:
        return existing
    pdf = render_pdf(template, dossier_context(dossier))
    document = Document(request=dossier.request, kind=kind, key=key, filename=filename)
    document.file.save(filename, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        document.file.delete(save=False)
        winner = Document.objects.filter(request_id=dossier.request_id, kind=kind, key=key).first()
        if winner is None:
            raise
        return winner
    return document


def summary_ensure(*, dossier_id: int) -> Document:
    dossier = Dossier.objects.select_related("request").get(pk=dossier_id)
    return _ensure(
        dossier_id,
        kind=DocumentKind.CONFIRMATION,
        key=f"v{dossier.version}",
        template="associations/pdf/summary.html",
        filename=f"dossier-{dossier.request.reference}-v{dossier.version}.pdf",
    )


def decision_ensure(*, dossier_id: int) -> Document:
    dossier = Dossier.objects.select_related("request").get(pk=dossier_id)
    return _ensure(
        dossier_id,
        kind=DocumentKind.DECISION,
        key="lettre",
        template="associations/pdf/decision.html",
        filename=f"decision-{dossier.request.reference}.pdf",
    )


def convention_ensure(*, dossier_id: int) -> Document:
    dossier = Dossier.objects.select_related("request").get(pk=dossier_id)
    return _ensure(
        dossier_id,
        kind=DocumentKind.DECISION,
        key="convention",
        template="associations/pdf/convention.html",
        filename=f"convention-{dossier.request.reference}.pdf",
    )
