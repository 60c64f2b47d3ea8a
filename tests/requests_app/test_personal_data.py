"""A resident downloads all their data (issue 20, point 7): one ZIP with donnees.json and their files."""

import io
import json
import zipfile

import pytest

from requests_app import services
from requests_app.models import Attachment
from requests_app.services import FilingData
from requests_app.views.account import DOWNLOAD_LIMIT
from tests.requests_app.factories import (
    ServiceFactory,
    ServiceFieldFactory,
    png_bytes,
    png_upload,
    submitted_request,
)

pytestmark = pytest.mark.django_db

URL = "/mes-donnees/archive.zip"


def _archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def jean_files(resident_user, other_resident, agent):
    service = ServiceFactory(name="Dépôt sauvage")
    ServiceFieldFactory(service=service, key="volume", label="Volume estimé", required=True)
    mine = submitted_request(
        service=service,
        requester=resident_user,
        description="Gravats devant le 12 rue Hoche.",
        street="rue Hoche",
        street_number="12",
        answers={"volume": "3 sacs"},
        files=[png_upload("gravats.png")],
    )
    services.request_message_post(request=mine, author=agent, body="Depuis quand ?")
    services.request_message_post(
        request=mine,
        author=agent,
        body="Note : voisin procédurier.",
        internal=True,
        files=[png_upload("pv.png")],
    )
    services.request_message_post(
        request=mine, author=resident_user, body="Depuis lundi.", files=[png_upload("lundi.png")]
    )
    theirs = submitted_request(
        service=service,
        requester=other_resident,
        description="Secret de Marie.",
        files=[png_upload("marie.png")],
    )
    draft = services.request_draft_save(
        service=service,
        requester=resident_user,
        data=FilingData(description="Pas fini", files=[png_upload()]),
    )
    return mine, theirs, draft


def test_the_archive_holds_the_account_the_requests_and_their_files(client, resident_user, jean_files):
    mine, _theirs, draft = jean_files
    client.force_login(resident_user)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    archive = _archive(response)
    data = json.loads(archive.read("donnees.json"))
    assert data["compte"]["courriel"] == "jean.dupont@example.fr"
    assert (data["compte"]["prenom"], data["compte"]["nom"]) == ("Jean", "Dupont")
    assert data["compte"]["inscrit_le"]
    by_reference = {item["reference"]: item for item in data["demandes"]}
    assert set(by_reference) == {mine.reference, None}
    filed = by_reference[mine.reference]
    assert filed["service"] == "Dépôt sauvage"
    assert filed["description"] == "Gravats devant le 12 rue Hoche."
    assert filed["adresse"]["numero"] == "12" and filed["adresse"]["voie"] == "rue Hoche"
    assert filed["reponses"] == [{"question": "Volume estimé", "cle": "volume", "reponse": "3 sacs"}]
    assert [(m["de"], m["texte"]) for m in filed["messages"]] == [
        ("Ville de Béthune", "Depuis quand ?"),
        ("vous", "Depuis lundi."),
    ]
    assert filed["historique"] and all(e["type"] != "note" for e in filed["historique"])
    # Every file of the requester's side, under pieces/<reference>/, byte for byte; the draft's too.
    public = Attachment.objects.filter(request=mine, internal=False)
    expected = {f"pieces/{mine.reference}/{a.pk}-{a.original_name}" for a in public}
    expected |= {f"pieces/brouillon-{draft.pk}/{a.pk}-{a.original_name}" for a in draft.attachments.all()}
    assert set(archive.namelist()) == {"donnees.json", *expected}
    for name in expected:
        assert archive.read(name) == png_bytes()
    assert sorted(p["fichier"] for p in filed["pieces_jointes"]) == sorted(
        n for n in expected if n.startswith(f"pieces/{mine.reference}/")
    )


def test_internal_notes_and_another_residents_data_are_never_in_it(client, resident_user, jean_files):
    _mine, theirs, _draft = jean_files
    client.force_login(resident_user)

    archive = _archive(client.get(URL))

    text = archive.read("donnees.json").decode()
    assert "procédurier" not in text and "pv.png" not in text
    assert "Secret de Marie" not in text and theirs.reference not in text and "marie" not in text.lower()
    assert not any("pv" in name or "marie" in name for name in archive.namelist())
    assert "luc.agent" not in text and "Delattre" not in text  # the agents' names are theirs


def test_another_resident_gets_only_their_own(client, other_resident, jean_files):
    mine, theirs, _draft = jean_files
    client.force_login(other_resident)

    data = json.loads(_archive(client.get(URL)).read("donnees.json"))

    assert [item["reference"] for item in data["demandes"]] == [theirs.reference]
    assert mine.reference not in json.dumps(data)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/mes-donnees/", URL, "/mes-donnees/supprimer-mon-compte/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/comptes/login/")


def test_the_page_explains_and_links_the_download_and_the_deletion(client, resident_user):
    client.force_login(resident_user)

    response = client.get("/mes-donnees/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert URL in response.content.decode()
    assert "/mes-donnees/supprimer-mon-compte/" in response.content.decode()


def test_downloads_are_limited_per_hour(client, resident_user):
    client.force_login(resident_user)
    for _ in range(DOWNLOAD_LIMIT):
        assert client.get(URL).status_code == 200

    response = client.get(URL)

    assert response.status_code == 429
    assert "plusieurs fois" in response.content.decode()
