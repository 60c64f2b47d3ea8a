"""Filing a request: drafts, submission (reference, due date, receipt, email), filing without an account."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from requests_app.enqueue import receipt_render_after_commit
from requests_app.errors import ServiceError
from requests_app.models import (
    Attachment,
    Channel,
    EventKind,
    ReferenceCounter,
    Request,
    RequestEvent,
    Service,
    Site,
    Status,
    Street,
)
from requests_app.services.outbox import notification_enqueue
from requests_app.uploads import CheckedUpload, uploads_check
from requests_app.workdays import add_working_days


@dataclass
class FilingData:
    """What a filing form (web, guichet, API) collected; validated by the services, not trusted."""

    description: str = ""
    answers: dict = field(default_factory=dict)
    street: Street | None = None
    street_number: str = ""
    address_details: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    files: list[UploadedFile] = field(default_factory=list)
    priority: int | None = None


def reference_next(*, year: int) -> str:
    """Next reference of the year. The counter row is created once (a conflict-ignoring insert), then one
    UPDATE … RETURNING increments it: the row lock it takes lasts until the filing commits, so two
    filings never get the same number, and a rolled-back filing gives its number back unused."""
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year, last=0)], ignore_conflicts=True)
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year])  # noqa: S608
        (number,) = cursor.fetchone()
    return f"BET-{year}-{number:06d}"


def due_date_for(*, service: Service, start: datetime.date) -> datetime.date:
    return add_working_days(start, service.sla_days)


TEXT_LIMITS = (
    ("contact_name", "Le nom"),
    ("contact_email", "L'adresse électronique"),
    ("contact_phone", "Le téléphone"),
    ("street_number", "Le numéro"),
    ("address_details", "Les précisions sur le lieu"),
)


def _check_lengths(data: FilingData) -> None:
    """The columns' lengths, checked for every caller (a form, the guichet, an app, the API): a value too
    long is a French message on its field, never a database error."""
    for name, label in TEXT_LIMITS:
        value = getattr(data, name)
        limit = Request._meta.get_field(name).max_length
        if len(value) > limit:
            raise ServiceError(
                f"{label} : {limit} caractères au plus (vous en avez saisi {len(value)}).",
                field=name,
                code="too_long",
            )


def _validate(*, service: Service, data: FilingData, existing_files: int = 0) -> list[CheckedUpload]:
    if not service.active:
        raise ServiceError("Ce service n'est plus proposé.", code="inactive")
    if len(data.description) > settings.PORTAL_MAX_DESCRIPTION:
        raise ServiceError(
            f"La description ne peut pas dépasser {settings.PORTAL_MAX_DESCRIPTION} caractères "
            f"(elle en compte {len(data.description)}).",
            field="description",
            code="too_long",
        )
    if service.address_required and data.street is None:
        raise ServiceError("Indiquez une adresse à Béthune.", field="street", code="required")
    _check_lengths(data)
    for service_field in service.fields.all():
        if service_field.required and service_field.field_type != "file":
            value = data.answers.get(service_field.key)
            if value in (None, "", []):
                raise ServiceError(
                    f"Ce champ est obligatoire : {service_field.label}.",
                    field=f"extra_{service_field.key}",
                    code="required",
                )
    checked = uploads_check(data.files, already=existing_files)
    if service.attachment_required and not checked and not existing_files:
        raise ServiceError(
            "Une pièce jointe est obligatoire pour cette démarche.", field="files", code="required"
        )
    return checked


def _apply(request: Request, *, service: Service, data: FilingData) -> None:
    request.service = service
    request.espace_id = service.espace_id
    request.description = data.description.strip()
    request.answers = data.answers
    request.street = data.street
    request.street_number = data.street_number.strip()
    request.address_details = data.address_details.strip()
    request.quartier_id = data.street.quartier_id if data.street else None
    request.contact_name = data.contact_name.strip()
    request.contact_email = data.contact_email.strip().lower()
    request.contact_phone = data.contact_phone.strip()
    if data.priority:
        request.priority = data.priority


def _attachments_total_check(request: Request, files: list[CheckedUpload], *, message=None) -> None:
    """PORTAL_MAX_FILES bounds one form; this bounds the request: without it, a resident (or whoever holds
    the tracking link) could add files message after message. It counts what the requester's side sent
    (filing and their replies); the town's own messages and internal notes are neither counted nor
    refused, so an agent can always send the document a resident waits for. Called by every caller with
    the request's row locked (or a row not yet visible to anyone), so two replies at once cannot both
    squeeze under the limit; raising rolls their transaction back before any file is written."""
    if not files or (message is not None and message.from_staff):
        return
    limit = settings.PORTAL_MAX_FILES_PER_REQUEST
    already = (
        Attachment.objects.filter(request=request)
        .filter(Q(message__isnull=True) | Q(message__from_staff=False))
        .count()
        if request.pk
        else 0
    )
    if already + len(files) <= limit:
        return
    room = max(limit - already, 0)
    remaining = f"vous pouvez encore en joindre {room}" if room else "elle n'en accepte plus"
    files_word = "pièces jointes" if already > 1 else "pièce jointe"
    raise ServiceError(
        f"Cette demande a déjà {already} {files_word}, le maximum est de {limit} par demande : {remaining}.",
        field="files",
        code="too_many_total",
    )


def attachments_store(request: Request, files: list[CheckedUpload], *, by: User | None, message=None) -> None:
    _attachments_total_check(request, files, message=message)
    for upload in files:
        attachment = Attachment(
            request=request,
            message=message,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=by,
        )
        attachment.file.save(upload.name, upload.file, save=False)
        attachment.save()


def _snapshot_requester(data: FilingData, requester: User | None) -> None:
    # The contact snapshot: what the agent saw at filing time, and the only identity without an account.
    if requester is not None:
        # An account's full name may be longer than the snapshot's column (two names of 150): cut, not fail.
        data.contact_name = data.contact_name or requester.get_full_name()[:200]
        data.contact_email = data.contact_email or requester.email
        data.contact_phone = data.contact_phone or requester.phone


def _same_form(
    submission_key: uuid.UUID | None, *, requester: User | None, created_by: User | None, email: str = ""
) -> Request | None:
    """The request an earlier post of the same form filed, if any. A key belongs to whoever posted it: a
    key replayed by someone else is refused, never answered with another person's request."""
    if submission_key is None:
        return None
    existing = Request.objects.filter(submission_key=submission_key).first()
    if existing is None:
        return None
    same = (
        existing.requester_id == getattr(requester, "pk", None)
        and existing.created_by_id == getattr(created_by or requester, "pk", None)
        and (
            requester is not None or created_by is not None or existing.contact_email == email.strip().lower()
        )
    )
    if not same:
        raise ServiceError("Ce formulaire a déjà été utilisé : rechargez la page.", code="replayed_form")
    return existing


def _lock_draft(draft: Request, *, requester: User | None) -> Request:
    """The draft row, locked and checked again inside the transaction: two tabs on one draft cannot submit
    it twice, nor turn a submitted request back into a draft."""
    locked = Request.objects.select_for_update(of=("self",)).select_related("service").get(pk=draft.pk)
    if locked.status != Status.DRAFT or locked.requester_id != getattr(requester, "pk", None):
        raise ServiceError("Ce brouillon a déjà été envoyé ou n'existe plus.", code="not_draft")
    return locked


def request_draft_save(
    *, service: Service, requester: User, data: FilingData, draft: Request | None = None
) -> Request:
    """Save (or update) a resident's draft; files are kept with it. Drafts expire after PORTAL_DRAFT_DAYS."""
    if draft is not None and (draft.status != Status.DRAFT or draft.requester_id != requester.pk):
        raise ServiceError("Ce brouillon n'existe plus.", code="not_draft")
    if len(data.description) > settings.PORTAL_MAX_DESCRIPTION:
        raise ServiceError(
            f"La description ne peut pas dépasser {settings.PORTAL_MAX_DESCRIPTION} caractères.",
            field="description",
            code="too_long",
        )
    _check_lengths(data)
    existing = draft.attachments.count() if draft else 0
    checked = uploads_check(data.files, already=existing)
    _snapshot_requester(data, requester)
    with transaction.atomic():
        if draft is not None:
            request = _lock_draft(draft, requester=requester)
        else:
            request = Request(requester=requester, channel=Channel.WEB, status=Status.DRAFT)
        _apply(request, service=service, data=data)
        request.save()
        if draft is None:
            RequestEvent.objects.create(
                request=request,
                actor=requester,
                kind=EventKind.CREATED,
                new_status=Status.DRAFT,
                public=False,
            )
        attachments_store(request, checked, by=requester)
    return request


def _submit_locked(
    request: Request,
    *,
    actor: User | None,
    checked: list[CheckedUpload],
    notify_template: str | None = "submitted",
) -> tuple[Request, RequestEvent]:
    """Turn a saved row into a submitted request, inside the caller's transaction."""
    now = timezone.now()
    request.reference = reference_next(year=timezone.localdate(now).year)
    request.status = Status.NEW
    request.is_open = True
    request.submitted_at = now
    request.due_date = due_date_for(service=request.service, start=timezone.localdate(now))
    request.save()
    attachments_store(request, checked, by=actor)
    event = RequestEvent.objects.create(
        request=request,
        actor=actor,
        kind=EventKind.SUBMITTED,
        old_status=Status.DRAFT,
        new_status=Status.NEW,
        payload={"channel": request.channel, "site": request.site.name if request.site_id else ""},
    )
    receipt_render_after_commit(request.pk)
    if notify_template and request.requester_email:
        notification_enqueue(event=event, template=notify_template, recipient=request.requester_email)
    return request, event


def request_submit(
    *,
    service: Service,
    requester: User | None,
    data: FilingData,
    channel: str = Channel.WEB,
    site: Site | None = None,
    created_by: User | None = None,
    draft: Request | None = None,
    submission_key: uuid.UUID | None = None,
    notify_template: str | None = "submitted",
) -> Request:
    """File a request on any channel. A repeated `submission_key` (the same form posted twice) returns the
    request the first post created instead of filing a second one; the unique constraint settles a race.
    A domain app that sends its own confirmation (a booking's convocation) passes its `notify_template`;
    the receipt PDF is rendered for every submission whatever the template."""
    existing = _same_form(
        submission_key, requester=requester, created_by=created_by, email=data.contact_email
    )
    if existing is not None:
        return existing
    if draft is not None and (
        draft.status != Status.DRAFT or draft.requester_id != getattr(requester, "pk", None)
    ):
        raise ServiceError("Ce brouillon a déjà été envoyé ou n'existe plus.", code="not_draft")
    if requester is None and not (data.contact_name or data.contact_email or data.contact_phone):
        raise ServiceError(
            "Indiquez au moins un nom et un moyen de contacter le demandeur.",
            field="contact_name",
            code="required",
        )
    existing_files = draft.attachments.count() if draft else 0
    checked = _validate(service=service, data=data, existing_files=existing_files)
    _snapshot_requester(data, requester)
    try:
        with transaction.atomic():
            request = (
                _lock_draft(draft, requester=requester) if draft is not None else Request(requester=requester)
            )
            _apply(request, service=service, data=data)
            request.channel = channel
            request.site = site
            request.created_by = created_by or requester
            request.submission_key = submission_key
            # An account's address is verified; an agent at the counter or on the phone vouches for the
            # person in front of them. Only then may the request later join an account with that address.
            if requester is not None or channel != Channel.WEB:
                request.email_confirmed_at = timezone.now()
            request, _event = _submit_locked(
                request, actor=created_by or requester, checked=checked, notify_template=notify_template
            )
            return request
    except IntegrityError:
        existing = _same_form(
            submission_key, requester=requester, created_by=created_by, email=data.contact_email
        )
        if existing is not None:
            return existing
        raise


def request_file_anonymous(
    *, service: Service, data: FilingData, submission_key: uuid.UUID | None = None
) -> Request:
    """A signalement by someone without an account: kept as a draft until the link sent to the email
    address is followed (request_confirm_email), so nobody files in someone else's name."""
    if not service.allow_anonymous:
        raise ServiceError("Connectez-vous pour faire cette demande.", code="account_required")
    if not data.contact_email:
        raise ServiceError("Indiquez votre adresse électronique.", field="contact_email", code="required")
    if not data.contact_name:
        raise ServiceError("Indiquez votre nom.", field="contact_name", code="required")
    existing = _same_form(submission_key, requester=None, created_by=None, email=data.contact_email)
    if existing is not None:
        return existing
    checked = _validate(service=service, data=data)
    try:
        with transaction.atomic():
            request = Request(status=Status.DRAFT, channel=Channel.WEB, submission_key=submission_key)
            _apply(request, service=service, data=data)
            request.save()
            attachments_store(request, checked, by=None)
            event = RequestEvent.objects.create(
                request=request,
                kind=EventKind.CREATED,
                new_status=Status.DRAFT,
                public=False,
                payload={"anonymous": True},
            )
            notification_enqueue(event=event, template="confirm_email", recipient=request.contact_email)
    except IntegrityError:
        existing = _same_form(submission_key, requester=None, created_by=None, email=data.contact_email)
        if existing is None:
            raise
        return existing
    return request


def request_confirm_email(*, request: Request) -> Request:
    """Following the emailed link submits the anonymous request; following it again changes nothing."""
    with transaction.atomic():
        locked = Request.objects.select_for_update(of=("self",)).select_related("service").get(pk=request.pk)
        if locked.status != Status.DRAFT:
            return locked
        if locked.requester_id is not None:
            raise ServiceError("Ce lien n'est pas valable.", code="invalid_link")
        locked.email_confirmed_at = timezone.now()
        request, _event = _submit_locked(locked, actor=None, checked=[])
        return request


def draft_delete(*, draft: Request, requester: User) -> None:
    if draft.status != Status.DRAFT or draft.requester_id != requester.pk:
        raise ServiceError("Ce brouillon n'existe plus.", code="not_draft")
    for attachment in draft.attachments.all():
        attachment.file.delete(save=False)
    draft.delete()


def requests_link_to_user(*, user: User, email: str) -> int:
    """Attach the requests filed without an account under `email` to the account that now owns (and has
    verified) that address, so they appear in "Mes demandes"."""
    with transaction.atomic():
        rows = list(
            Request.objects.select_for_update()
            .filter(requester__isnull=True, contact_email__iexact=email, email_confirmed_at__isnull=False)
            .order_by("pk")
        )
        for request in rows:
            request.requester = user
            request.save(update_fields=["requester", "updated_at"])
            RequestEvent.objects.create(
                request=request, actor=user, kind=EventKind.LINKED, public=False, payload={"email": email}
            )
    return len(rows)
