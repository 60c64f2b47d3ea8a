import pytest
from django.core import mail

pytestmark = pytest.mark.smtp


def test_a_french_email_sent_by_django_reaches_the_smtp_server_intact(smtp_sink):
    sent = mail.send_mail(
        subject="Votre demande BET-2026-000123 a été reçue",
        message="Bonjour Hélène,\n\nNous avons bien reçu votre demande « Dépôt sauvage ». À bientôt !",
        from_email="Ville de Béthune <ne-pas-repondre@bethune.fr>",
        recipient_list=["helene.bertin@example.fr"],
    )

    assert sent == 1
    [message] = smtp_sink.wait_for(1)
    assert message["Subject"] == "Votre demande BET-2026-000123 a été reçue"
    assert message["To"] == "helene.bertin@example.fr"
    assert "Béthune" in str(message["From"])
    body = message.get_content()
    assert "Bonjour Hélène," in body
    assert "« Dépôt sauvage ». À bientôt !" in body
    assert smtp_sink.envelopes == [("ne-pas-repondre@bethune.fr", ["helene.bertin@example.fr"])]
