"""CSV export of the filtered queue: streamed, French headers, semicolons, a BOM for Excel, the agent's
espaces only."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from guichet.views.queue import CSV_HEADERS
from requests_app import services
from requests_app.models import Channel, Status
from tests.accounts.factories import supervisor
from tests.guichet.factories import FAMILLE_SERVICE, file_request

EXPORT = "/guichet/export.csv"


pytestmark = pytest.mark.usefixtures("catalogue")  # tests/guichet/conftest.py


def exported(client, query: str = "") -> tuple[StreamingHttpResponse, str, list[list[str]]]:
    response = client.get(f"{EXPORT}?{query}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    return response, text, rows


def test_export_is_a_streamed_french_csv_with_a_bom(client, agent):
    request = file_request(
        contact_name="Odette Lagache",
        contact_email="o.lagache@example.fr",
        channel=Channel.GUICHET,
        site_code="hdv",
        created_by=agent,
    )
    services.request_claim(request=request, agent=agent)
    client.force_login(agent)
    response, text, rows = exported(client, "onglet=ouvertes")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="file-guichet-')
    assert text.startswith("\ufeffRéférence;Déposée le;Service;")
    assert rows[0] == CSV_HEADERS
    [row] = rows[1:]
    line = dict(zip(CSV_HEADERS, row, strict=True))
    assert line["Référence"] == request.reference
    assert line["Service"] == "Éclairage public en panne"
    assert line["Espace"] == "Tranquillité publique"
    assert (line["Canal"], line["Site"]) == ("Guichet", "Hôtel de Ville")
    assert (line["Statut"], line["Priorité"]) == ("Nouvelle", "Normale")
    assert (line["Demandeur"], line["Courriel"]) == ("Odette Lagache", "o.lagache@example.fr")
    assert line["Adresse"] == "12 rue Hoche"
    assert line["Quartier"] == "Centre-ville"
    assert line["Agent"] == "Luc Delattre"
    assert line["Échéance"] == request.due_date.strftime("%d/%m/%Y")


def test_export_rows_match_the_filters(client, agent):
    phone = file_request(channel=Channel.PHONE, created_by=agent)
    file_request(channel=Channel.WEB)
    closed = file_request(channel=Channel.PHONE, created_by=agent)
    services.request_transition(request=closed, to_status=Status.RESOLVED, actor=agent, message="Réparé.")
    client.force_login(agent)
    _response, _text, rows = exported(client, "onglet=ouvertes&canal=phone")
    assert [row[0] for row in rows[1:]] == [phone.reference]
    _response, _text, rows = exported(client, "onglet=closes")
    assert [row[0] for row in rows[1:]] == [closed.reference]
    assert rows[1][CSV_HEADERS.index("Close le")] != ""


def test_agent_exports_only_their_espaces(client, agent):
    mine = file_request()
    famille = file_request(code=FAMILLE_SERVICE, street_name=None)
    client.force_login(agent)
    _response, text, rows = exported(client, "onglet=ouvertes")
    assert [row[0] for row in rows[1:]] == [mine.reference]
    assert famille.reference not in text
    _response, text, rows = exported(client, f"onglet=ouvertes&q={famille.reference}")
    assert rows[1:] == []


def test_supervisor_exports_every_espace(client):
    references = {file_request().reference, file_request(code=FAMILLE_SERVICE, street_name=None).reference}
    client.force_login(supervisor(email="chef@bethune.fr"))
    _response, _text, rows = exported(client, "onglet=ouvertes")
    assert {row[0] for row in rows[1:]} == references


def test_resident_cannot_export(client, resident_user):
    file_request(requester=resident_user)
    client.force_login(resident_user)
    assert client.get(EXPORT).status_code == 404
