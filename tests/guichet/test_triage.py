"""Triage on the agent's request page: claim, assign, service, priority, transitions with reply templates,
messages and internal notes, more information, duplicates, history. A refusal says why and changes nothing."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_app import services
from requests_app.errors import ServiceError
from requests_app.models import EventKind, Priority, RequestEvent, Status
from tests.guichet.factories import (
    FAMILLE_SERVICE,
    TRANQUILLITE_OTHER_SERVICE,
    ReplyTemplateFactory,
    espace,
    file_request,
    refreshed,
    service,
)
from tests.requests_app.factories import png_upload

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


pytestmark = pytest.mark.usefixtures("catalogue")  # tests/guichet/conftest.py


@pytest.fixture
def filed(resident_user):
    """A new Tranquillité publique request of Jean Dupont (who has an account)."""
    return file_request(requester=resident_user)


def url(name: str, request) -> str:
    return reverse(f"guichet:{name}", args=[request.reference])


def flash(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def events(request, kind: str) -> list[RequestEvent]:
    return list(RequestEvent.objects.filter(request=request, kind=kind).order_by("id"))


def resident_page(client, user, request) -> str:
    client.force_login(user)
    response = client.get(f"/mes-demandes/{request.reference}/")
    assert response.status_code == 200
    return response.content.decode()


def test_agent_page_shows_the_request(client, agent, filed):
    client.force_login(agent)
    response = client.get(url("request_detail", filed))
    body = response.content.decode()
    assert response.status_code == 200
    assert filed.reference in body
    assert "Jean Dupont" in body
    assert "Prendre en charge" in body


# Claim and assignment


def test_agent_claims_a_request(client, agent, filed):
    client.force_login(agent)
    response = client.post(url("claim", filed), follow=True)
    assert refreshed(filed).assignee == agent
    assert any("pris en charge" in text for text in flash(response))
    [event] = events(filed, EventKind.ASSIGNED)
    assert event.actor == agent


def test_second_agent_claiming_is_told_who_has_it_and_nothing_changes(client, agent, colleague, filed):
    client.force_login(agent)
    client.post(url("claim", filed))
    client.force_login(colleague)
    response = client.post(url("claim", filed), follow=True)
    assert refreshed(filed).assignee == agent
    assert any("déjà prise en charge par Luc Delattre" in text for text in flash(response))
    assert len(events(filed, EventKind.ASSIGNED)) == 1


def test_agent_assigns_a_request_to_a_colleague(client, agent, colleague, filed):
    client.force_login(agent)
    response = client.post(url("assign", filed), {"assignee": colleague.pk})
    assert response.status_code == 302
    assert refreshed(filed).assignee == colleague
    [event] = events(filed, EventKind.ASSIGNED)
    assert (event.actor, event.payload["assignee_name"]) == (agent, "Nadia Benali")


@pytest.mark.parametrize("who", ["resident", "agent_of_another_espace"])
def test_assigning_to_someone_who_cannot_take_it_is_refused(
    client, agent, resident_user, other_agent, filed, who
):
    target = resident_user if who == "resident" else other_agent
    client.force_login(agent)
    response = client.post(url("assign", filed), {"assignee": target.pk})
    assert response.status_code == 400
    assert "Choisissez un agent de la liste" in response.content.decode()
    assert refreshed(filed).assignee is None
    assert events(filed, EventKind.ASSIGNED) == []


def test_assign_service_refuses_a_non_agent(agent, resident_user, filed):
    with pytest.raises(ServiceError) as error:
        services.request_assign(request=filed, actor=agent, assignee=resident_user)
    assert "n'est pas un agent" in str(error.value)
    assert refreshed(filed).assignee is None


# Service and priority


def test_changing_the_service_moves_the_sla_and_due_date(client, agent, resident_user, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))  # Monday
    request = file_request(requester=resident_user)  # éclairage public: 5 working days
    assert request.due_date == datetime.date(2026, 3, 9)
    client.force_login(agent)
    response = client.post(
        url("change_service", request), {"service": service(TRANQUILLITE_OTHER_SERVICE).pk}
    )
    assert response.status_code == 302
    request = refreshed(request)
    assert request.service.code == TRANQUILLITE_OTHER_SERVICE
    assert request.due_date == datetime.date(2026, 3, 16)  # tags: 10 working days
    [event] = events(request, EventKind.SERVICE)
    assert event.actor == agent


def test_changing_to_another_espaces_service_hands_the_request_over(client, agent, other_agent, filed):
    client.force_login(agent)
    response = client.post(url("change_service", filed), {"service": service(FAMILLE_SERVICE).pk})
    assert response.url == reverse("guichet:queue")  # no longer the agent's: back to the queue
    assert refreshed(filed).espace == espace("famille")
    assert client.get(url("request_detail", filed)).status_code == 404
    client.force_login(other_agent)
    assert client.get(url("request_detail", filed)).status_code == 200


def test_unknown_service_is_refused_and_nothing_changes(client, agent, filed):
    client.force_login(agent)
    response = client.post(url("change_service", filed), {"service": 999999})
    assert response.status_code == 400
    assert refreshed(filed).service_id == filed.service_id
    assert events(filed, EventKind.SERVICE) == []


def test_agent_sets_the_priority(client, agent, filed):
    client.force_login(agent)
    client.post(url("priority", filed), {"priority": Priority.URGENT})
    assert refreshed(filed).priority == Priority.URGENT
    response = client.post(url("priority", filed), {"priority": 99})
    assert response.status_code == 400
    assert "Priorité inconnue" in response.content.decode()
    assert refreshed(filed).priority == Priority.URGENT


# Transitions and reply templates


def test_reply_template_prefills_the_message_with_the_reference_and_name(client, agent, filed):
    template = ReplyTemplateFactory(body="Bonjour {nom}, votre demande {reference} est traitée. {inconnu}")
    client.force_login(agent)
    body = client.get(url("request_detail", filed) + f"?modele={template.pk}").content.decode()
    assert f"Bonjour Jean Dupont, votre demande {filed.reference} est traitée. {{inconnu}}" in body


def test_reply_template_of_another_espace_is_not_offered(client, agent, filed):
    famille = ReplyTemplateFactory(
        title="Réponse état civil", espace=espace("famille"), body="Acte {reference}"
    )
    client.force_login(agent)
    body = client.get(url("request_detail", filed) + f"?modele={famille.pk}").content.decode()
    assert "Réponse état civil" not in body
    assert f"Acte {filed.reference}" not in body


def test_closing_with_a_template_message_tells_the_resident(
    client, agent, resident_user, filed, django_capture_on_commit_callbacks
):
    template = ReplyTemplateFactory(
        body="Bonjour {nom}, le lampadaire de votre demande {reference} est réparé."
    )
    client.force_login(agent)
    text = (
        client.get(url("request_detail", filed) + f"?modele={template.pk}")
        .context["transition_form"]["message"]
        .value()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("transition", filed), {"to_status": Status.RESOLVED, "message": text})
    assert response.status_code == 302
    request = refreshed(filed)
    assert request.status == Status.RESOLVED
    assert request.closed_at is not None
    [email] = mail.outbox
    assert email.to == [resident_user.email]
    assert f"le lampadaire de votre demande {filed.reference} est réparé" in email.body
    assert "est réparé" in resident_page(client, resident_user, filed)


def test_closing_without_a_message_is_refused_and_nothing_changes(
    client, agent, filed, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("transition", filed), {"to_status": Status.RESOLVED, "message": "  "})
    assert response.status_code == 400
    assert "Écrivez un message au demandeur" in response.content.decode()
    assert refreshed(filed).status == Status.NEW
    assert events(filed, EventKind.STATUS) == []
    assert mail.outbox == []


def test_forbidden_transition_is_refused_and_nothing_changes(client, agent, filed):
    services.request_transition(request=filed, to_status=Status.RESOLVED, actor=agent, message="Fait.")
    client.force_login(agent)
    response = client.post(
        url("transition", filed), {"to_status": Status.AWAITING_CITIZEN, "message": "Hein ?"}
    )
    assert response.status_code == 400
    assert "pas possible" in response.content.decode()
    assert refreshed(filed).status == Status.RESOLVED
    assert len(events(filed, EventKind.INFO_REQUESTED)) == 0


def test_requesting_more_information_emails_the_resident(
    client, agent, resident_user, filed, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("transition", filed),
            {"to_status": Status.AWAITING_CITIZEN, "message": "Quel est le numéro du lampadaire ?"},
        )
    assert refreshed(filed).status == Status.AWAITING_CITIZEN
    [email] = mail.outbox
    assert email.to == [resident_user.email]
    assert "informations vous sont demandées" in email.subject
    assert "Quel est le numéro du lampadaire ?" in email.body


# Messages and internal notes


def test_internal_note_is_never_shown_nor_sent_to_the_resident(
    client, agent, resident_user, filed, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("message", filed), {"body": "Voisin procédurier, prudence.", "internal": "on"}
        )
    assert response.status_code == 302
    assert mail.outbox == []
    assert "Voisin procédurier" in client.get(url("request_detail", filed)).content.decode()
    assert "Voisin procédurier" not in resident_page(client, resident_user, filed)


def test_message_to_the_resident_is_emailed_and_shown(
    client, agent, resident_user, filed, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("message", filed), {"body": "Une équipe passe jeudi."})
    [email] = mail.outbox
    assert "Une équipe passe jeudi." in email.body
    assert "Une équipe passe jeudi." in resident_page(client, resident_user, filed)


def test_empty_message_is_refused(client, agent, filed):
    client.force_login(agent)
    response = client.post(url("message", filed), {"body": ""})
    assert response.status_code == 400
    assert events(filed, EventKind.MESSAGE) == []


# Duplicates


def test_marking_a_duplicate_tells_the_resident_and_links_the_original(
    client, agent, resident_user, filed, django_capture_on_commit_callbacks
):
    original = file_request(contact_name="Marie Caron", contact_email="marie.caron@example.fr")
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("duplicate", filed), {"original": original.reference.lower()})
    assert response.status_code == 302
    request = refreshed(filed)
    assert request.duplicate_of == original
    assert request.status == Status.RESOLVED
    [email] = mail.outbox
    assert email.to == [resident_user.email]
    assert original.reference in email.body
    assert original.reference in resident_page(client, resident_user, filed)
    client.force_login(agent)
    assert original.reference in client.get(url("request_detail", filed)).content.decode()


@pytest.mark.parametrize("original", ["BET-2026-999999", "famille", "itself"])
def test_duplicate_of_an_unknown_or_foreign_request_is_refused(client, agent, filed, original):
    if original == "famille":
        original = file_request(code=FAMILLE_SERVICE, street_name=None).reference
    elif original == "itself":
        original = filed.reference
    client.force_login(agent)
    response = client.post(url("duplicate", filed), {"original": original})
    assert response.status_code == 400
    request = refreshed(filed)
    assert request.duplicate_of is None
    assert request.status == Status.NEW


def test_a_request_with_duplicates_cannot_become_a_duplicate_itself(agent):
    first, second, third = file_request(), file_request(), file_request()
    services.request_mark_duplicate(request=second, actor=agent, original=first)
    with pytest.raises(ServiceError, match="a elle-même des doublons"):
        services.request_mark_duplicate(request=first, actor=agent, original=third)
    assert refreshed(first).duplicate_of is None and refreshed(first).status == Status.NEW


def test_an_attachment_opened_by_an_agent_runs_nothing(client, agent, resident_user):
    request = file_request(requester=resident_user)
    services.request_message_post(
        request=request, author=resident_user, body="La photo", files=[png_upload()]
    )
    attachment = request.attachments.get()
    client.force_login(agent)
    response = client.get(f"/guichet/demandes/{request.reference}/pieces/{attachment.pk}/")
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


# History


def test_history_lists_each_change_with_its_author(client, agent, colleague, filed):
    client.force_login(agent)
    client.post(url("claim", filed))
    client.post(url("priority", filed), {"priority": Priority.HIGH})
    client.post(url("message", filed), {"body": "À voir avec la voirie.", "internal": "on"})
    client.force_login(colleague)
    client.post(url("transition", filed), {"to_status": Status.IN_PROGRESS, "message": ""})
    client.force_login(agent)
    response = client.get(url("request_detail", filed))
    rows = [(event.kind, event.actor) for event in response.context["events"]]
    assert rows == [
        (EventKind.SUBMITTED, None if filed.created_by is None else filed.created_by),
        (EventKind.ASSIGNED, agent),
        (EventKind.PRIORITY, agent),
        (EventKind.NOTE, agent),
        (EventKind.STATUS, colleague),
    ]
    body = response.content.decode()
    for label in ("Attribution", "Changement de priorité", "Note interne", "Changement de statut"):
        assert label in body
    assert "Nadia Benali" in body
    assert "Luc Delattre" in body


def test_receipt_of_a_request_is_a_pdf(client, agent, filed):
    client.force_login(agent)
    response = client.get(url("receipt", filed) + "?imprimer=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_request_page_query_count_does_not_grow_with_the_history(client, agent, filed):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("request_detail", filed)).status_code == 200
        return len(queries)

    client.force_login(agent)
    services.request_message_post(request=filed, author=agent, body="Premier message.", files=[png_upload()])
    client.get(url("request_detail", filed))  # warm-up (session, caches)
    few = page_queries()
    for n in range(10):
        services.request_message_post(
            request=filed,
            author=agent,
            body=f"Note n° {n}",
            internal=bool(n % 2),
            files=[png_upload()] if n < 3 else [],
        )
    assert page_queries() == few
