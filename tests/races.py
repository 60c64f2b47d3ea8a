"""The one race harness of the test suite: run the same call from several threads released at the same
instant, each on its own database connection, and hand back what every thread got.

    outcomes = race(lambda i: book(agenda, users[i], SLOT), times=len(users))
    winners = [o.value for o in outcomes if o.ok]
    refused = [o.error for o in outcomes if isinstance(o.error, SlotTaken)]

`fn` receives the thread's index (0 … times - 1), so that each thread can act as a different user. Outcomes
come back in index order; an exception raised in a thread is returned in its outcome, never swallowed and
never raised in a thread where pytest would not see it: the test asserts on it.

Races are settled by the database, so they mean something only on PostgreSQL (SQLite serialises writers):
mark such tests `@pytest.mark.postgres` and give them committed data, `transactional_db` (or
`django_db(transaction=True)`) with `serialized_rollback` so the reference data survive the flush.
Model instances may be built in the test's thread and handed to the threads: a connection belongs to a
thread, an instance does not."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import connections

T = TypeVar("T")

# Seconds. The barrier waits for the slowest thread to start (a thread opens its connection only after it
# is released, so the wait is short); a thread still running after JOIN_TIMEOUT is a deadlock to report.
BARRIER_TIMEOUT = 30
JOIN_TIMEOUT = 120


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one thread got: the value `fn` returned, or the exception it raised."""

    index: int
    value: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def race(fn: Callable[[int], T], *, times: int) -> list[Outcome[T]]:
    """Start `times` threads behind one Barrier so they call `fn(index)` together; each thread closes its
    own database connections when done. Returns one Outcome per thread, in index order."""
    if times < 2:
        raise ValueError("a race needs at least two threads")
    barrier = threading.Barrier(times)
    outcomes: list[Outcome[T] | None] = [None] * times

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=BARRIER_TIMEOUT)
            outcomes[index] = Outcome(index=index, value=fn(index))
        except BaseException as error:  # noqa: BLE001 (returned to the test, which asserts on it)
            outcomes[index] = Outcome(index=index, error=error)
        finally:
            # Django opens one connection per thread; left open, it would outlive the test and keep the
            # test database from being flushed or dropped.
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,), name=f"race-{index}") for index in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        raise AssertionError(f"threads still running after {JOIN_TIMEOUT} s (a deadlock?): {stuck}")
    return outcomes  # type: ignore[return-value]  (every slot is filled once every thread has ended)


def errors(outcomes: list[Outcome], *, expected: tuple[type[BaseException], ...] = ()) -> list[str]:
    """The exceptions the threads raised, except the `expected` kinds (a refusal the race must produce):
    `assert errors(outcomes, expected=(SlotTaken,)) == []` fails showing each unexpected one."""
    return [repr(o.error) for o in outcomes if o.error is not None and not isinstance(o.error, expected)]
