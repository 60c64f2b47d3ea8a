"""The filing form: who may file, the fields built from the catalogue, server-side checks (nothing saved on
an error), drafts, double submission and the confirmation page."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app.models import Request, Status
from tests.accounts.factories import UserFactory
from tests.requests_app.conftest import file_for, jpeg_bytes, jpeg_upload

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
MZ = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"PE\x00\x00"
    + b"\x00" * 200
)
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def file_url(service):
    return reverse("requests_app:file", args=[service.code])


def pothole_post(**overrides):
    data = {
        "street": "rue Hoche",
        "street_number": "12",
        "address_details": "devant la boulangerie",
        "description": "Un trou profond sur la chaussée.",
        "submission_key": str(uuid.uuid4()),
        "action": "envoyer",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def every_field_post(**overrides):
    data = {
        "extra_objet": "Repas des voisins",
        "extra_participants": "40",
        "extra_date": "2026-06-21",
        "extra_salle": "Salle Pasteur",
        "extra_sono": "oui",
        "extra_telephone": "06 12 34 56 78",
        "description": "Fête de quartier.",
        "submission_key": str(uuid.uuid4()),
        "action": "envoyer",
    }
    data.update(overrides)
    return data


# --- Happy path -------------------------------------------------------------------------------------------


def test_resident_files_a_pothole_with_a_photo_and_lands_on_the_confirmation(client, resident_user, pothole):
    client.force_login(resident_user)
    response = client.post(file_url(pothole), pothole_post(files=[jpeg_upload()]))

    filed = Request.objects.get(requester=resident_user)
    assert response.status_code == 302
    assert response.url == reverse("requests_app:request_confirmation", args=[filed.reference])
    assert filed.status == Status.NEW
    assert filed.street.name == "rue Hoche"
    assert filed.street_number == "12"
    assert filed.attachments.get().content_type == "image/jpeg"

    page = client.get(response.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert filed.reference in body
    assert reverse("requests_app:request_receipt", args=[filed.reference]) in body
    assert reverse("requests_app:request_detail", args=[filed.reference]) in body
    assert filed.due_date.strftime("%Y") in body


def test_form_shows_every_field_type_with_labels_and_a_datalist_of_streets(
    client, resident_user, every_field_service
):
    client.force_login(resident_user)
    response = client.get(file_url(every_field_service))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'type="date"' in body
    assert "<select" in body and "Salle Pasteur" in body
    assert "<fieldset aria-describedby" not in body  # no help on the yes/no question
    assert "<legend>Avez-vous besoin d&#x27;une sonorisation ?" in body
    assert 'type="radio" name="extra_sono" value="oui"' in body and "Non</label>" in body
    assert 'type="tel"' in body and 'type="email" name="extra_courriel"' in body
    assert 'list="voies-bethune"' in body and '<datalist id="voies-bethune">' in body
    assert '<option value="rue Hoche">' in body
    assert 'hx-get="/demarches/voies/"' in body
    assert "multiple" in body and 'accept=".gif,' in body
    assert 'name="submission_key"' in body
    assert "Enregistrer le brouillon" in body and "Envoyer la demande" in body
    assert "style=" not in body and "onclick" not in body


def test_answers_are_stored_as_json_safe_values(client, resident_user, every_field_service):
    client.force_login(resident_user)
    response = client.post(
        file_url(every_field_service),
        every_field_post(
            extra_justificatif=SimpleUploadedFile("justificatif.jpg", jpeg_bytes(), content_type="image/jpeg")
        ),
    )

    assert response.status_code == 302
    filed = Request.objects.get(requester=resident_user)
    assert filed.answers == {
        "objet": "Repas des voisins",
        "participants": 40,
        "date": "2026-06-21",
        "salle": "Salle Pasteur",
        "sono": True,
        "telephone": "06 12 34 56 78",
        "justificatif": "justificatif.jpg",
    }
    assert filed.attachments.count() == 1


# --- Who may file -----------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login_for_a_service_that_needs_an_account(client, every_field_service):
    response = client.get(file_url(every_field_service))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=/demarches/demarche-complete/" in response.url


def test_resident_without_a_verified_address_is_asked_to_verify_it_first(client, pothole):
    user = UserFactory(email="nouveau@example.fr")
    user.emailaddress_set.update(verified=False)
    client.force_login(user)

    response = client.post(file_url(pothole), pothole_post())

    assert response.status_code == 302
    assert response.url == reverse("account_email")
    assert Request.objects.count() == 0
    page = client.get(response.url)
    assert "confirmez votre adresse électronique" in page.content.decode()


def test_offline_service_is_not_filed_through_the_generic_form(client, resident_user, catalogue):
    client.force_login(resident_user)
    response = client.post(reverse("requests_app:file", args=["encombrants"]), pothole_post())

    assert response.status_code == 200
    assert "ne se fait pas par le formulaire général" in response.content.decode()
    assert Request.objects.count() == 0


def test_unknown_service_is_404(client, resident_user, catalogue):
    client.force_login(resident_user)
    assert client.get(reverse("requests_app:file", args=["n-existe-pas"])).status_code == 404


# --- Bad input: a clear French message, nothing saved --------------------------------------------------


def assert_refused(response, *messages):
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body and 'id="resume-erreurs"' in body
    for message in messages:
        assert message in body, body
    assert Request.objects.count() == 0


def test_missing_required_fields_are_listed_at_the_top_and_on_each_field(
    client, resident_user, every_field_service
):
    client.force_login(resident_user)
    response = client.post(
        file_url(every_field_service), {"submission_key": str(uuid.uuid4()), "action": "envoyer"}
    )

    assert_refused(response, "Ce champ est obligatoire.")
    body = response.content.decode()
    assert 'href="#id_extra_objet"' in body
    assert 'href="#id_extra_sono_0"' in body  # radio group: the link goes to its first button
    assert 'aria-describedby="id_extra_objet_erreur id_extra_objet_helptext"' in body
    assert 'aria-invalid="true"' in body


def test_description_over_5000_characters_is_refused_with_its_length(client, resident_user, pothole):
    client.force_login(resident_user)
    response = client.post(file_url(pothole), pothole_post(description="x" * 5001))

    assert_refused(
        response, "La description ne peut pas dépasser 5\u202f000 caractères (elle en compte 5\u202f001)."
    )
    assert 'href="#id_description"' in response.content.decode()


def test_address_outside_bethune_is_refused(client, resident_user, pothole):
    client.force_login(resident_user)
    response = client.post(file_url(pothole), pothole_post(street="rue de la Paix, Paris"))

    assert_refused(response, "Cette adresse n&#x27;est pas à Béthune : choisissez une voie de la liste.")


def test_typed_street_without_accents_matches_the_reference_street(client, resident_user, pothole):
    client.force_login(resident_user)
    response = client.post(file_url(pothole), pothole_post(street="RUE EUGENE HAYNAUT"))

    assert response.status_code == 302
    assert Request.objects.get().street.name == "rue Eugène Haynaut"


def test_file_over_10_mb_is_refused(client, resident_user, pothole):
    client.force_login(resident_user)
    big = SimpleUploadedFile(
        "grande.jpg", jpeg_bytes() + b"\x00" * (10 * 1024 * 1024), content_type="image/jpeg"
    )
    response = client.post(file_url(pothole), pothole_post(files=[big]))

    assert_refused(response, "« grande.jpg » pèse 10,0", "la taille maximale est de 10,0")
    assert "choisissez-les à nouveau" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", ELF),
        ("photo.jpg", MZ),
        ("dessin.svg", SVG),
        ("page.html", HTML),
        ("image.jpg", SVG),
    ],
)
def test_executables_svg_and_html_are_refused_whatever_their_name(
    client, resident_user, pothole, name, content
):
    client.force_login(resident_user)
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = client.post(file_url(pothole), pothole_post(files=[upload]))

    assert_refused(response, f"« {name} » n&#x27;est pas accepté")


def test_six_files_are_refused(client, resident_user, pothole):
    client.force_login(resident_user)
    uploads = [jpeg_upload(f"photo{i}.jpg") for i in range(6)]
    response = client.post(file_url(pothole), pothole_post(files=uploads))

    assert_refused(response, "Vous pouvez joindre au plus 5 fichiers à une demande.")


def test_number_date_phone_and_choice_are_checked(client, resident_user, every_field_service):
    client.force_login(resident_user)
    response = client.post(
        file_url(every_field_service),
        every_field_post(
            extra_participants="beaucoup",
            extra_date="31/02/2026",
            extra_telephone="appelez-moi",
            extra_salle="Stade",
        ),
    )

    assert_refused(
        response,
        "Saisissez un nombre.",
        "Saisissez une date valide.",
        "Saisissez un numéro de téléphone",
        "Sélectionnez un choix valide.",
    )


# --- Double submission ------------------------------------------------------------------------------------


def test_the_same_form_posted_twice_files_one_request(client, resident_user, pothole):
    client.force_login(resident_user)
    data = pothole_post()
    first = client.post(file_url(pothole), data)
    second = client.post(file_url(pothole), data)

    assert Request.objects.count() == 1
    assert second.status_code == 302
    assert second.url == first.url


def test_each_rendered_form_carries_a_fresh_submission_key(client, resident_user, pothole):
    client.force_login(resident_user)
    keys = set()
    for _ in range(2):
        body = client.get(file_url(pothole)).content.decode()
        keys.add(body.split('name="submission_key" value="')[1].split('"')[0])
    assert len(keys) == 2


# --- Drafts -----------------------------------------------------------------------------------------------


def test_draft_is_saved_without_required_fields_then_resumed_and_submitted(client, resident_user, pothole):
    client.force_login(resident_user)
    response = client.post(
        file_url(pothole), pothole_post(street="", action="brouillon", files=[jpeg_upload()])
    )

    draft = Request.objects.get()
    assert response.status_code == 302 and response.url == reverse("requests_app:my_requests")
    assert draft.status == Status.DRAFT and draft.reference is None
    listing = client.get(response.url).content.decode()
    assert "Brouillon enregistré" in listing and "conservé jusqu" in listing

    resumed = client.get(f"{file_url(pothole)}?brouillon={draft.pk}").content.decode()
    assert "Un trou profond sur la chaussée." in resumed
    assert "Déjà joints à ce brouillon" in resumed and "photo.jpg" in resumed

    sent = client.post(f"{file_url(pothole)}?brouillon={draft.pk}", pothole_post())
    draft.refresh_from_db()
    assert sent.status_code == 302
    assert draft.status == Status.NEW and draft.reference.startswith("BET-")
    assert Request.objects.count() == 1
    assert draft.attachments.count() == 1


def test_someone_elses_draft_cannot_be_resumed_nor_deleted(client, resident_user, other_resident, pothole):
    client.force_login(other_resident)
    client.post(file_url(pothole), pothole_post(action="brouillon"))
    draft = Request.objects.get()

    client.force_login(resident_user)
    assert client.get(f"{file_url(pothole)}?brouillon={draft.pk}").status_code == 404
    assert client.post(reverse("requests_app:draft_delete", args=[draft.pk])).status_code == 404
    assert Request.objects.filter(pk=draft.pk).exists()


def test_resident_deletes_their_draft(client, resident_user, pothole):
    client.force_login(resident_user)
    client.post(file_url(pothole), pothole_post(action="brouillon"))
    draft = Request.objects.get()

    response = client.post(reverse("requests_app:draft_delete", args=[draft.pk]), follow=True)

    assert not Request.objects.exists()
    assert "a été supprimé" in response.content.decode()


# --- Confirmation page ------------------------------------------------------------------------------------


def test_confirmation_of_someone_elses_request_is_404(client, resident_user, other_resident, pothole):
    filed = file_for(other_resident, pothole)
    client.force_login(resident_user)

    assert client.get(reverse("requests_app:request_confirmation", args=[filed.reference])).status_code == 404
    assert (
        client.get(reverse("requests_app:request_confirmation", args=["BET-2020-999999"])).status_code == 404
    )
