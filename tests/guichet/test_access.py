"""Who may open the guichet: the whole URLconf under /guichet/ is walked, so a new page cannot be forgotten.
Residents and anonymous visitors get 404 everywhere (the back office does not confirm a URL exists); an agent
gets 404 on a request outside their espaces; supervisors see every espace."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from requests_app import services
from requests_app.models import Attachment
from tests.accounts.factories import supervisor
from tests.guichet.factories import FAMILLE_SERVICE, file_request, service
from tests.requests_app.factories import png_upload

pytestmark = pytest.mark.usefixtures("catalogue")  # tests/guichet/conftest.py


def guichet_url_names() -> list[tuple[str, list[str]]]:
    """(namespaced name, argument names) of every pattern under guichet/ in the project's URLconf."""
    found = []

    def walk(patterns, namespace: str):
        for item in patterns:
            if isinstance(item, URLResolver):
                walk(item.url_patterns, item.namespace or namespace)
            elif isinstance(item, URLPattern) and namespace == "guichet" and item.name:
                found.append((f"guichet:{item.name}", list(item.pattern.converters)))

    walk(get_resolver().url_patterns, "")
    return found


GUICHET_URLS = guichet_url_names()


def with_attachment(request, agent) -> Attachment:
    message = services.request_message_post(
        request=request, author=agent, body="Photo prise sur place.", files=[png_upload()]
    )
    return message.attachments.get()


def test_the_walk_finds_the_guichet_pages():
    names = {name for name, _args in GUICHET_URLS}
    assert {
        "guichet:queue",
        "guichet:request_detail",
        "guichet:claim",
        "guichet:bulk",
        "guichet:intake_form",
        "guichet:export",
    } <= names


@pytest.fixture
def samples(agent):
    """A value for each URL argument, naming things that exist (so a 404 is the access rule, not a typo)."""
    request = file_request(created_by=agent)
    attachment = with_attachment(request, agent)
    return {"reference": request.reference, "code": service().code, "pk": attachment.pk, "site_code": "hdv"}


def guichet_urls(samples) -> list[str]:
    return [reverse(name, kwargs={arg: samples[arg] for arg in args}) for name, args in GUICHET_URLS]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_gets_404_on_every_guichet_url(client, samples, method):
    for url in guichet_urls(samples):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} : {response.status_code}"


@pytest.mark.parametrize("method", ["get", "post"])
def test_resident_gets_404_on_every_guichet_url(client, resident_user, samples, method):
    client.force_login(resident_user)
    for url in guichet_urls(samples):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} : {response.status_code}"


def test_association_member_gets_404_on_the_queue(client, association_president):
    client.force_login(association_president)
    assert client.get("/guichet/").status_code == 404


REQUEST_URLS = [
    "request_detail",
    "claim",
    "assign",
    "transition",
    "message",
    "change_service",
    "priority",
    "duplicate",
    "receipt",
    "intake_done",
]


@pytest.fixture
def famille_request(other_agent):
    request = file_request(code=FAMILLE_SERVICE, street_name=None)
    attachment = with_attachment(request, other_agent)
    return request, attachment


@pytest.mark.parametrize("name", REQUEST_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_agent_gets_404_on_a_request_of_another_espace(client, agent, famille_request, name, method):
    request, _attachment = famille_request
    client.force_login(agent)
    response = getattr(client, method)(
        reverse(f"guichet:{name}", args=[request.reference]),
        {
            "assignee": agent.pk,
            "to_status": "resolved",
            "message": "x",
            "body": "x",
            "service": service().pk,
            "priority": 4,
            "original": "x",
        },
    )
    assert response.status_code in (404, 405)
    if method == "get" and name in ("request_detail", "receipt", "intake_done"):
        assert response.status_code == 404
    if method == "post" and name not in ("request_detail", "receipt", "intake_done"):
        assert response.status_code == 404
    request.refresh_from_db()
    assert request.assignee_id is None
    assert request.is_open
    assert request.priority == 2
    assert request.service.code == FAMILLE_SERVICE


def test_agent_gets_404_on_an_attachment_of_another_espace(client, agent, famille_request):
    request, attachment = famille_request
    client.force_login(agent)
    assert (
        client.get(reverse("guichet:attachment", args=[request.reference, attachment.pk])).status_code == 404
    )


def test_unknown_reference_gets_the_same_404(client, agent):
    client.force_login(agent)
    assert client.get(reverse("guichet:request_detail", args=["BET-2026-999999"])).status_code == 404


def test_agent_of_the_espace_opens_the_request_and_its_attachment(client, other_agent, famille_request):
    request, attachment = famille_request
    client.force_login(other_agent)
    assert client.get(reverse("guichet:request_detail", args=[request.reference])).status_code == 200
    response = client.get(reverse("guichet:attachment", args=[request.reference, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_supervisor_opens_requests_of_every_espace(client, agent, famille_request):
    tranquillite = file_request()
    client.force_login(supervisor(email="chef@bethune.fr"))
    for reference in (famille_request[0].reference, tranquillite.reference):
        assert client.get(reverse("guichet:request_detail", args=[reference])).status_code == 200


def test_manager_uses_the_guichet_too(client, manager_user, famille_request):
    client.force_login(manager_user)
    assert client.get("/guichet/").status_code == 200
    assert (
        client.get(reverse("guichet:request_detail", args=[famille_request[0].reference])).status_code == 200
    )
