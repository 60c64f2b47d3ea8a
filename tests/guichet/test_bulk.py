"""Bulk actions from the queue: up to 500 requests, each in its own transaction, with a summary of what was
done and what was refused (and why)."""

import html

import pytest

from demo.generate import generate_requests
from guichet.services.bulk import BULK_LIMIT, bulk_apply
from requests_app import services
from requests_app.errors import ServiceError
from requests_app.models import EventKind, Request, RequestEvent, Status
from tests.guichet.factories import FAMILLE_SERVICE, file_request, refreshed

BULK = "/guichet/actions-groupees/"


pytestmark = pytest.mark.usefixtures("catalogue")  # tests/guichet/conftest.py


def test_bulk_assign_to_a_colleague(client, agent, colleague):
    requests = [file_request() for _ in range(3)]
    client.force_login(agent)
    response = client.post(
        BULK, {"references": [r.reference for r in requests], "action": "assign", "assignee": colleague.pk}
    )
    assert response.status_code == 200
    assert "3 demandes traitées" in response.content.decode()
    assert {refreshed(r).assignee for r in requests} == {colleague}


def test_bulk_close_with_a_message(client, agent):
    requests = [file_request() for _ in range(2)]
    client.force_login(agent)
    client.post(
        BULK,
        {
            "references": [r.reference for r in requests],
            "action": "close",
            "message": "Les lampadaires du quartier ont été remplacés.",
        },
    )
    for request in requests:
        request = refreshed(request)
        assert request.status == Status.RESOLVED
        assert request.messages.get().body == "Les lampadaires du quartier ont été remplacés."


def test_bulk_close_without_a_message_is_refused_and_nothing_changes(client, agent):
    requests = [file_request() for _ in range(2)]
    client.force_login(agent)
    response = client.post(
        BULK, {"references": [r.reference for r in requests], "action": "close", "message": " "}
    )
    assert response.status_code == 400
    assert "Écrivez le message" in response.content.decode()
    assert {refreshed(r).status for r in requests} == {Status.NEW}


def test_bulk_mix_refuses_foreign_and_unknown_references_and_does_the_others(client, agent, colleague):
    mine = [file_request() for _ in range(2)]
    famille = file_request(code=FAMILLE_SERVICE, street_name=None)
    closed = file_request()
    services.request_transition(request=closed, to_status=Status.REJECTED, actor=agent, message="Non.")
    client.force_login(agent)
    references = [
        mine[0].reference,
        famille.reference,
        "BET-2026-999999",
        closed.reference,
        mine[1].reference,
    ]
    response = client.post(BULK, {"references": references, "action": "assign", "assignee": colleague.pk})
    assert response.status_code == 200
    result = response.context["result"]
    assert result.done == [mine[0].reference, mine[1].reference]
    refused = dict(result.refused)
    assert set(refused) == {famille.reference, "BET-2026-999999", closed.reference}
    assert (
        refused[famille.reference] == refused["BET-2026-999999"] == "demande inconnue ou hors de vos espaces"
    )
    assert refused[closed.reference] == "Cette demande est close."
    body = response.content.decode()
    assert "hors de vos espaces" in body
    assert "Cette demande est close." in body
    assert {refreshed(r).assignee for r in mine} == {colleague}
    assert refreshed(famille).assignee is None
    assert refreshed(closed).assignee is None


def test_one_refusal_does_not_undo_the_others(agent):
    """Each request in its own transaction: a forbidden transition in the middle leaves the others done."""
    first, done_already, last = file_request(), file_request(), file_request()
    services.request_transition(request=done_already, to_status=Status.RESOLVED, actor=agent, message="Fait.")
    result = bulk_apply(
        agent=agent,
        references=[first.reference, done_already.reference, last.reference],
        action="status",
        to_status=Status.AWAITING_CITIZEN,
        message="Précisez l'adresse.",
    )
    assert result.done == [first.reference, last.reference]
    assert [ref for ref, _why in result.refused] == [done_already.reference]
    assert "Impossible de passer" in result.refused[0][1]
    assert refreshed(first).status == refreshed(last).status == Status.AWAITING_CITIZEN
    assert refreshed(done_already).status == Status.RESOLVED


def test_bulk_assign_to_a_non_agent_is_refused(client, agent, resident_user):
    request = file_request()
    client.force_login(agent)
    response = client.post(
        BULK, {"references": [request.reference], "action": "assign", "assignee": resident_user.pk}
    )
    assert response.status_code == 400
    assert "n'est pas un agent" in html.unescape(response.content.decode())
    assert refreshed(request).assignee is None


def test_bulk_assign_to_an_agent_of_another_espace_is_refused_per_request(agent, other_agent):
    request = file_request()
    result = bulk_apply(agent=agent, references=[request.reference], action="assign", assignee=other_agent)
    assert result.done == []
    assert result.refused == [
        (request.reference, "Sophie Martin ne travaille pas pour l'espace de cette demande")
    ]
    assert refreshed(request).assignee is None


def test_bulk_without_selection_is_refused(client, agent):
    client.force_login(agent)
    response = client.post(BULK, {"action": "assign", "assignee": agent.pk})
    assert response.status_code == 400
    assert "Sélectionnez au moins une demande" in response.content.decode()


def test_bulk_accepts_500_requests(client, agent, colleague):
    generate_requests(count=BULK_LIMIT, years=1, seed=3)
    references = list(Request.objects.values_list("reference", flat=True))
    client.force_login(agent)
    response = client.post(BULK, {"references": references, "action": "assign", "assignee": colleague.pk})
    assert response.status_code == 200
    result = response.context["result"]
    assert len(result.done) + len(result.refused) == BULK_LIMIT
    assert result.done  # the open requests of the agent's espace
    assert Request.objects.filter(reference__in=result.done, assignee=colleague).count() == len(result.done)
    assert RequestEvent.objects.filter(kind=EventKind.ASSIGNED, actor=agent).count() == len(result.done)


def test_bulk_refuses_501_requests_with_a_clear_message(client, agent, colleague):
    requests = [file_request() for _ in range(2)]
    references = [r.reference for r in requests] + [f"BET-2026-{n:06d}" for n in range(500, 999)]
    assert len(references) == BULK_LIMIT + 1
    client.force_login(agent)
    response = client.post(BULK, {"references": references, "action": "assign", "assignee": colleague.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert "500 demandes au plus (501 sélectionnées)" in body
    assert "Aucune demande n'a été modifiée" in body
    assert {refreshed(r).assignee for r in requests} == {None}


@pytest.mark.parametrize("action", ["", "supprimer"])
def test_bulk_with_an_unknown_action_is_refused_with_a_message(client, agent, action):
    request = file_request()
    client.force_login(agent)
    response = client.post(BULK, {"references": [request.reference], "action": action})
    assert response.status_code == 400
    assert "Choisissez une action de la liste." in response.content.decode()
    assert refreshed(request).status == Status.NEW


def test_bulk_with_a_non_ascii_assignee_is_refused_not_a_server_error(client, agent):
    request = file_request()
    client.force_login(agent)
    response = client.post(BULK, {"references": [request.reference], "action": "assign", "assignee": "²"})
    assert response.status_code == 400
    assert refreshed(request).assignee_id is None


def test_an_agent_cancelling_a_request_must_say_why_to_the_requester(agent):
    request = file_request()
    with pytest.raises(ServiceError, match="Écrivez un message"):
        services.request_cancel(request=request, actor=agent)
    assert refreshed(request).status == Status.NEW
    services.request_cancel(request=request, actor=agent, message="Demande faite en double par téléphone.")
    assert refreshed(request).status == Status.CANCELLED
