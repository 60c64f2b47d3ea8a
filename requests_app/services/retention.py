"""Retention of personal data (RGPD): a closed request's personal data anonymised PORTAL_RETENTION
["closed_request_years"] after its closure (beat, nightly, with the draft purge), and a resident's account
deleted on their own request (anonymised, their requests kept and anonymised at once).

What is personal, and goes: the contact snapshot (name, email, phone), the link to the requester's account
(and `created_by` when it is the requester), the street number and the details of the place, the
description, the answers to the service's questions, every message body (internal notes too: they speak of
the person), the requester's authorship of messages and events, the email kept by a "linked" event, the
attachments and generated documents (rows and files), the outbox rows (recipient address and context) and
the tracking key (a tracking link stops working). What stays, so that statistics remain exact: the
reference, service, espace, site, channel, status, priority, street and quartier, the dates, the due date,
the assignee and the agents' side of the timeline. An `anonymised` event (not shown to the requester)
records when and why.

Like drafts.py, this module imports nothing that enqueues tasks: the nightly task imports it. Files are
deleted from storage after the transaction commits (a rollback keeps rows and files together)."""

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from requests_app.errors import ServiceError
from requests_app.models import (
    Attachment,
    Document,
    EventKind,
    Message,
    Notification,
    Request,
    RequestEvent,
    Status,
)
from requests_app.models.request import CLOSED_STATUSES, OPEN_STATUSES
from requests_app.registry import registry

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# The domain used in the placeholder address of a deleted account: .invalid is reserved (RFC 2606), so no
# mail can ever reach anyone through it.
DELETED_EMAIL_DOMAIN = "compte-supprime.invalid"


@dataclass(frozen=True)
class _StoredFile:
    storage: Storage
    name: str


def _years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February in a year that has none
        return moment.replace(year=moment.year - years, day=28)


def retention_cutoff(*, now: datetime.datetime | None = None) -> datetime.datetime:
    """Requests closed before this moment have had their personal data anonymised (or will, tonight)."""
    return _years_before(now or timezone.now(), settings.PORTAL_RETENTION["closed_request_years"])


def _already_anonymised(request_id: int) -> bool:
    return RequestEvent.objects.filter(request_id=request_id, kind=EventKind.ANONYMISED).exists()


def _anonymise_locked(request: Request, *, reason: str) -> list[_StoredFile]:
    """Anonymise one request whose row the caller holds locked, inside its transaction; return the files to
    delete once it commits."""
    requester_id = request.requester_id
    files: list[_StoredFile] = []
    for attachment in Attachment.objects.filter(request=request).only("file"):
        if attachment.file.name:
            files.append(_StoredFile(attachment.file.storage, attachment.file.name))
    for document in Document.objects.filter(request=request).only("file"):
        if document.file.name:
            files.append(_StoredFile(document.file.storage, document.file.name))
    attachments_count = Attachment.objects.filter(request=request).delete()[0]
    Document.objects.filter(request=request).delete()
    Notification.objects.filter(request=request).delete()
    Message.objects.filter(request=request).update(body="")
    if requester_id is not None:
        Message.objects.filter(request=request, author_id=requester_id).update(author=None)
        RequestEvent.objects.filter(request=request, actor_id=requester_id).update(actor=None)
    # The only event payload of the spine that names the person: the address the request was linked by.
    RequestEvent.objects.filter(request=request, kind=EventKind.LINKED).update(payload={})

    request.contact_name = ""
    request.contact_email = ""
    request.contact_phone = ""
    if request.created_by_id is not None and request.created_by_id == requester_id:
        request.created_by = None
    request.requester = None
    request.street_number = ""
    request.address_details = ""
    request.description = ""
    request.answers = {}
    request.tracking_key = uuid.uuid4()  # revokes any tracking link still in a mailbox
    request.save(
        update_fields=[
            "contact_name",
            "contact_email",
            "contact_phone",
            "created_by",
            "requester",
            "street_number",
            "address_details",
            "description",
            "answers",
            "tracking_key",
            "updated_at",
        ]
    )
    owner_hooks = registry.personal_data_of_kind(request.service.kind)
    if owner_hooks is not None and owner_hooks.anonymise is not None:
        owner_hooks.anonymise(request)  # the owning app's own records of it (a booking's partners…)
    RequestEvent.objects.create(
        request=request,
        actor=None,
        kind=EventKind.ANONYMISED,
        public=False,
        payload={"reason": reason, "attachments": attachments_count},
    )
    return files


def _files_delete(files: list[_StoredFile]) -> None:
    for stored in files:
        try:
            stored.storage.delete(stored.name)
        except OSError:
            # The rows are gone already; a file left behind is logged for the administrators to remove.
            logger.warning("retention: could not delete file %s", stored.name, exc_info=True)


def _anonymise_if_expired(request_id: int, *, cutoff: datetime.datetime) -> bool:
    with transaction.atomic():
        locked = (
            Request.objects.select_for_update(of=("self",))
            .filter(
                pk=request_id,
                status__in=CLOSED_STATUSES,
                closed_at__lt=cutoff,
            )
            .first()
        )
        # Re-checked under the lock: reopened, or anonymised by another run, since the batch was read.
        if locked is None or _already_anonymised(locked.pk):
            return False
        files = _anonymise_locked(locked, reason="retention")
    _files_delete(files)
    return True


def requests_anonymise_expired(*, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Anonymise the requests closed more than PORTAL_RETENTION["closed_request_years"] ago (beat, nightly).
    Read in batches of ids (keyset, by primary key), each request in its own short transaction; safe to run
    twice or concurrently: a request already anonymised is skipped. Returns how many were anonymised."""
    cutoff = retention_cutoff(now=now)
    candidates = (
        Request.objects.filter(status__in=CLOSED_STATUSES, closed_at__lt=cutoff)
        .exclude(Exists(RequestEvent.objects.filter(request=OuterRef("pk"), kind=EventKind.ANONYMISED)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    last = 0
    while True:
        batch = list(candidates.filter(pk__gt=last)[:batch_size])
        if not batch:
            return count
        for request_id in batch:
            count += _anonymise_if_expired(request_id, cutoff=cutoff)
        last = batch[-1]


# --- Deleting one's account ---------------------------------------------------------------------------------


def account_deletion_blockers(*, user: User) -> list[Request]:
    """Open requests of a kind a domain app owns (a booking): the spine cannot cancel them without the app
    (its seat would stay taken), so the resident cancels them on the app's page first."""
    owned = list(registry.owned_kinds())
    if not owned:
        return []
    return list(
        Request.objects.filter(requester=user, status__in=OPEN_STATUSES, service__kind__in=owned)
        .select_related("service")
        .order_by("pk")
    )


def account_may_delete(*, user: User) -> bool:
    """Staff accounts are closed by an administrator (they carry the town's work, not a resident's data)."""
    return not (user.is_staff or user.is_superuser or user.is_agent)


def account_delete(*, user: User) -> int:
    """A resident deletes their account: their open requests are cancelled by their own action, their drafts
    deleted, every request of theirs kept and anonymised at once (as in requests_anonymise_expired); the
    account is deactivated and anonymised (placeholder email, names and phone blanked, unusable password,
    email addresses and second factors deleted). One transaction: all of it or none. Returns the number of
    requests anonymised. The caller checks the password and signs the person out."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from accounts.models import SignInEvent

    if not account_may_delete(user=user):
        raise ServiceError(
            "Un compte d'agent ne se supprime pas ici : un administrateur s'en charge.", code="staff"
        )
    blockers = account_deletion_blockers(user=user)
    if blockers:
        raise ServiceError(
            "Annulez d'abord vos rendez-vous en cours : " + ", ".join(r.reference for r in blockers) + ".",
            code="owned_open",
        )
    files: list[_StoredFile] = []
    count = 0
    with transaction.atomic():
        # Locks the account: a filing of the same person in another tab waits, then finds it inactive.
        User.objects.select_for_update().filter(pk=user.pk).first()
        now = timezone.now()
        for draft in Request.objects.filter(requester=user, status=Status.DRAFT).order_by("pk"):
            for attachment in Attachment.objects.filter(request=draft).only("file"):
                if attachment.file.name:
                    files.append(_StoredFile(attachment.file.storage, attachment.file.name))
            draft.delete()
        ids = list(
            Request.objects.filter(requester=user)
            .exclude(status=Status.DRAFT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for request_id in ids:
            locked = Request.objects.select_for_update(of=("self",)).get(pk=request_id)
            if locked.status in OPEN_STATUSES:
                old = locked.status
                locked.status = Status.CANCELLED
                locked.is_open = False
                locked.closed_at = now
                locked.save(update_fields=["status", "is_open", "closed_at", "updated_at"])
                RequestEvent.objects.create(
                    request=locked,
                    actor=user,
                    kind=EventKind.STATUS,
                    old_status=old,
                    new_status=Status.CANCELLED,
                    payload={"by_requester": True, "account_deleted": True},
                )
            if not _already_anonymised(locked.pk):
                files += _anonymise_locked(locked, reason="account_deleted")
                count += 1
        # The sign-in log keeps that sign-ins happened, not by whom nor from where.
        SignInEvent.objects.filter(Q(user=user) | Q(email__iexact=user.email)).update(email="", ip="")
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user.email = f"supprime-{user.pk}-{uuid.uuid4().hex[:12]}@{DELETED_EMAIL_DOMAIN}"
        user.first_name = ""
        user.last_name = ""
        user.phone = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    _files_delete(files)
    logger.info("retention: account %s deleted, %s requests anonymised", user.pk, count)
    return count
