"""An email from a pair of Django templates (`<name>.txt` and `<name>.html`), in French, marked as sent by
a machine: the one way every app of the portal composes its emails. The outbox (requests_app.delivery)
adds the Message-ID it owns; attachments are (filename, bytes, MIME type)."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def templated_email(
    *,
    templates: str,
    subject: str,
    context: dict,
    to: str,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{templates}.txt", context).strip() + "\n"
        html = render_to_string(f"{templates}.html", {**context, "subject": subject})
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        # Auto-Submitted: out-of-office replies and mailing lists leave a machine's mail alone (RFC 3834).
        headers={"Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        email.attach(filename, content, mimetype)
    return email
