"""The document vault: each document told once, with its validity date, reused by every dossier."""

import datetime

import filetype
from django.utils import timezone

from accounts.models import User
from associations.models import (
    Association,
    DocumentType,
    VaultDocument,
)
from associations.services.rules import MAX_UPLOAD, REQUIRED_DOCUMENTS, UPLOAD_TYPES
from associations.services.tiers import membership_get
from requests_app.errors import ServiceError


def document_upload(
    *, association: Association, user: User, doc_type: str, upload, valid_until: datetime.date | None
) -> VaultDocument:
    membership_get(association=association, user=user)
    if doc_type not in DocumentType.values:
        raise ServiceError("Choisissez le type de pièce.", field="doc_type", code="required")
    if upload is None:
        raise ServiceError("Choisissez le fichier à déposer.", field="file", code="required")
    if valid_until is None:
        raise ServiceError(
            "Indiquez jusqu'à quand la pièce est valable.", field="valid_until", code="required"
        )
    if valid_until < timezone.localdate():
        raise ServiceError(
            "Cette pièce n'est plus valable : déposez une version à jour.",
            field="valid_until",
            code="expired",
        )
    if upload.size > MAX_UPLOAD:
        raise ServiceError("Le fichier dépasse 10 Mo.", field="file", code="too_big")
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in UPLOAD_TYPES:
        raise ServiceError("Déposez un fichier PDF, JPEG ou PNG.", field="file", code="type")
    document = VaultDocument(
        association=association,
        doc_type=doc_type,
        valid_until=valid_until,
        uploaded_by=user,
        filename=f"{doc_type}.{UPLOAD_TYPES[kind.mime]}",
        content_type=kind.mime,
    )
    document.file.save(document.filename, upload, save=False)
    document.save()
    return document


def documents_in_force(association: Association) -> dict[str, VaultDocument]:
    """The newest document of each type (the vault keeps the older ones)."""
    latest: dict[str, VaultDocument] = {}
    for document in association.documents.order_by("doc_type", "-uploaded_at", "-pk"):
        latest.setdefault(document.doc_type, document)
    return latest


def documents_missing(association: Association, *, on: datetime.date) -> list[str]:
    """Labels of required documents missing or no longer valid on the day."""
    latest = documents_in_force(association)
    missing = []
    for doc_type in REQUIRED_DOCUMENTS:
        document = latest.get(doc_type.value)
        if document is None:
            missing.append(f"{doc_type.label} (manquante)")
        elif document.valid_until < on:
            missing.append(f"{doc_type.label} (expirée le {document.valid_until:%d/%m/%Y})")
    return missing


def documents_expiring(*, today: datetime.date, days: int = 30) -> list[int]:
    return list(
        VaultDocument.objects.filter(
            expiry_notified_at__isnull=True,
            valid_until__lte=today + datetime.timedelta(days=days),
            valid_until__gte=today,
        ).values_list("pk", flat=True)
    )


def document_expiry_claim(*, document_id: int) -> bool:
    """Claim the expiry email of one document (a second beat finds it claimed)."""
    return bool(
        VaultDocument.objects.filter(pk=document_id, expiry_notified_at__isnull=True).update(
            expiry_notified_at=timezone.now()
        )
    )
