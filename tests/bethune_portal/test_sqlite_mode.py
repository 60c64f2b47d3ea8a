"""SQLite, the embedded default, opens its transactions IMMEDIATE (issue 20, point 5): two bookings at once
answered 500 "database is locked", because a transaction that has read (the requester, their bookings)
cannot wait for another writer when it then writes (the seat). Now writers queue for the write lock.

The race needs a database file: the test database of the suite is SQLite in memory, which one connection
per thread does not share the same way. Its committed content is copied to a file and each racing thread
points its own connection at that file, with the settings' own OPTIONS. On PostgreSQL, where the
same races are settled by row locks (tests/appointments/test_race.py): there the tests run themselves
in a child pytest on SQLite, since CI skips nothing."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper

from appointments.services import SlotTaken
from bethune_portal.settings.base import database_from_env
from tests.accounts.factories import resident
from tests.appointments.conftest import agenda, catalogue, hdv, now, paris  # noqa: F401 (fixtures)
from tests.appointments.helpers import book
from tests.races import errors, race

ROOT = Path(__file__).resolve().parents[2]
RACERS = 6
SLOT = paris(2026, 3, 24, 9)  # seats: 2


@pytest.fixture
def on_sqlite(request) -> bool:
    """True on SQLite. In the PostgreSQL suite (CI), where nothing may be skipped, the very same test runs in
    a child pytest on the embedded default (SQLite) instead, and must pass there: False, the body returns."""
    if connection.vendor == "sqlite":
        return True
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    child = subprocess.run(  # noqa: S603 (our own test, by its node id)
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", request.node.nodeid],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert child.returncode == 0 and "1 passed" in child.stdout, child.stdout[-4000:] + child.stderr[-2000:]
    return False


def test_a_sqlite_database_url_opens_immediate_transactions_that_wait(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    options = database_from_env("sqlite:////tmp/portal.sqlite3")["OPTIONS"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_postgresql_gets_none_of_the_sqlite_options(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://portal@127.0.0.1:5432/portal")

    options = database_from_env("sqlite:////tmp/unused.sqlite3")["OPTIONS"]

    assert "transaction_mode" not in options and "init_command" not in options


def _on_a_file(tmp_path, **options) -> dict:
    """The test database's committed rows, copied to a file; the settings to open it with."""
    path = tmp_path / "portal.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    settings_dict = {**connection.settings_dict, "NAME": str(path)}
    settings_dict["OPTIONS"] = {**settings_dict["OPTIONS"], **options}
    return settings_dict


def _race_bookings(agenda, users, settings_dict) -> list:  # noqa: F811
    def book_on_the_file(index: int) -> int:
        # This thread's "default" connection only: the connection handler keeps one per thread.
        connections["default"] = DatabaseWrapper(settings_dict, "default")
        return book(agenda, users[index], SLOT).pk

    return race(book_on_the_file, times=len(users))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_bookings_on_a_sqlite_file_queue_instead_of_failing(
    on_sqlite,
    agenda,  # noqa: F811
    now,  # noqa: F811
    tmp_path,
):
    if not on_sqlite:
        return  # ran on SQLite in a child pytest (the fixture asserted it passed)
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    users = [resident(email=f"simultane{n}@example.fr") for n in range(RACERS)]
    settings_dict = _on_a_file(tmp_path)

    outcomes = _race_bookings(agenda, users, settings_dict)

    assert errors(outcomes, expected=(SlotTaken,)) == []  # never "database is locked"
    won = [o.value for o in outcomes if o.ok]
    assert len(won) == agenda.seats
    check = sqlite3.connect(settings_dict["NAME"])
    try:
        (booked,) = check.execute("SELECT booked FROM appointments_slot").fetchone()
        (bookings,) = check.execute("SELECT count(*) FROM appointments_booking").fetchone()
    finally:
        check.close()
    assert booked == bookings == agenda.seats


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_immediate_mode_the_same_race_can_fail_locked(
    on_sqlite,
    agenda,  # noqa: F811
    now,  # noqa: F811
    tmp_path,
):
    """The reproduction of the finding, to show that the test above means something: DEFERRED transactions,
    the same 20-second wait, and most racers fail at once (a read lock cannot be upgraded while another
    writer waits: SQLite does not wait then). Timing-dependent, so it only checks what fails is the lock."""
    if not on_sqlite:
        return  # ran on SQLite in a child pytest (the fixture asserted it passed)
    users = [resident(email=f"differe{n}@example.fr") for n in range(RACERS)]
    settings_dict = _on_a_file(tmp_path, transaction_mode=None)

    outcomes = _race_bookings(agenda, users, settings_dict)

    unexpected = errors(outcomes, expected=(SlotTaken,))
    assert all("database is locked" in error for error in unexpected), unexpected
