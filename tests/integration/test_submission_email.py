"""A filing sends its French acknowledgement through a real SMTP server, the receipt PDF attached."""

import pytest

from requests_app.links import request_url
from requests_app.models import Notification
from tests.requests_app.factories import ServiceFactory, submitted_request

pytestmark = pytest.mark.smtp


def test_filing_sends_the_french_submission_email_with_the_receipt_over_smtp(
    resident_user, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submitted_request(service=ServiceFactory(name="Dépôt sauvage"), requester=resident_user)

    [message] = smtp_sink.wait_for(1, timeout=10)
    assert smtp_sink.envelopes[0][1] == ["jean.dupont@example.fr"]
    # (strip: the encoded subject is folded onto a continuation line, which the parser keeps a space of)
    assert message["Subject"].strip() == f"[Ville de Béthune] Demande {request.reference} bien reçue"
    assert message["To"] == "jean.dupont@example.fr"
    notification = Notification.objects.get(request=request, template="submitted")
    assert message["Message-ID"] == f"<notification-{notification.pk}@bethune-portal>"
    assert notification.status == "sent"

    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert text.startswith("Bonjour Jean Dupont,")
    assert "« Dépôt sauvage » a bien été reçue" in text
    assert request_url(request) in text
    assert request.reference in html

    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"accuse-de-reception-{request.reference}.pdf"
    assert attachment.get_content().startswith(b"%PDF-")
