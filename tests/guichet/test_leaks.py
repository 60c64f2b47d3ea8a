"""Issue #20, point 6: what the guichet must not hand out. The waiting list shows a visitor's name only to
the agents of their espace (supervisors and managers: all); the intake never opens an account by its id."""

import html
import re
import uuid
from urllib.parse import unquote

import pytest
from django.core import signing
from django.urls import reverse

from guichet.services.visits import visit_register
from requests_app.models import Request
from tests.accounts.factories import manager, supervisor
from tests.guichet.factories import TRANQUILLITE_SERVICE, site

START = "/guichet/saisie/"
FORM = f"/guichet/saisie/{TRANQUILLITE_SERVICE}/"
TOKEN_SALT = "guichet.intake.usager"


def text(response) -> str:
    return html.unescape(response.content.decode())


# --- The waiting list -------------------------------------------------------------------------------------


@pytest.fixture
def line(agent, hdv, tranquillite, famille):
    """Two visitors at the Hôtel de Ville: one for Tranquillité publique, one for Famille."""
    for espace, reason, name in (
        (tranquillite, "Tags sur la façade", "Mme Caron"),
        (famille, "Acte de naissance", "M. Secret"),
    ):
        visit_register(site=hdv, espace=espace, reason=reason, visitor_name=name, registered_by=agent)


@pytest.mark.parametrize("url_name", ["guichet:visit_screen", "guichet:visit_screen_list"])
def test_an_agent_sees_the_names_of_their_espaces_visitors_only(client, agent, line, url_name):
    client.force_login(agent)  # Tranquillité publique

    page = text(client.get(reverse(url_name, args=["hdv"])))

    assert "Mme Caron" in page
    assert "M. Secret" not in page
    # The other espace's visitor is still in the line, without the name: the agent can direct people.
    assert "Acte de naissance" in page and "2 personnes en attente" in page


def test_an_agent_of_the_other_espace_sees_the_other_name(client, other_agent, line):
    client.force_login(other_agent)  # Famille

    page = text(client.get(reverse("guichet:visit_screen", args=["hdv"])))

    assert "M. Secret" in page and "Mme Caron" not in page


@pytest.mark.parametrize("make", [supervisor, manager])
def test_supervisors_and_managers_see_every_name(client, line, make):
    client.force_login(make(email="chef@bethune.fr"))

    page = text(client.get(reverse("guichet:visit_screen_list", args=["hdv"])))

    assert "Mme Caron" in page and "M. Secret" in page


# --- The intake does not open an account by its id --------------------------------------------------------


def posted(**overrides) -> dict:
    data = {
        "channel": "guichet",
        "site": site("hdv").pk,
        "contact_name": "Jean Dupont",
        "contact_email": "jean.dupont@example.fr",
        "contact_phone": "",
        "street": "rue Hoche",
        "street_number": "12",
        "description": "Le lampadaire devant chez moi est éteint depuis une semaine.",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def chosen_link(client, query: str) -> str:
    """The `usager` value of the search result's link, as the agent's browser would follow it."""
    page = client.get(START, {"q": query})
    [result] = page.context["results"]
    return result["token"]


@pytest.mark.usefixtures("catalogue")
def test_a_raw_account_id_in_the_intake_url_discloses_nothing(client, agent, resident_user):
    resident_user.phone = "06 11 22 33 44"
    resident_user.save()
    client.force_login(agent)

    for url in (f"{FORM}?usager={resident_user.pk}", f"{START}?usager={resident_user.pk}"):
        response = client.get(url)
        page = text(response)
        assert response.status_code in (200, 404), url
        assert "jean.dupont@example.fr" not in page and "06 11 22 33 44" not in page, url
        assert "Jean Dupont" not in page, url


@pytest.mark.usefixtures("catalogue")
def test_a_raw_account_id_posted_files_for_no_account(client, agent, resident_user):
    client.force_login(agent)

    response = client.post(FORM, posted(usager=resident_user.pk))

    assert response.status_code == 404
    assert not Request.objects.exists()


@pytest.mark.usefixtures("catalogue")
def test_a_tampered_token_is_404(client, agent, resident_user, other_resident):
    client.force_login(agent)
    token = chosen_link(client, "jean.dupont@example.fr")

    forged = signing.dumps([other_resident.pk, agent.pk])  # signed, but not by the intake (another salt)

    assert client.get(FORM, {"usager": token[:-2] + "xx"}).status_code == 404
    assert client.get(FORM, {"usager": forged}).status_code == 404
    assert client.get(FORM, {"usager": "n-importe-quoi"}).status_code == 404


@pytest.mark.usefixtures("catalogue")
def test_the_search_result_link_files_for_that_resident(client, agent, resident_user):
    client.force_login(agent)
    token = chosen_link(client, "Dupont")
    start = client.get(START, {"q": "Dupont"}).content.decode()
    [linked] = re.findall(r"usager=([^\"&]+)", start)
    assert not linked.isdigit() and signing.loads(unquote(linked), salt=TOKEN_SALT)[0] == resident_user.pk

    form = client.get(FORM, {"usager": token})
    assert form.status_code == 200
    assert form.context["form"]["contact_name"].value() == "Jean Dupont"
    response = client.post(f"{FORM}?usager={token}", posted(usager=token))

    assert response.status_code == 302
    assert Request.objects.get().requester == resident_user


@pytest.mark.usefixtures("catalogue")
def test_a_token_is_bound_to_the_agent_who_searched(client, agent, colleague, resident_user):
    client.force_login(agent)
    token = chosen_link(client, "Dupont")
    client.force_login(colleague)

    assert client.get(FORM, {"usager": token}).status_code == 404
