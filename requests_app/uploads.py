"""What residents and agents may upload: photos and PDFs, judged by their content, not their name."""

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from requests_app.errors import ServiceError

# Sniffed MIME type → the name endings it may carry. SVG and HTML are refused whatever their name:
# they can carry scripts that would run in an agent's browser.
ALLOWED = {
    "image/jpeg": {"jpg", "jpeg", "jfif"},
    "image/png": {"png"},
    "image/webp": {"webp"},
    "image/gif": {"gif"},
    "image/heic": {"heic", "heif"},
    "application/pdf": {"pdf"},
}
ACCEPT_ATTRIBUTE = ",".join(sorted({f".{ext}" for exts in ALLOWED.values() for ext in exts}))


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    name: str
    content_type: str
    size: int


def upload_check(upload: UploadedFile, *, field: str = "files") -> CheckedUpload:
    name = (upload.name or "fichier").rsplit("/", 1)[-1][:200]
    if upload.size > settings.PORTAL_MAX_UPLOAD_BYTES:
        raise ServiceError(
            f"« {name} » pèse {filesizeformat(upload.size)} : la taille maximale est de "
            f"{filesizeformat(settings.PORTAL_MAX_UPLOAD_BYTES)}.",
            field=field,
            code="too_big",
        )
    if upload.size == 0:
        raise ServiceError(f"« {name} » est vide.", field=field, code="empty")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind is None or kind.mime not in ALLOWED:
        raise ServiceError(
            f"« {name} » n'est pas accepté : seuls les photos (JPEG, PNG, WebP, GIF, HEIC) "
            "et les documents PDF "
            "le sont.",
            field=field,
            code="type",
        )
    if extension not in ALLOWED[kind.mime]:
        raise ServiceError(
            f"Le contenu de « {name} » ne correspond pas à son nom "
            f"(c'est un fichier {kind.extension.upper()}). "
            "Renommez-le ou choisissez un autre fichier.",
            field=field,
            code="mismatch",
        )
    return CheckedUpload(file=upload, name=name, content_type=kind.mime, size=upload.size)


def uploads_check(
    uploads: list[UploadedFile], *, already: int = 0, field: str = "files"
) -> list[CheckedUpload]:
    if len(uploads) + already > settings.PORTAL_MAX_FILES:
        raise ServiceError(
            f"Vous pouvez joindre au plus {settings.PORTAL_MAX_FILES} fichiers à une demande.",
            field=field,
            code="too_many",
        )
    return [upload_check(upload, field=field) for upload in uploads]
