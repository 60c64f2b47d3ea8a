"""Intake on behalf: the agent files a request for someone at the counter, on the phone, by mail or email,
for a resident with an account or a contact without one."""

import html
import uuid
from urllib.parse import urlencode

import pytest
from django.core import mail

from requests_app.models import Channel, Request
from tests.guichet.factories import TRANQUILLITE_SERVICE, site

START = "/guichet/saisie/"
FORM = f"/guichet/saisie/{TRANQUILLITE_SERVICE}/"


pytestmark = pytest.mark.usefixtures("catalogue")  # tests/guichet/conftest.py


def posted(**overrides) -> dict:
    data = {
        "channel": "guichet",
        "site": site("hdv").pk,
        "contact_name": "Odette Lagache",
        "contact_email": "",
        "contact_phone": "03 21 00 00 00",
        "street": "rue Hoche",
        "street_number": "12",
        "description": "Le lampadaire devant chez moi est éteint depuis une semaine.",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_agent_finds_a_resident_by_name_email_or_phone(client, agent, resident_user, other_resident):
    resident_user.phone = "06 11 22 33 44"
    resident_user.save()
    client.force_login(agent)
    for query in ("dupont", "Jean Dupont", "jean.dupont@example.fr", "0611"):
        response = client.get(START, {"q": query})
        assert response.context["residents"] == [resident_user], query
    assert agent not in client.get(START, {"q": "Delattre"}).context["residents"]  # agents are not residents


def test_counter_filing_for_an_existing_resident(client, agent, resident_user):
    client.force_login(agent)
    # The search result links with a signed token, never the account's id (tests/guichet/test_leaks.py).
    [result] = client.get(START, {"q": "Dupont"}).context["results"]
    usager = result["token"]
    form = client.get(FORM, {"usager": usager})
    assert form.status_code == 200
    assert form.context["form"]["contact_name"].value() == "Jean Dupont"
    response = client.post(
        f"{FORM}?{urlencode({'usager': usager})}",
        posted(contact_name="Jean Dupont", contact_email="jean.dupont@example.fr", usager=usager),
    )
    request = Request.objects.get()
    assert response.status_code == 302
    assert response.url == f"/guichet/saisie/enregistree/{request.reference}/"
    assert (request.channel, request.site, request.created_by, request.requester) == (
        Channel.GUICHET,
        site("hdv"),
        agent,
        resident_user,
    )
    assert request.events.get().actor == agent
    client.force_login(resident_user)
    assert request.reference in client.get("/mes-demandes/").content.decode()


def test_counter_filing_for_a_contact_without_account_and_printable_receipt(
    client, agent, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, posted())
    request = Request.objects.get()
    assert (request.requester, request.contact_name, request.contact_phone, request.created_by) == (
        None,
        "Odette Lagache",
        "03 21 00 00 00",
        agent,
    )
    assert (request.channel, request.site) == (Channel.GUICHET, site("hdv"))
    assert mail.outbox == []  # no address: the receipt is printed
    done = client.get(response.url)
    assert "Pas d'adresse électronique" in html.unescape(done.content.decode())
    receipt = client.get(f"/guichet/demandes/{request.reference}/accuse-de-reception.pdf?imprimer=1")
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert not receipt["Content-Disposition"].startswith("attachment")  # opens in the browser to print
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("channel", ["phone", "mail", "email"])
def test_filing_records_the_channel_without_a_site(client, agent, channel):
    client.force_login(agent)
    client.post(FORM, posted(channel=channel, site=""))
    request = Request.objects.get()
    assert (request.channel, request.site, request.created_by) == (channel, None, agent)


def test_phone_request_with_an_email_sends_the_receipt_by_email(
    client, agent, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(FORM, posted(channel="phone", site="", contact_email="odette.lagache@example.fr"))
    request = Request.objects.get()
    [email] = mail.outbox
    assert email.to == ["odette.lagache@example.fr"]
    assert request.reference in email.subject
    [(filename, content, mimetype)] = email.attachments
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contact_name": ""}, "Indiquez le nom du demandeur."),
        ({"street": "rue de Rivoli"}, "Cette adresse n'est pas à Béthune"),
        ({"street": ""}, "Ce champ est obligatoire"),  # an address is required for a street light
        ({"channel": "pigeon"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, agent, overrides, message):
    client.force_login(agent)
    response = client.post(FORM, posted(**overrides))
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not Request.objects.exists()


def test_posting_the_same_form_twice_files_once(client, agent):
    client.force_login(agent)
    data = posted()
    first = client.post(FORM, data)
    second = client.post(FORM, data)
    assert Request.objects.count() == 1
    assert first.url == second.url


def test_unknown_service_is_404(client, agent):
    client.force_login(agent)
    assert client.get("/guichet/saisie/service-inconnu/").status_code == 404


def test_filing_for_another_espace_shows_its_reference_and_receipt_but_not_its_page(client, agent):
    client.force_login(agent)  # an agent of Tranquillité publique, at the counter for a Famille démarche
    form = "/guichet/saisie/acte-etat-civil/"
    response = client.post(
        form,
        posted(
            street=None,
            street_number=None,
            **{
                "extra_acte": "Naissance",
                "extra_date-evenement": "1990-05-04",
                "extra_personne": "Odette Lagache",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    filed = Request.objects.get()
    done = client.get(response["Location"])
    assert done.status_code == 200
    page = done.content.decode()
    assert filed.reference in page
    assert f"/guichet/demandes/{filed.reference}/accuse-de-reception.pdf" in page
    assert f'href="/guichet/demandes/{filed.reference}/"' not in page
    receipt = client.get(f"/guichet/demandes/{filed.reference}/accuse-de-reception.pdf")
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert client.get(f"/guichet/demandes/{filed.reference}/").status_code == 404
