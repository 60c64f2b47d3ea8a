"""Two agents mark A a duplicate of B and B a duplicate of A at the same instant, each on its own PostgreSQL
connection: request_mark_duplicate locks both rows in primary-key order and re-checks under the lock, so one
wins and the other is refused; never a loop of two duplicates pointing at each other."""

import pytest

from requests_app import services
from requests_app.errors import ServiceError
from requests_app.models import Request
from tests.accounts.factories import agent_of
from tests.races import errors, race
from tests.requests_app.factories import ServiceFactory, submitted_request

ROUNDS = 5


@pytest.mark.postgres
def test_crossed_duplicates_at_the_same_instant_make_no_loop(transactional_db, django_db_serialized_rollback):
    agents = [agent_of("tranquillite", email=f"doublon{n}@bethune.fr") for n in range(2)]
    service = ServiceFactory()
    for _round in range(ROUNDS):
        first, second = submitted_request(service=service), submitted_request(service=service)
        # Each agent holds both requests as loaded before anyone acted, as on their screens.
        pairs = [
            (Request.objects.get(pk=first.pk), Request.objects.get(pk=second.pk)),
            (Request.objects.get(pk=second.pk), Request.objects.get(pk=first.pk)),
        ]

        outcomes = race(
            lambda i, pairs=pairs: services.request_mark_duplicate(
                request=pairs[i][0], actor=agents[i], original=pairs[i][1]
            ),
            times=2,
        )

        assert errors(outcomes, expected=(ServiceError,)) == []
        assert sum(o.ok for o in outcomes) == 1
        first.refresh_from_db()
        second.refresh_from_db()
        marked = [r for r in (first, second) if r.duplicate_of_id]
        assert len(marked) == 1, "exactly one of the two is a duplicate, of the other"
        (duplicate,) = marked
        original = second if duplicate == first else first
        assert duplicate.duplicate_of == original and original.duplicate_of is None and original.is_open


@pytest.mark.postgres
def test_two_agents_marking_the_same_duplicate_close_it_once(transactional_db, django_db_serialized_rollback):
    agents = [agent_of("tranquillite", email=f"meme{n}@bethune.fr") for n in range(4)]
    service = ServiceFactory()
    original = submitted_request(service=service)
    duplicate = submitted_request(service=service)
    copies = [Request.objects.get(pk=duplicate.pk) for _ in agents]

    outcomes = race(
        lambda i: services.request_mark_duplicate(request=copies[i], actor=agents[i], original=original),
        times=len(agents),
    )

    assert errors(outcomes, expected=(ServiceError,)) == []
    assert sum(o.ok for o in outcomes) == 1
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original
    assert duplicate.messages.count() == 1  # the requester is told once
