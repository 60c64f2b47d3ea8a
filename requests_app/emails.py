"""The emails of the spine, built from an outbox row (requests_app.delivery sends them).

Each notification template has a French subject and a text and an HTML body
(`requests_app/email/<template>.txt|.html`). Every email but the address confirmation links to the page
where the request is followed. The Message-ID is fixed per notification: if a worker dies after the SMTP
server accepted a message but before the row was marked sent, the sweep sends it again, and mail systems
recognise the same message."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation

from portal_kit.mail import templated_email
from requests_app.documents import TOWN, receipt_ensure
from requests_app.links import CONFIRM_MAX_AGE, confirm_url, request_url
from requests_app.models import Message, Notification, Status
from requests_app.registry import registry

SUBJECT_PREFIX = "[Ville de Béthune] "


@dataclass(frozen=True)
class _Kind:
    subject: str  # formatted with the context: {reference}, {service}, {status}
    tracking_link: bool = True


_STATUS_SUBJECTS = {
    Status.IN_PROGRESS: "Votre demande {reference} est en cours de traitement",
    Status.CANCELLED: "Votre demande {reference} est annulée",
    Status.RESOLVED: "Votre demande {reference} a été traitée",
    Status.REJECTED: "Votre demande {reference} a été refusée",
}

KINDS: dict[str, _Kind] = {
    "submitted": _Kind("Demande {reference} bien reçue"),
    "status_changed": _Kind("Votre demande {reference} : {status}"),
    "agent_message": _Kind("Nouveau message sur votre demande {reference}"),
    "info_requested": _Kind("Demande {reference} : des informations vous sont demandées"),
    "closed": _Kind("Votre demande {reference} est close"),
    "confirm_email": _Kind("Confirmez votre signalement « {service} »", tracking_link=False),
}


def message_id(notification: Notification) -> str:
    return f"<notification-{notification.pk}@bethune-portal>"


def _event_message(notification: Notification) -> Message | None:
    """The message written with the event (the agent's words, the closing message), never an internal note."""
    try:
        message = notification.event.message
    except Message.DoesNotExist:
        return None
    return None if message.internal else message


def _subject(template: str, context: dict) -> str:
    subject = KINDS[template].subject
    if template in ("status_changed", "closed"):
        subject = _STATUS_SUBJECTS.get(context["new_status"], subject)
    return SUBJECT_PREFIX + subject.format(
        reference=context["reference"],
        service=context["service"].name,
        status=context["status_label"].lower(),
    )


GREETING_NAME_MAX = 60
# What a mail client would turn into a link, or that reads as one: a scheme, "www.", an address, a domain.
_LINK_LIKE = re.compile(r"://|www\.|@|[^\W_]\.[^\W\d_]{2,}", re.IGNORECASE)


def greeting_name(name: str) -> str:
    """The name after "Bonjour", as typed by whoever filled the form: an anonymous signalement sends this
    email to any address with up to 200 free characters under the town's name. One line (control
    characters and line breaks become spaces), at most GREETING_NAME_MAX characters, and nothing a mail
    client would turn into a link: a name that looks like one is left out ("Bonjour,"). Escaping is the
    templates' (the HTML body autoescapes; the text body is plain text)."""
    name = " ".join("".join(c if c.isprintable() else " " for c in name or "").split())
    if _LINK_LIKE.search(name):
        return ""
    if len(name) > GREETING_NAME_MAX:
        name = name[: GREETING_NAME_MAX - 1].rstrip() + "…"
    return name


def email_context(notification: Notification) -> dict:
    request = notification.request
    kind = KINDS[notification.template]
    new_status = notification.event.new_status or request.status
    message = _event_message(notification)
    return {
        "town": TOWN,
        "notification": notification,
        "request": request,
        "reference": request.reference or "",
        "service": request.service,
        "requester_name": greeting_name(request.requester_name),
        "new_status": new_status,
        "status_label": Status(new_status).label,
        "reopened": bool(notification.event.payload.get("reopened")),
        "message": message.body if message else "",
        "tracking_url": request_url(request) if kind.tracking_link else "",
        "confirm_url": confirm_url(request) if notification.template == "confirm_email" else "",
        "confirm_days": CONFIRM_MAX_AGE // (24 * 3600),
    }


def email_build(notification: Notification) -> EmailMultiAlternatives:
    """The email of an outbox row, ready to send. Raises ValueError for a template it does not know. The
    submission email carries the receipt PDF (rendered now if the receipt task has not run yet)."""
    domain_builder = registry.email_builder(notification.template)
    if domain_builder is not None:
        # A domain app's email ("appointments/booking_confirmed"): built by the app that registered it; the
        # Message-ID is the outbox's, fixed per notification, whoever built the email.
        email = domain_builder(notification)
        email.extra_headers["Message-ID"] = message_id(notification)
        return email
    if notification.template not in KINDS:
        raise ValueError(f"unknown notification template: {notification.template!r}")
    template = notification.template
    with translation.override(settings.LANGUAGE_CODE):
        context = email_context(notification)
        subject = _subject(template, context)
    attachments = []
    if template == "submitted":
        receipt = receipt_ensure(request_id=notification.request_id)
        with receipt.file.open("rb") as pdf:
            attachments.append((receipt.filename, pdf.read(), "application/pdf"))
    email = templated_email(
        templates=f"requests_app/email/{template}",
        subject=subject,
        context=context,
        to=notification.recipient,
        attachments=attachments,
    )
    email.extra_headers["Message-ID"] = message_id(notification)
    return email
