"""Generated documents (receipts, convocations…): rendered by a worker, stored, served by permission."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_app.models.request import Request


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("Accusé de réception")
    CONVOCATION = "convocation", _("Convocation")
    CONFIRMATION = "confirmation", _("Confirmation")
    DECISION = "decision", _("Décision")


def document_path(instance: "Document", filename: str) -> str:
    return f"documents/{instance.request_id}/{uuid.uuid4().hex}.pdf"


class Document(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    # Tells apart several documents of one kind (e.g. a convocation per booking); "" for the receipt.
    key = models.CharField(max_length=40, blank=True, default="")
    file = models.FileField(upload_to=document_path, max_length=200)
    filename = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            # Rendering is idempotent: a second worker on the same job finds the row and stops.
            models.UniqueConstraint(fields=["request", "kind", "key"], name="document_once_per_kind_key"),
        ]

    def __str__(self) -> str:
        return self.filename
