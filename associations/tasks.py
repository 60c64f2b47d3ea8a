"""Celery tasks of the associations app: ids in, one service call, safe to run twice. The invitation and the
expiry warning concern no spine request, so they are sent here with send_mail (enqueued on commit)."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)
TASK_OPTIONS = {"acks_late": True, "soft_time_limit": 60, "time_limit": 90, "max_retries": 3}


@shared_task(name="associations.tasks.invitation_send_task", **TASK_OPTIONS)
def invitation_send_task(invitation_id: int) -> str:
    from associations.models import Invitation
    from associations.services import invitation_token

    invitation = (
        Invitation.objects.select_related("association", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.accepted_at:
        return "skipped"
    url = settings.SITE_URL + reverse("associations:invitation", args=[invitation_token(invitation)])
    body = render_to_string("associations/email/invitation.txt", {"invitation": invitation, "url": url})
    send_mail(
        f"[Ville de Béthune] Invitation à rejoindre {invitation.association.name} sur le portail",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
    )
    return "sent"


@shared_task(name="associations.tasks.document_expiry_send_task", **TASK_OPTIONS)
def document_expiry_send_task(document_id: int) -> str:
    from associations.models import MemberRole, Membership, VaultDocument
    from associations.services import document_expiry_claim

    if not document_expiry_claim(document_id=document_id):
        return "skipped"
    document = VaultDocument.objects.select_related("association").get(pk=document_id)
    recipients = {document.association.email} | set(
        Membership.objects.filter(
            association=document.association, role__in=[MemberRole.PRESIDENT, MemberRole.TREASURER]
        ).values_list("user__email", flat=True)
    )
    url = settings.SITE_URL + reverse("associations:association", args=[document.association_id])
    body = render_to_string("associations/email/document_expiry.txt", {"document": document, "url": url})
    send_mail(
        f"[Ville de Béthune] {document.get_doc_type_display()} : fin de validité le "
        f"{document.valid_until:%d/%m/%Y}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        sorted(recipients),
    )
    return "sent"


@shared_task(name="associations.tasks.documents_expiry_task", **TASK_OPTIONS)
def documents_expiry_task() -> int:
    """Beat, every morning: each document ending within 30 days is announced once (claimed on its row)."""
    from associations.services import documents_expiring

    ids = documents_expiring(today=timezone.localdate())
    for document_id in ids:
        document_expiry_send_task.delay(document_id)
    return len(ids)


@shared_task(name="associations.tasks.report_reminders_task", **TASK_OPTIONS)
def report_reminders_task() -> int:
    """Beat, every morning: compte-rendu financier reminders 30 days before and on the due date."""
    from associations.services import report_reminders

    return report_reminders()
