"""A resident's copy of their data (RGPD, right of access and portability): one ZIP holding `donnees.json`
(the account and every request of theirs, drafts included, with what the requester sees of it: answers,
messages both ways, public events; never internal notes, internal files, nor the agents' names) and their
requests' files under `pieces/<reference>/`. Written into a file object the caller provides (a temporary
file: the archive may be larger than memory should hold); files are copied in chunks."""

import datetime
import json
import shutil
import zipfile
from typing import IO

from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename

from accounts.models import User
from requests_app.models import Attachment, Message, Request, RequestEvent, Status
from requests_app.registry import registry

JSON_NAME = "donnees.json"


def _when(value: datetime.datetime | datetime.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def requests_of(*, user: User) -> QuerySet[Request]:
    """Every request of the account, drafts included, with what the export reads (a fixed number of
    queries whatever their count)."""
    return (
        Request.objects.filter(requester=user)
        .select_related("service", "espace", "street", "quartier", "site")
        .prefetch_related(
            "service__fields",
            Prefetch(
                "messages",
                queryset=Message.objects.filter(internal=False)
                .order_by("created_at", "id")
                .prefetch_related(
                    Prefetch("attachments", queryset=Attachment.objects.filter(internal=False).only("id"))
                ),
            ),
            Prefetch("events", queryset=RequestEvent.objects.filter(public=True).order_by("at", "id")),
            Prefetch(
                "attachments", queryset=Attachment.objects.filter(internal=False).order_by("created_at", "id")
            ),
        )
        .order_by("created_at", "id")
    )


def _folder(request: Request) -> str:
    return request.reference or f"brouillon-{request.pk}"


def _entry_name(request: Request, attachment: Attachment) -> str:
    try:
        name = get_valid_filename(attachment.original_name) or "fichier"
    except SuspiciousFileOperation:
        name = "fichier"
    # The id first: two files of one request may carry the same name.
    return f"pieces/{_folder(request)}/{attachment.pk}-{name}"


def _answers(request: Request) -> list[dict]:
    labels = {field.key: field.label for field in request.service.fields.all()}
    return [
        {"question": str(labels.get(key, key)), "cle": key, "reponse": value}
        for key, value in (request.answers or {}).items()
    ]


def _request_data(request: Request, files: dict[int, str | None]) -> dict:
    return {
        "reference": request.reference,
        "brouillon": request.status == Status.DRAFT,
        "service": request.service.name,
        "espace": request.espace.name,
        "canal": request.get_channel_display(),
        "statut": request.get_status_display(),
        "creee_le": _when(request.created_at),
        "deposee_le": _when(request.submitted_at),
        "modifiee_le": _when(request.updated_at),
        "close_le": _when(request.closed_at),
        "echeance": _when(request.due_date),
        "contact": {
            "nom": request.contact_name,
            "courriel": request.contact_email,
            "telephone": request.contact_phone,
        },
        "adresse": {
            "numero": request.street_number,
            "voie": request.street.name if request.street_id else "",
            "quartier": request.quartier.name if request.quartier_id else "",
            "precisions": request.address_details,
        },
        "lieu_d_accueil": request.site.name if request.site_id else "",
        "description": request.description,
        "reponses": _answers(request),
        "messages": [
            {
                "date": _when(message.created_at),
                "de": "Ville de Béthune" if message.from_staff else "vous",
                "texte": message.body,
                "pieces_jointes": [files.get(a.pk) for a in message.attachments.all() if files.get(a.pk)],
            }
            for message in request.messages.all()
        ],
        "historique": [
            {
                "date": _when(event.at),
                "type": event.kind,
                "libelle": event.resident_kind_label or event.kind_label,
                "ancien_statut": event.get_old_status_display() if event.old_status else "",
                "nouveau_statut": event.get_new_status_display() if event.new_status else "",
            }
            for event in request.events.all()
        ],
        "pieces_jointes": [
            {
                "nom": attachment.original_name,
                "type": attachment.content_type,
                "taille": attachment.size,
                "deposee_le": _when(attachment.created_at),
                "fichier": files.get(attachment.pk),
            }
            for attachment in request.attachments.all()
        ],
    }


def _account_data(user: User) -> dict:
    from allauth.account.models import EmailAddress

    return {
        "courriel": user.email,
        "prenom": user.first_name,
        "nom": user.last_name,
        "telephone": user.phone,
        "inscrit_le": _when(user.date_joined),
        "derniere_connexion": _when(user.last_login),
        "adresses_electroniques": [
            {"adresse": row.email, "verifiee": row.verified, "principale": row.primary}
            for row in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }


def personal_data_zip(*, user: User, into: IO[bytes], now: datetime.datetime | None = None) -> None:
    """Write the account's archive into `into` (left open, positioned at its end)."""
    requests = list(requests_of(user=user))
    files: dict[int, str | None] = {}
    with zipfile.ZipFile(into, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for request in requests:
            for attachment in request.attachments.all():
                name = _entry_name(request, attachment)
                try:
                    with attachment.file.open("rb") as source, archive.open(name, "w") as target:
                        shutil.copyfileobj(source, target, length=1024 * 1024)
                except OSError:
                    files[attachment.pk] = None  # listed in the JSON without its file (missing from storage)
                    continue
                files[attachment.pk] = name
        data = {
            "genere_le": _when(now or timezone.now()),
            "responsable": "Ville de Béthune, Hôtel de Ville, place du 4 Septembre, 62400 Béthune",
            "compte": _account_data(user),
            "demandes": [_request_data(request, files) for request in requests],
            # What each app keeps about the person beside their requests (a booking's details…).
            "applications": {
                name: hooks.export(user)
                for name, hooks in registry.personal_data()
                if hooks.export is not None
            },
        }
        archive.writestr(JSON_NAME, json.dumps(data, ensure_ascii=False, indent=2, default=str))
