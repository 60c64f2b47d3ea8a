"""axe-core over the pages the journeys do not stop on: legal pages, login, the filing confirmation, the
"check your mailbox" and email-confirmation pages, the tracking page, the guichet's intake steps, a bulk
action's summary and the visits pages. Each must show no WCAG 2.1 AA violation, at phone and desktop
widths."""

import pytest

from guichet.services.bulk import bulk_apply
from requests_app.catalogue_seed import catalogue_seed
from requests_app.links import confirm_token, tracking_token
from requests_app.models import Service, Street
from requests_app.services import FilingData, request_file_anonymous, request_submit
from tests.accounts.factories import PASSWORD, agent_of, resident
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login

pytestmark = pytest.mark.browser

PUBLIC = [
    "/mentions-legales/",
    "/accessibilite/",
    "/donnees-personnelles/",
    "/comptes/login/",
    "/comptes/password/reset/",
    "/demarches/nid-de-poule/verifiez-vos-courriels/",
    "/mes-donnees/compte-supprime/",
]


@pytest.mark.parametrize("width", [390, 1280])
def test_public_pages_have_no_accessibility_violation(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in PUBLIC:
        page.goto(path)
        assert_no_axe_violations(page)


def test_resident_confirmation_and_tracking_pages_have_no_accessibility_violation(page, live_server):
    catalogue_seed()
    jean = resident(email="jean.dupont@example.fr", first_name="Jean", last_name="Dupont")
    service = Service.objects.get(code="nid-de-poule")
    filed = request_submit(
        service=service,
        requester=jean,
        data=FilingData(description="Trou dans la chaussée", street=Street.objects.get(name="rue Hoche")),
    )
    anonymous = request_file_anonymous(
        service=service,
        data=FilingData(
            description="Tag sur le mur",
            street=Street.objects.get(name="rue Carnot"),
            contact_name="Paul Durand",
            contact_email="paul.durand@example.fr",
        ),
    )

    page.goto(f"/mes-demandes/confirmer/{confirm_token(anonymous)}/")
    assert_no_axe_violations(page)
    page.goto(f"/mes-demandes/suivi/{tracking_token(anonymous)}/")
    assert_no_axe_violations(page)

    login(page, live_server, jean.email, PASSWORD)
    page.goto(f"/mes-demandes/{filed.reference}/confirmation/")
    assert_no_axe_violations(page)


def test_guichet_secondary_pages_have_no_accessibility_violation(page, live_server):
    catalogue_seed()
    agent = agent_of("tranquillite", email="luc.agent@bethune.fr", first_name="Luc", last_name="Delattre")
    jean = resident(email="jean.dupont@example.fr", first_name="Jean", last_name="Dupont")
    filed = request_submit(
        service=Service.objects.get(code="eclairage-public"),
        requester=jean,
        data=FilingData(description="Tag", street=Street.objects.get(name="rue Hoche")),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, agent.email, PASSWORD)
    for path in [
        "/guichet/saisie/",
        "/guichet/saisie/?q=dupont",
        f"/guichet/saisie/enregistree/{filed.reference}/",
        "/guichet/accueil/",
        "/guichet/accueil/arrivee/",
        "/rendez-vous/agents/",
    ]:
        page.goto(path)
        assert_no_axe_violations(page)

    # A bulk action's summary.
    result = bulk_apply(agent=agent, references=[filed.reference], action="assign", assignee=agent)
    assert result.done == [filed.reference]
    page.goto("/guichet/?onglet=mes-demandes")
    page.check(f"#sel-{filed.reference}")
    page.select_option("#bulk-action", "close")
    page.fill("#bulk-message", "Le tag a été effacé ce matin.")
    page.get_by_role("button", name="Appliquer aux demandes sélectionnées").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 demande traitée").is_visible()
    assert_no_axe_violations(page)
