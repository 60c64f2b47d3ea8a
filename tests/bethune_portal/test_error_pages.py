"""The portal's own error pages (templates/400.html, 403.html, 404.html, 500.html), in French, under
DEBUG=False as in production: 403 and 404 in the site's layout; 400 and 500, which Django renders without
the request, standalone (no context processor, no query, no {% url %}). axe checks them in a browser."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.template.loader import render_to_string
from django.urls import include, path

from tests.e2e.axe import assert_no_axe_violations

# This module is also the URLconf of its tests: the portal's URLs, plus one view per error.


def _bad_request(request):
    raise SuspiciousOperation("en-tête invalide")


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("panne simulée")


urlpatterns = [
    path("essai-erreur/400/", _bad_request),
    path("essai-erreur/403/", _forbidden),
    path("essai-erreur/500/", _broken),
    path("", include("bethune_portal.urls")),
]

PAGES = {
    400: ("/essai-erreur/400/", "Demande incorrecte"),
    403: ("/essai-erreur/403/", "Accès refusé"),
    404: ("/page-qui-n-existe-pas/", "Page introuvable"),
    500: ("/essai-erreur/500/", "Le service rencontre une difficulté"),
}
ENGLISH = ("Not Found", "Server Error", "Bad Request", "Forbidden", "requested resource")


@pytest.fixture
def production(settings, client):
    settings.DEBUG = False
    client.raise_request_exception = False  # answer like production instead of raising in the test
    return client


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("status", sorted(PAGES))
def test_each_error_page_is_the_portals_in_french(production, db, status):
    url, heading = PAGES[status]

    response = production.get(url)

    page = response.content.decode()
    assert response.status_code == status
    assert '<html lang="fr">' in page
    assert f"<h1>{heading}</h1>" in page
    assert f"<title>{heading} – Ville de Béthune</title>" in page
    assert 'class="site-header"' in page and 'id="contenu"' in page and "Mentions légales" in page
    assert 'href="/"' in page
    assert "style=" not in page and "<script>" not in page  # the CSP holds on error pages too
    for english in ENGLISH:
        assert english not in page, english


@pytest.mark.urls(__name__)
def test_a_signed_in_person_keeps_the_menu_on_a_404(production, resident_user):
    production.force_login(resident_user)

    page = production.get(PAGES[404][0]).content.decode()

    assert "Se déconnecter" in page and "/mes-demandes/" in page


@pytest.mark.parametrize("template", ["500.html", "400.html"])
def test_500_and_400_render_without_a_request_nor_the_database(template):
    """No `db` fixture here: pytest-django refuses any query, as a broken database would."""
    page = render_to_string(template)

    assert "Ville de Béthune" in page and "Services en ligne aux habitants" in page
    assert "03 21 63 00 00" in page


# --- axe (WCAG 2.1 AA) in a real browser: skipped without Chromium, failed in CI ---------------------------

# `page`: the session's real-browser fixture (tests/browser.py), a fresh French page on the live server.


@pytest.mark.browser
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("status", sorted(PAGES))
def test_error_pages_have_no_accessibility_violation(page, status):
    url, heading = PAGES[status]

    page.goto(url)

    assert page.locator("h1").inner_text() == heading
    assert_no_axe_violations(page)


def test_a_failed_csrf_check_answers_the_portals_french_page(db):
    from django.test import Client
    from django.urls import reverse

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "x@example.fr", "password": "x"})

    assert response.status_code == 403
    body = response.content.decode()
    assert "Formulaire expiré" in body and "Ville de Béthune" in body and "CSRF" not in body
