"""Ten agents claim the same request at the same instant, each on its own PostgreSQL connection: the
conditional UPDATE lets exactly one win; every other one is told who has it."""

import pytest

from requests_app import services
from requests_app.errors import AlreadyTaken
from requests_app.models import EventKind, Request, RequestEvent
from tests.accounts.factories import agent_of
from tests.guichet.factories import file_request, seed
from tests.races import errors, race

AGENTS = 10


@pytest.mark.postgres
def test_ten_agents_claiming_at_once_exactly_one_wins(transactional_db, django_db_serialized_rollback):
    seed()
    agents = [
        agent_of("tranquillite", email=f"agent{n}@bethune.fr", first_name=f"Agent{n}", last_name="Test")
        for n in range(AGENTS)
    ]
    request_id = file_request().pk
    # Each agent holds the request as loaded before anyone claimed it (unassigned), as on their screens.
    requests = [Request.objects.get(pk=request_id) for _ in agents]

    outcomes = race(lambda i: services.request_claim(request=requests[i], agent=agents[i]), times=AGENTS)

    assert errors(outcomes, expected=(AlreadyTaken,)) == []
    won = [agents[o.index] for o in outcomes if o.ok]
    told = [o.error.message for o in outcomes if isinstance(o.error, AlreadyTaken)]
    assert len(won) == 1
    assert len(told) == AGENTS - 1
    winner = won[0]
    assert set(told) == {f"Cette demande est déjà prise en charge par {winner}."}
    assert Request.objects.get(pk=request_id).assignee == winner
    assert RequestEvent.objects.filter(request_id=request_id, kind=EventKind.ASSIGNED).count() == 1
