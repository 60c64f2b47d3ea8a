"""The real-browser fixtures, registered once for the whole session (tests/conftest.py, pytest_plugins):
one Playwright and one Chromium for every test that asks for ``page``, wherever it lives. Two session
fixtures each starting Playwright's sync API would collide ("Sync API inside the asyncio loop").

The ``page`` fixture opens a fresh French, phone-sized browser context per test and fails the test
if the page broke the Content Security Policy (an inline script or style slipped into a template).
"""

import os
import shutil

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django would then refuse ORM calls made
# by the test itself (fixtures, assertions on rows) as "async unsafe". Nothing here is concurrent.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
MOBILE_VIEWPORT = {"width": 390, "height": 844}  # residents are mostly on phones: mobile first


def chromium_path() -> str:
    return os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(chromium_path()):
        pytest.skip(f"Chromium introuvable ({chromium_path()})")  # the browser marker fails it in CI first
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    """A new page in a fresh context (French, 390×844). ``page.goto("/")`` is relative to the live server.

    ``django_db_serialized_rollback``: the live server needs committed data (a transactional test), whose
    flush would leave the reference data written by migrations (espaces, sites, roles) empty for the
    next test; serialized rollback restores it."""
    context = browser.new_context(locale="fr-FR", viewport=MOBILE_VIEWPORT, base_url=live_server.url)
    page = context.new_page()
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not csp_violations, "la page enfreint la Content Security Policy :\n" + "\n".join(csp_violations)


def login(page, live_server, email: str, password: str) -> None:
    """Sign in through the real login form; leaves the page on wherever the portal redirects."""
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Connexion").click()
