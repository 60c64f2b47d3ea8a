"""Says, at the end of a run, how many PostgreSQL-only tests did not run and how to run them.

tests/conftest.py skips the tests marked ``postgres`` when the database is SQLite (the default of ``make
test``): the races and locks they check only exist on PostgreSQL. Without this line a green run on SQLite
would hide them; with it, the last lines say how many were left out and the one command that runs them."""

import pytest

MARKER = "postgres"
COMMAND = "make test-pg"


def skipped_postgres_tests(terminalreporter) -> list[str]:
    """Node ids of the skipped tests that carry the postgres marker (each counted once)."""
    nodeids = []
    for report in terminalreporter.stats.get("skipped", []):
        keywords = getattr(report, "keywords", {}) or {}
        if MARKER in keywords and report.nodeid not in nodeids:
            nodeids.append(report.nodeid)
    return nodeids


def on_postgresql(config) -> bool:
    """True when this run used PostgreSQL: then what was skipped was skipped for another reason (Redis…).
    A run without pytest-django (the plugin's own inner runs, made inside a PostgreSQL run in CI) has no
    database of its own, whatever the surrounding process's settings say."""
    if not config.pluginmanager.hasplugin("django"):
        return False
    try:
        from django.conf import settings
        from django.db import connection

        return settings.configured and connection.vendor == "postgresql"
    except Exception:  # no Django in this run (the plugin's own tests)
        return False


def summary_line(count: int) -> str:
    tests = "test réservé" if count == 1 else "tests réservés"
    verb = "n'a pas tourné" if count == 1 else "n'ont pas tourné"
    return f"{count} {tests} à PostgreSQL {verb} ici (base SQLite) : `{COMMAND}` les lance."


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    # Outermost wrapper: what follows the yield comes after pytest's own summaries ("short test summary
    # info"), just before the closing "N passed" line.
    result = yield
    count = len(skipped_postgres_tests(terminalreporter))
    if count and not on_postgresql(terminalreporter.config):
        terminalreporter.write_sep("-", "PostgreSQL", yellow=True)
        terminalreporter.write_line(summary_line(count), yellow=True, bold=True)
    return result
