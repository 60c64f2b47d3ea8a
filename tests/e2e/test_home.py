import re

from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login


def test_home_page_shows_the_espaces_and_sites_in_french(page):
    page.goto("/")

    expect(page).to_have_title(re.compile(r"Accueil – Ville de Béthune"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos démarches auprès de la Ville de Béthune")
    espaces = page.get_by_role("region", name="Les six espaces d'accueil du Guichet Unique")
    expect(espaces.get_by_role("heading", level=3)).to_have_count(6)
    expect(espaces.get_by_role("heading", name="Tranquillité publique")).to_be_visible()
    expect(page.get_by_role("heading", name="Guichet Unique – Hôtel de Ville")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Guichet Unique – Centre Administratif Victor Hugo")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Créer un compte")).to_be_visible()


def test_home_page_has_no_wcag_21_aa_violation(page):
    page.goto("/")

    assert_no_axe_violations(page)


def test_home_page_has_no_wcag_21_aa_violation_on_a_wide_screen(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")

    assert_no_axe_violations(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # hidden off-screen until focused, then shown

    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()


def test_a_resident_logs_in_from_the_home_page_with_the_login_helper(page, live_server, resident_user):
    login(page, live_server, resident_user.email, PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_have_count(0)
