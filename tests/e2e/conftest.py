"""Real-browser tests: headless Chromium driven by Playwright against pytest-django's live server.

Every test here is marked ``browser`` (skipped without Chromium on a developer's machine, failed in CI).
The fixtures (``browser``, ``page``) live in tests/browser.py, registered for the whole session, so that
tests elsewhere (error pages, an app's journey) share the one Playwright; the helpers are re-exported here.
"""

from pathlib import Path

import pytest

from tests.browser import CHROMIUM_ARGS, MOBILE_VIEWPORT, chromium_path, login

__all__ = ["CHROMIUM_ARGS", "MOBILE_VIEWPORT", "chromium_path", "login"]


def pytest_collection_modifyitems(items):
    # This hook sees the whole session's items: mark only those collected under tests/e2e/.
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)
