"""The associations emails. Those about a dossier go through the spine's outbox (builders registered in
registration.py); the invitation and the document-expiry warning concern no request and are sent by a
Celery task after commit (tasks.py) with Django's send_mail."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from associations import budget as budget_rules
from associations.models import Dossier
from portal_kit.mail import templated_email
from requests_app.documents import TOWN
from requests_app.links import request_url
from requests_app.models import Notification

SUBJECT_PREFIX = "[Ville de Béthune] "
SUBJECTS = {
    "dossier_submitted": "Demande de subvention déposée ({reference})",
    "corrections_asked": "Demande de subvention : corrections demandées ({reference})",
    "decision": "Décision sur votre demande de subvention ({reference})",
    "report_reminder": "Compte-rendu financier à rendre ({reference})",
    "report_more": "Compte-rendu financier : compléments demandés ({reference})",
}


def email_build(notification: Notification, name: str) -> EmailMultiAlternatives:
    from associations.documents import convention_ensure, decision_ensure, summary_ensure

    dossier = Dossier.objects.select_related("association", "campaign", "request", "report").get(
        request_id=notification.request_id
    )
    context = {
        "town": TOWN,
        "name": name,
        "dossier": dossier,
        "reference": dossier.request.reference,
        "requester_name": dossier.request.requester_name,
        "tracking_url": request_url(dossier.request),
        "site_url": settings.SITE_URL,
        "amount": budget_rules.euros(dossier.granted_amount or 0),
        "asked": budget_rules.euros(dossier.amount_asked),
        **(notification.context or {}),
    }
    subject = SUBJECT_PREFIX + SUBJECTS[name].format(reference=context["reference"])
    documents = []
    if name == "dossier_submitted":
        documents.append(summary_ensure(dossier_id=dossier.pk))
    if name == "decision":
        documents.append(decision_ensure(dossier_id=dossier.pk))
        if dossier.convention_required and dossier.granted_amount:
            documents.append(convention_ensure(dossier_id=dossier.pk))
    attachments = []
    for document in documents:
        with document.file.open("rb") as pdf:
            attachments.append((document.filename, pdf.read(), "application/pdf"))
    # The Message-ID is the outbox's (requests_app.emails sets it on every app's email).
    return templated_email(
        templates="associations/email/message",
        subject=subject,
        context=context,
        to=notification.recipient,
        attachments=attachments,
    )
