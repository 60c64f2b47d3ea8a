"""The catalogue of démarches (by espace, searchable without JavaScript) and the street suggestions."""

import pytest
from django.urls import reverse

from requests_app.models import Service

pytestmark = pytest.mark.django_db


def test_catalogue_lists_services_by_espace_and_links_the_online_ones_to_their_form(client, catalogue):
    body = client.get(reverse("requests_app:catalogue")).content.decode()

    assert '<h2 id="espace-tranquillite">Tranquillité publique</h2>' in body
    assert f'href="{reverse("requests_app:file", args=["nid-de-poule"])}"' in body
    assert "Nid-de-poule ou chaussée abîmée" in body
    assert "possible sans compte" in body


def test_offline_services_are_shown_with_a_note_and_no_link_to_the_generic_form(client, catalogue):
    body = client.get(reverse("requests_app:catalogue")).content.decode()

    for code in ("encombrants", "rdv-pacs", "subvention-association"):
        assert Service.objects.get(code=code).online is False
        assert reverse("requests_app:file", args=[code]) not in body
    assert "Cette démarche se fait sur sa page dédiée" in body


def test_search_without_accents_finds_the_service(client, catalogue):
    body = client.get(reverse("requests_app:catalogue"), {"q": "eclairage"}).content.decode()

    assert "Éclairage public en panne" in body
    assert "Nid-de-poule" not in body
    assert "1 démarche correspond à « eclairage »" in body


def test_search_with_no_result_says_so(client, catalogue):
    body = client.get(reverse("requests_app:catalogue"), {"q": "zzzz"}).content.decode()

    assert "Aucune démarche ne correspond à votre recherche" in body


def test_catalogue_is_in_the_menu_and_mes_demandes_only_for_residents(client, resident_user, catalogue):
    anonymous = client.get(reverse("requests_app:catalogue")).content.decode()
    assert 'href="/demarches/" aria-current="page"' in anonymous
    assert 'href="/mes-demandes/"' not in anonymous

    client.force_login(resident_user)
    assert 'href="/mes-demandes/"' in client.get(reverse("requests_app:catalogue")).content.decode()


def test_catalogue_only_answers_get(client, catalogue):
    assert client.post(reverse("requests_app:catalogue")).status_code == 405


def test_street_suggestions_return_options_for_the_datalist(client, db):
    response = client.get(
        reverse("requests_app:street_suggestions"), {"street": "haynau"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.content.decode().strip() == '<option value="rue Eugène Haynaut"></option>'


def test_street_suggestions_for_an_unknown_street_are_empty(client, db):
    response = client.get(reverse("requests_app:street_suggestions"), {"street": "rue de Paris"})
    assert response.content.decode().strip() == ""
