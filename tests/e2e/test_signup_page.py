from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations


def test_signup_page_shows_the_french_form_with_a_label_on_every_field(page):
    page.goto("/comptes/signup/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Création de compte")
    for label in ("Courriel", "Prénom", "Nom", "Téléphone (facultatif)", "Mot de passe"):
        expect(page.get_by_label(label, exact=False).first).to_be_visible()
    expect(page.get_by_label("Mot de passe (confirmation)")).to_be_visible()
    expect(page.get_by_role("button", name="Création de compte")).to_be_visible()


def test_signup_page_has_no_wcag_21_aa_violation(page):
    page.goto("/comptes/signup/")

    assert_no_axe_violations(page)


def test_signup_page_errors_are_announced_without_violations(page):
    page.goto("/comptes/signup/")
    page.get_by_label("Courriel").fill("pas-une-adresse@")
    # The browser's own validation would stop the submission; the server's messages are what we check.
    page.locator("form").evaluate("form => form.noValidate = true")
    page.get_by_role("button", name="Création de compte").click()

    expect(page.locator(".field--error").first).to_be_visible()
    assert_no_axe_violations(page)


def test_skip_link_is_the_first_tab_stop_on_the_signup_page(page):
    page.goto("/comptes/signup/")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
