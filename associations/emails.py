"""The associations emails. Those about a dossier go through the spine's outbox (builders registered in
registration.py); the invitation and the document-expiry warning concern no request and are sent by a
Celery task after commit (tasks.py) with Django's send_mail."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from associations import budget as budget_rules
from associations.models import Dossier
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
    with translation.override(settings.LANGUAGE_CODE):
        subject = SUBJECT_PREFIX + SUBJECTS[name].format(reference=context["reference"])
        text = render_to_string("associations/email/message.txt", context)
        html = render_to_string("associations/email/message.html", {**context, "subject": subject})
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={
            "Auto-Submitted": "auto-generated",
            "Message-ID": f"<notification-{notification.pk}@bethune-portal>",
        },
    )
    email.attach_alternative(html, "text/html")
    attachments = []
    if name == "dossier_submitted":
        attachments.append(summary_ensure(dossier_id=dossier.pk))
    if name == "decision":
        attachments.append(decision_ensure(dossier_id=dossier.pk))
        if dossier.convention_required and dossier.granted_amount:
            attachments.append(convention_ensure(dossier_id=dossier.pk))
    for document in attachments:
        with document.file.open("rb") as pdf:
            email.attach(document.filename, pdf.read(), "application/pdf")
    return email
