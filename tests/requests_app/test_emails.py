"""The emails residents receive: French subject, text and HTML bodies, the link to follow the request, and
the receipt attached to the submission email."""

import pytest
from django.core import mail
from django.utils import formats

from requests_app.emails import email_build
from requests_app.links import confirm_url, request_url
from requests_app.models import Notification, Status
from requests_app.services import (
    FilingData,
    request_file_anonymous,
    request_message_post,
    request_transition,
)
from tests.requests_app.factories import ServiceFactory, submitted_request


def notification_of(request, template: str) -> Notification:
    return Notification.objects.select_related("request", "event").get(request=request, template=template)


def html_of(email) -> str:
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    return html


@pytest.fixture
def filed(resident_user):
    return submitted_request(
        service=ServiceFactory(name="Dépôt sauvage", sla_days=5), requester=resident_user
    )


def test_submission_email_confirms_the_reference_and_delay_with_the_receipt_attached(filed):
    email = email_build(notification_of(filed, "submitted"))

    assert email.subject == f"[Ville de Béthune] Demande {filed.reference} bien reçue"
    assert email.to == ["jean.dupont@example.fr"]
    assert email.body.startswith("Bonjour Jean Dupont,")
    assert "« Dépôt sauvage » a bien été reçue" in email.body
    assert "sous 5 jours ouvrés" in email.body
    assert formats.date_format(filed.due_date, "j F Y") in email.body
    assert request_url(filed) in email.body
    html = html_of(email)
    assert '<html lang="fr">' in html
    assert "Bonjour Jean Dupont," in html
    assert filed.reference in html
    assert request_url(filed) in html
    [(filename, content, mimetype)] = email.attachments
    assert filename == f"accuse-de-reception-{filed.reference}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF-")


def test_email_message_id_is_fixed_per_notification(filed):
    notification = notification_of(filed, "submitted")

    first = email_build(notification).message()["Message-ID"]
    second = email_build(notification).message()["Message-ID"]

    assert first == second == f"<notification-{notification.pk}@bethune-portal>"


def test_status_change_email_says_the_request_is_being_handled(filed, agent):
    request_transition(request=filed, to_status=Status.IN_PROGRESS, actor=agent)

    email = email_build(notification_of(filed, "status_changed"))

    assert email.subject == f"[Ville de Béthune] Votre demande {filed.reference} est en cours de traitement"
    assert "est en cours de traitement" in email.body
    assert request_url(filed) in email.body
    assert "en cours de traitement" in html_of(email)
    assert email.attachments == []


def test_agent_message_email_carries_the_message(filed, agent):
    request_message_post(
        request=filed, author=agent, body="Nous passons jeudi matin.\nMerci de votre signalement."
    )

    email = email_build(notification_of(filed, "agent_message"))

    assert email.subject == f"[Ville de Béthune] Nouveau message sur votre demande {filed.reference}"
    assert "Nous passons jeudi matin.\nMerci de votre signalement." in email.body
    assert "Nous passons jeudi matin.<br>Merci de votre signalement." in html_of(email)
    assert request_url(filed) in email.body


def test_agent_message_email_escapes_html_in_the_html_body(filed, agent):
    request_message_post(request=filed, author=agent, body="<b>Gras</b> & fin")

    email = email_build(notification_of(filed, "agent_message"))

    assert "<b>Gras</b> & fin" in email.body
    assert "&lt;b&gt;Gras&lt;/b&gt; &amp; fin" in html_of(email)


def test_information_request_email_asks_the_question_and_says_how_to_answer(filed, agent):
    request_transition(
        request=filed,
        to_status=Status.AWAITING_CITIZEN,
        actor=agent,
        message="Pouvez-vous préciser l'adresse ?",
    )

    email = email_build(notification_of(filed, "info_requested"))

    assert (
        email.subject
        == f"[Ville de Béthune] Demande {filed.reference} : des informations vous sont demandées"
    )
    assert "Pouvez-vous préciser l'adresse ?" in email.body
    assert "joignez-y un document" in email.body
    assert request_url(filed) in email.body
    assert "Pouvez-vous préciser l&#x27;adresse ?" in html_of(email)


@pytest.mark.parametrize(
    ("status", "subject_end", "body_text"),
    [
        (Status.RESOLVED, "a été traitée", "a été traitée"),
        (Status.REJECTED, "a été refusée", "a été refusée"),
    ],
)
def test_closing_email_gives_the_outcome_and_the_closing_message(
    filed, agent, status, subject_end, body_text
):
    request_transition(
        request=filed, to_status=status, actor=agent, message="Les sacs ont été enlevés ce matin."
    )

    email = email_build(notification_of(filed, "closed"))

    assert email.subject == f"[Ville de Béthune] Votre demande {filed.reference} {subject_end}"
    assert body_text in email.body
    assert "Les sacs ont été enlevés ce matin." in email.body
    assert "Les sacs ont été enlevés ce matin." in html_of(email)
    assert request_url(filed) in email.body


def test_confirmation_email_of_a_filing_without_account_links_to_the_confirmation_only(db):
    service = ServiceFactory(name="Dépôt sauvage", allow_anonymous=True)
    draft = request_file_anonymous(
        service=service,
        data=FilingData(
            description="Sacs", contact_name="Paul Martin", contact_email="Paul.Martin@example.fr"
        ),
    )

    email = email_build(notification_of(draft, "confirm_email"))

    assert email.subject == "[Ville de Béthune] Confirmez votre signalement « Dépôt sauvage »"
    assert email.to == ["paul.martin@example.fr"]
    assert email.body.startswith("Bonjour Paul Martin,")
    assert confirm_url(draft) in email.body
    assert "pas encore envoyé" in email.body
    assert "30 jours" in email.body
    assert "/mes-demandes/suivi/" not in email.body
    html = html_of(email)
    assert confirm_url(draft) in html
    assert "/mes-demandes/suivi/" not in html
    assert email.attachments == []


def test_greeting_without_a_known_name_stays_polite(db):
    request = submitted_request(contact_name="", contact_email="sans.nom@example.fr")

    email = email_build(notification_of(request, "submitted"))

    assert email.body.startswith("Bonjour,")


def test_unknown_notification_template_is_refused(filed):
    notification = notification_of(filed, "submitted")
    notification.template = "birthday"

    with pytest.raises(ValueError, match="birthday"):
        email_build(notification)


def test_filing_sends_exactly_one_email_after_commit(resident_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = submitted_request(requester=resident_user)

    assert len(mail.outbox) == 1
    [email] = mail.outbox
    assert email.subject == f"[Ville de Béthune] Demande {request.reference} bien reçue"
    assert email.attachments[0][0] == f"accuse-de-reception-{request.reference}.pdf"
    assert notification_of(request, "submitted").status == "sent"


def test_nothing_is_sent_before_the_filing_commits(resident_user):
    submitted_request(requester=resident_user)

    assert mail.outbox == []
