"""Ten agents claim the same request at the same instant, each on its own PostgreSQL connection: the
conditional UPDATE lets exactly one win; every other one is told who has it."""

import threading

import pytest
from django.db import connection

from requests_app import services
from requests_app.errors import AlreadyTaken
from requests_app.models import EventKind, Request, RequestEvent
from tests.accounts.factories import agent_of
from tests.guichet.factories import file_request, seed

AGENTS = 10


@pytest.mark.postgres
def test_ten_agents_claiming_at_once_exactly_one_wins(transactional_db, django_db_serialized_rollback):
    seed()
    agents = [
        agent_of("tranquillite", email=f"agent{n}@bethune.fr", first_name=f"Agent{n}", last_name="Test")
        for n in range(AGENTS)
    ]
    request_id = file_request().pk
    barrier = threading.Barrier(AGENTS)
    won, told, errors = [], [], []

    def claim(agent):
        try:
            request = Request.objects.get(pk=request_id)
            barrier.wait(timeout=10)
            try:
                services.request_claim(request=request, agent=agent)
            except AlreadyTaken as error:
                told.append(error.message)
            else:
                won.append(agent)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(repr(error))
        finally:
            connection.close()  # each thread has its own connection; close it before the thread ends

    threads = [threading.Thread(target=claim, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(won) == 1
    assert len(told) == AGENTS - 1
    winner = won[0]
    assert set(told) == {f"Cette demande est déjà prise en charge par {winner}."}
    assert Request.objects.get(pk=request_id).assignee == winner
    assert RequestEvent.objects.filter(request_id=request_id, kind=EventKind.ASSIGNED).count() == 1
