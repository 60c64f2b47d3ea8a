"""The end-of-run line about the PostgreSQL-only tests that SQLite skipped (tests/plugins/pg_summary.py)."""

import pytest

pytest_plugins = ["pytester"]

# The inner runs are plain pytest: no Django, no project conftest, only the plugin under test.
INNER_CONFTEST = """
import pytest

pytest_plugins = ["tests.plugins.pg_summary"]


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: needs PostgreSQL")


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        pytest.skip("PostgreSQL requis")
"""


@pytest.fixture
def inner(pytester, monkeypatch):
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))  # so that tests.plugins imports
    pytester.makeconftest(INNER_CONFTEST)
    return pytester


def run(pytester):
    return pytester.runpytest_inprocess("-p", "no:django", "-p", "no:cacheprovider", "-rs")


def test_counts_the_skipped_postgres_tests_and_names_the_command(inner):
    inner.makepyfile(
        """
        import pytest

        pytestmark = []

        @pytest.mark.postgres
        def test_race_one():
            pass

        @pytest.mark.postgres
        def test_race_two():
            pass

        @pytest.mark.skip(reason="autre raison")
        def test_other_skip():
            pass

        def test_plain():
            pass
        """
    )
    result = run(inner)
    result.assert_outcomes(passed=1, skipped=3)
    result.stdout.fnmatch_lines(
        ["*2 tests réservés à PostgreSQL n'ont pas tourné ici (base SQLite) : `make test-pg`*"]
    )
    # It comes after pytest's own list of skips, just before the closing line.
    lines = result.outlines
    at = next(i for i, line in enumerate(lines) if "réservés à PostgreSQL" in line)
    assert all("passed" not in line for line in lines[at + 1 : -1])
    assert "short test summary info" in "\n".join(lines[:at])


def test_module_level_marker_counts_too(inner):
    inner.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.postgres

        def test_only():
            pass
        """
    )
    run(inner).stdout.fnmatch_lines(["*1 test réservé à PostgreSQL n'a pas tourné ici*"])


def test_silent_when_every_postgres_test_ran(inner):
    inner.makepyfile(
        """
        def test_plain():
            pass
        """
    )
    result = run(inner)
    result.assert_outcomes(passed=1)
    assert "PostgreSQL" not in result.stdout.str()
