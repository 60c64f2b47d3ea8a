from html import unescape

import pytest
from django.urls import reverse

from requests_app import reference

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    """The page's HTML with entities decoded, so that texts compare as a reader sees them."""
    return unescape(response.content.decode())


def test_home_lists_the_six_espaces(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    content = html_of(response)
    assert len(reference.ESPACES) == 6
    for _code, name, description in reference.ESPACES:
        assert f"<h3>{name}</h3>" in content
        assert description in content


def test_home_lists_both_guichet_unique_sites_with_their_opening_hours(client):
    response = client.get(reverse("home"))

    content = html_of(response)
    for _code, name, address, _phone in reference.SITES:
        assert f"Guichet Unique – {name}" in content
        assert address in content
    assert content.count("Horaires d'ouverture") == 2
    assert content.count("9h00 – 19h30") == 2  # Monday, non-stop, on both sites
    assert content.count("9h00 – 12h30, 14h00 – 17h00") == 8  # Tuesday to Friday, on both sites
    assert content.count('<th scope="row">Lundi</th>') == 2
    assert "Samedi, dimanche et jours fériés" in content


def test_home_is_built_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    # Espaces, then sites with their opening periods prefetched: not one query per site.
    with django_assert_max_num_queries(3):
        client.get(reverse("home"))


@pytest.mark.parametrize(
    ("url_name", "title"),
    [
        ("legal_notice", "Mentions légales"),
        ("accessibility", "Déclaration d'accessibilité"),
        ("privacy", "Données personnelles"),
    ],
)
def test_legal_pages_are_public_and_titled(client, url_name, title):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    content = html_of(response)
    assert f"<title>{title} – Ville de Béthune</title>" in content
    assert f"<h1>{title}</h1>" in content


def test_every_page_carries_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("home"))

    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split("; ")
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    content = response.content.decode()
    assert "<script>" not in content
    assert " style=" not in content


def test_pages_are_in_french(client):
    content = client.get(reverse("home")).content.decode()

    assert '<html lang="fr">' in content
    assert "Aller au contenu" in content
