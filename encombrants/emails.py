"""The pickup emails, all through the spine's outbox (builders registered in AppConfig.ready(), claimed
once, retried, swept): confirmation and amendment (with the PDF confirmation and an .ics), the reminders
3 days and 1 day before, and the crew's outcome. French subject, text and HTML bodies."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation

from encombrants.days import cutoff_display, cutoff_for, day_display
from encombrants.documents import confirmation_ensure, pickup_ics
from encombrants.links import manage_url
from encombrants.models import Config, Pickup
from encombrants.services import GUICHET_PHONE
from portal_kit.mail import templated_email
from requests_app.documents import TOWN
from requests_app.links import request_url
from requests_app.models import Notification

SUBJECT_PREFIX = "[Ville de Béthune] "
SUBJECTS = {
    "confirmed": "Enlèvement d'encombrants confirmé le {day} ({reference})",
    "amended": "Enlèvement d'encombrants modifié : {day} ({reference})",
    "reminder": "Rappel : enlèvement de vos encombrants le {day} ({reference})",
    "outcome": "Enlèvement de vos encombrants du {day} ({reference})",
}
WITH_CONFIRMATION = {"confirmed", "amended"}


def _context(pickup: Pickup, extra: dict | None = None) -> dict:
    return {
        "town": TOWN,
        "pickup": pickup,
        "request": pickup.request,
        "reference": pickup.request.reference,
        "requester_name": pickup.request.requester_name,
        "day": day_display(pickup.day),
        "lines": list(pickup.lines.select_related("item")),
        "manage_url": manage_url(pickup),
        "tracking_url": request_url(pickup.request),
        "cutoff": cutoff_display(cutoff_for(pickup.day, Config.current())),
        "phone": GUICHET_PHONE,
        **(extra or {}),
    }


def pickup_email(
    pickup: Pickup, name: str, *, to: str, extra: dict | None = None, headers: dict | None = None
) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(pickup, extra)
        subject = SUBJECT_PREFIX + SUBJECTS[name].format(day=context["day"], reference=context["reference"])
    attachments = []
    if name in WITH_CONFIRMATION:
        document = confirmation_ensure(pickup_id=pickup.pk)
        with document.file.open("rb") as pdf:
            attachments.append((document.filename, pdf.read(), "application/pdf"))
        attachments.append(("encombrants.ics", pickup_ics(pickup), "text/calendar; charset=utf-8"))
    email = templated_email(
        templates=f"encombrants/email/{name}",
        subject=subject,
        context=context,
        to=to,
        attachments=attachments,
    )
    email.extra_headers.update(headers or {})
    return email


def email_builder(name: str):
    """The builder of one of this app's emails, registered as "encombrants/<name>" (registration.py)."""

    def build(notification: Notification) -> EmailMultiAlternatives:
        pickup = Pickup.objects.select_related("request__requester", "street", "sector", "user").get(
            request_id=notification.request_id
        )
        return pickup_email(
            pickup,
            name,
            to=notification.recipient,
            extra=notification.context,
        )

    return build
