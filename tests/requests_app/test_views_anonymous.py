"""Filing without an account: the form asks for a name and an address, a link is emailed, only the POST
behind that link files the request; the tracking link works like the request page; the limits per
connection and per address; signing up with the same address attaches the requests to the account."""

import uuid

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.urls import reverse

from requests_app import links, services
from requests_app.models import Notification, Request, Status
from tests.accounts.factories import UserFactory
from tests.requests_app.conftest import file_for, jpeg_upload

pytestmark = pytest.mark.django_db


def anonymous_post(**overrides):
    data = {
        "street": "rue Hoche",
        "street_number": "3",
        "description": "Trou dangereux pour les vélos.",
        "contact_name": "Paul Martin",
        "contact_email": "paul.martin@example.fr",
        "contact_phone": "",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def file_url(service):
    return reverse("requests_app:file", args=[service.code])


def test_anonymous_form_asks_for_a_name_and_an_email_and_has_no_draft_button(client, pothole):
    body = client.get(file_url(pothole)).content.decode()

    assert (
        "Votre nom" in body
        and "Votre adresse électronique" in body
        and "Votre téléphone (facultatif)" in body
    )
    assert "Enregistrer le brouillon" not in body


def test_anonymous_filing_waits_for_the_emailed_link(client, pothole):
    response = client.post(file_url(pothole), anonymous_post(files=[jpeg_upload()]))

    filed = Request.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("requests_app:anonymous_sent", args=[pothole.code])
    assert filed.status == Status.DRAFT and filed.requester is None and filed.reference is None
    assert filed.contact_email == "paul.martin@example.fr"
    assert Notification.objects.get(request=filed).template == "confirm_email"
    page = client.get(response.url).content.decode()
    assert "Un lien vous a été envoyé" in page and "paul.martin@example.fr" in page


def test_anonymous_filing_without_name_or_email_is_refused(client, pothole):
    response = client.post(
        file_url(pothole), anonymous_post(contact_name="", contact_email="pas-une-adresse")
    )

    body = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in body
    # Django's own French wording of the email check changed across its releases.
    assert any(
        f"Saisissez une adresse {word} valide." in body for word in ("e-mail", "électronique", "de courriel")
    )
    assert 'href="#id_contact_name"' in body
    assert Request.objects.count() == 0


def test_anonymous_double_submission_files_one_request(client, pothole):
    data = anonymous_post()
    client.post(file_url(pothole), data)
    second = client.post(file_url(pothole), data)

    assert second.status_code == 302
    assert Request.objects.count() == 1


def test_confirmation_link_shows_a_button_and_only_the_post_files_the_request(client, pothole, time_machine):
    # Signed links carry a timestamp to the second: the clock stands still so that links compare equal.
    time_machine.move_to("2026-03-10 09:30:00+01:00", tick=False)
    client.post(file_url(pothole), anonymous_post())
    filing = Request.objects.get()
    url = reverse("requests_app:confirm_email", args=[links.confirm_token(filing)])

    page = client.get(url)
    filing.refresh_from_db()
    assert page.status_code == 200 and "Confirmer et envoyer ma demande" in page.content.decode()
    assert filing.status == Status.DRAFT  # a mail scanner following the link files nothing

    response = client.post(url)
    filing.refresh_from_db()
    assert filing.status == Status.NEW and filing.reference
    assert response.status_code == 302
    assert response.url == reverse("requests_app:track", args=[links.tracking_token(filing)])
    followed = client.get(response.url).content.decode()
    assert filing.reference in followed and "Votre demande est enregistrée" in followed

    again = client.post(url)  # following it twice changes nothing, and no longer leads to the tracking page
    assert again.status_code == 200 and "déjà confirmée" in again.content.decode()
    assert Request.objects.filter(status=Status.NEW).count() == 1


def test_tampered_confirmation_link_is_404(client, pothole):
    client.post(file_url(pothole), anonymous_post())
    token = links.confirm_token(Request.objects.get())

    assert client.get(reverse("requests_app:confirm_email", args=[token[:-2] + "xx"])).status_code == 404
    assert client.post(reverse("requests_app:confirm_email", args=["n-importe-quoi"])).status_code == 404
    assert Request.objects.get().status == Status.DRAFT


# --- Tracking link ----------------------------------------------------------------------------------------


def track_url(filed, name="track", *args):
    return reverse(f"requests_app:{name}", args=[links.tracking_token(filed), *args])


def test_tracking_page_works_like_the_request_page(client, pothole, agent, time_machine):
    # The links carry a signed timestamp: the clock stands still so that the page's links and the ones
    # computed here are the same to the second.
    time_machine.move_to("2026-03-10 09:30:00+01:00", tick=False)
    filed = file_for(None, pothole, files=[jpeg_upload("trou.jpg")])
    services.request_message_post(request=filed, author=agent, body="Nous passons demain.")

    body = client.get(track_url(filed)).content.decode()

    assert filed.reference in body and "Nous passons demain." in body
    assert track_url(filed, "track_receipt") in body
    assert track_url(filed, "track_attachment", filed.attachments.get().pk) in body
    assert "Annuler ma demande" in body and "Mes demandes" not in body.split("<main")[1]
    assert client.get(track_url(filed, "track_attachment", filed.attachments.get().pk)).status_code == 200
    receipt = client.get(track_url(filed, "track_receipt"))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"


def test_tampered_or_revoked_tracking_link_is_404(client, pothole):
    filed = file_for(None, pothole)
    token = links.tracking_token(filed)

    assert client.get(reverse("requests_app:track", args=[token[:-3] + "abc"])).status_code == 404
    assert client.post(reverse("requests_app:track_cancel", args=[token[:-3] + "abc"])).status_code == 404
    Request.objects.filter(pk=filed.pk).update(tracking_key=uuid.uuid4())
    assert client.get(reverse("requests_app:track", args=[token])).status_code == 404


def test_unconfirmed_filing_has_no_tracking_page(client, pothole):
    client.post(file_url(pothole), anonymous_post())
    assert client.get(track_url(Request.objects.get())).status_code == 404


def test_reply_and_cancel_through_the_tracking_link(client, pothole):
    filed = file_for(None, pothole)

    reply = client.post(track_url(filed, "track_reply"), {"body": "Le trou s'agrandit."})
    cancel = client.post(track_url(filed, "track_cancel"))

    filed.refresh_from_db()
    assert reply.status_code == 302 and cancel.status_code == 302
    assert filed.messages.get().body == "Le trou s'agrandit." and not filed.messages.get().from_staff
    assert filed.status == Status.CANCELLED


def test_tracking_link_cannot_cancel_a_request_in_progress(client, pothole, agent):
    filed = file_for(None, pothole)
    services.request_transition(request=filed, to_status=Status.IN_PROGRESS, actor=agent)

    response = client.post(track_url(filed, "track_cancel"))

    filed.refresh_from_db()
    assert response.status_code == 400
    assert "Vous ne pouvez pas effectuer cette action sur votre demande." in response.content.decode()
    assert filed.status == Status.IN_PROGRESS


def test_attachment_of_another_request_through_a_tracking_link_is_404(client, pothole):
    mine = file_for(None, pothole)
    other = file_for(None, pothole, files=[jpeg_upload()])

    assert client.get(track_url(mine, "track_attachment", other.attachments.get().pk)).status_code == 404


# --- Limits -----------------------------------------------------------------------------------------------


def test_more_than_three_filings_an_hour_for_one_address_are_refused(client, pothole):
    for _ in range(3):
        assert client.post(file_url(pothole), anonymous_post()).status_code == 302

    response = client.post(file_url(pothole), anonymous_post())

    assert response.status_code == 200
    assert "Trop de demandes ont été envoyées" in response.content.decode()
    assert Request.objects.count() == 3


def test_more_than_five_filings_an_hour_from_one_connection_are_refused(client, pothole):
    for n in range(5):
        assert (
            client.post(file_url(pothole), anonymous_post(contact_email=f"p{n}@example.fr")).status_code
            == 302
        )

    response = client.post(file_url(pothole), anonymous_post(contact_email="p9@example.fr"))

    assert "Trop de demandes ont été envoyées" in response.content.decode()
    assert Request.objects.count() == 5
    other_connection = client.post(
        file_url(pothole), anonymous_post(contact_email="p9@example.fr"), REMOTE_ADDR="192.0.2.7"
    )
    assert other_connection.status_code == 302


# --- Sign-up with the same address ----------------------------------------------------------------------


def test_verifying_the_same_address_attaches_the_requests_to_the_account(client, pothole):
    filed = file_for(None, pothole, contact_email="paul.martin@example.fr")
    user = UserFactory(email="paul.martin@example.fr")
    address = EmailAddress.objects.get(user=user)

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    filed.refresh_from_db()
    assert filed.requester == user
    client.force_login(user)
    assert filed.reference in client.get(reverse("requests_app:my_requests")).content.decode()
