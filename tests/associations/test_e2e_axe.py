"""axe-core (WCAG 2.1 A and AA) on every page of the associations app, for each role that sees it: an
anonymous visitor (the campaign calendar, open data), a member of the association (the treasurer), its
president, an instructor. Also a few refused forms (errors shown), since a page with errors is a page.
One browser test per role; each visits its pages and reports every violation of every page at once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import roles
from associations.models import MemberRole, Membership
from associations.services import (
    association_create,
    campaign_create,
    dossier_admissibility,
    dossier_create,
    dossier_decide,
    dossier_opinion,
    dossier_save,
    dossier_submit,
    invitation_create,
    invitation_token,
)
from requests_app.catalogue_seed import catalogue_seed
from tests.accounts.factories import PASSWORD, UserFactory, agent_of, resident
from tests.associations.conftest import association_data, dossier_data, upload_all
from tests.browser import login
from tests.e2e.axe import axe_violations, format_violations

pytestmark = pytest.mark.browser


class World:
    """Relative to today (the browser's clock is the real one: a frozen server clock would send expired
    session cookies)."""

    def __init__(self):
        catalogue_seed()
        today = timezone.localdate()
        self.year = today.year
        self.campaign = campaign_create(
            year=today.year,
            title=f"Appel à projets {today.year}",
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=30),
            axes=[("Cohésion sociale", Decimal(20000)), ("Cadre de vie", Decimal(10000))],
        )
        campaign_create(
            year=today.year + 1,
            title=f"Appel à projets {today.year + 1}",
            opens_on=today + datetime.timedelta(days=60),
            closes_on=today + datetime.timedelta(days=90),
            axes=[("Cohésion sociale", Decimal(20000))],
        )
        self.president = UserFactory(
            email="presidente@asso.fr",
            first_name="Claire",
            last_name="Vasseur",
            roles=[roles.ASSOCIATION_MEMBER],
        )
        self.treasurer = resident(email="tresorier@asso.fr", first_name="Marc", last_name="Dubois")
        self.instructor = agent_of(
            "vielocale", email="instructeur@bethune.fr", first_name="Paul", last_name="Leroy"
        )
        self.invited = resident(email="secretaire@asso.fr", first_name="Léa", last_name="Martin")
        self.association = association_create(user=self.president, data=association_data())
        upload_all(self.association, self.president, valid_until=today + datetime.timedelta(days=300))
        Membership.objects.create(
            association=self.association, user=self.treasurer, role=MemberRole.TREASURER
        )
        invitation = invitation_create(
            association=self.association, by=self.president, email=self.invited.email, role="secretaire"
        )
        self.invitation_token = invitation_token(invitation)
        self.draft = self._dossier("Atelier vélo", submit=False)
        self.submitted = self._dossier("Soutien scolaire")
        self.admissible = self._dossier("Fête de quartier")
        dossier_admissibility(dossier=self.admissible, agent=self.instructor, admissible=True)
        dossier_opinion(
            dossier=self.admissible, agent=self.instructor, opinion="Favorable", proposed_amount="4000"
        )
        self.granted = self._dossier("Jardin partagé", town=8000)
        dossier_admissibility(dossier=self.granted, agent=self.instructor, admissible=True)
        dossier_decide(
            dossier=self.granted,
            agent=self.instructor,
            outcome="granted",
            amount="8000",
            deliberation_number="DEL-42",
            deliberation_on=today,
            instalments=True,
        )
        for dossier in (self.draft, self.submitted, self.admissible, self.granted):
            dossier.refresh_from_db()

    def _dossier(self, title, town=5000, submit=True):
        today = timezone.localdate()
        dossier = dossier_create(
            association=self.association, campaign=self.campaign, user=self.president, title=title
        )
        dossier_save(
            dossier=dossier,
            user=self.president,
            data=dossier_data(
                self.campaign,
                title=title,
                town=town,
                starts_on=today + datetime.timedelta(days=30),
                ends_on=today + datetime.timedelta(days=200),
                sworn_on=today,
            ),
        )
        return dossier_submit(dossier=dossier, user=self.president) if submit else dossier


def _pages(w: World, role: str) -> list[str]:
    a, c = w.association.pk, w.campaign.pk
    anonymous = [
        "/associations/",
        "/associations/campagnes/",
        f"/associations/subventions-accordees/{w.year}/",
    ]
    common = [*anonymous, f"/associations/{a}/", f"/associations/{a}/modifier/", "/associations/creer/"]
    dossiers = [f"/associations/dossiers/{d.pk}/" for d in (w.draft, w.submitted, w.admissible, w.granted)]
    return {
        "anonyme": anonymous,
        "membre": [*common, *dossiers, f"/associations/dossiers/{w.granted.pk}/compte-rendu/"],
        "presidente": [*common, *dossiers, f"/associations/dossiers/{w.granted.pk}/compte-rendu/"],
        "invitee": [
            f"/associations/invitation/{w.invitation_token}/",
            "/associations/invitation/lien-modifie/",
            "/associations/",
            "/associations/creer/",
        ],
        "instructeur": [
            "/associations/",
            "/associations/instruction/",
            f"/associations/instruction/campagne/{c}/",
            f"/associations/instruction/campagne/{c}/?statut=admissible&q=f%C3%AAte",
            "/associations/instruction/campagnes/nouvelle/",
            f"/associations/instruction/campagne/{c}/modifier/",
            *[f"/associations/instruction/dossier/{d.pk}/" for d in (w.submitted, w.admissible, w.granted)],
        ],
    }[role]


def _user(w: World, role: str):
    return {
        "membre": w.treasurer,
        "presidente": w.president,
        "invitee": w.invited,
        "instructeur": w.instructor,
    }.get(role)


def _refused_forms(page, base: str, w: World, role: str) -> list[str]:
    """Submit a few forms wrongly, so that their error states are checked too; returns the pages' names."""
    if role == "presidente":
        page.goto(f"{base}/associations/dossiers/{w.draft.pk}/")
        page.locator("#b_60").fill("12,50")
        page.get_by_role("button", name="Enregistrer le brouillon").click()
        assert page.locator("#erreur").count() == 1
        yield "dossier refusé"
        page.goto(f"{base}/associations/{w.association.pk}/")
        page.get_by_role("button", name="Envoyer l'invitation").click()
        yield "invitation refusée"
        page.get_by_role("button", name="Déposer", exact=True).click()
        yield "pièce refusée"
        page.goto(f"{base}/associations/creer/")
        page.get_by_role("button", name="Enregistrer").click()
        yield "association refusée"
        page.goto(f"{base}/associations/{w.association.pk}/")
        page.get_by_role("button", name="Commencer le dossier").click()
        yield "nouveau dossier refusé"
        page.goto(f"{base}/associations/dossiers/{w.granted.pk}/compte-rendu/")
        page.locator("#b_60").fill("douze")
        page.get_by_role("button", name="Déposer le compte-rendu").click()
        yield "compte-rendu refusé"
    if role == "instructeur":
        page.goto(f"{base}/associations/instruction/campagnes/nouvelle/")
        page.get_by_role("button", name="Enregistrer la campagne").click()
        yield "campagne refusée"
        page.goto(f"{base}/associations/instruction/dossier/{w.admissible.pk}/")
        page.get_by_role("button", name="Enregistrer la décision").click()
        yield "décision refusée"
        page.goto(f"{base}/associations/instruction/campagne/{w.campaign.pk}/")
        page.get_by_role("button", name="Décider les dossiers cochés").click()
        yield "commission refusée"


@pytest.mark.parametrize("role", ["anonyme", "membre", "presidente", "invitee", "instructeur"])
def test_axe_reports_no_violation_on_the_pages_of_each_role(page, live_server, role):
    w = World()
    base = live_server.url
    page.set_default_timeout(5000)
    if (user := _user(w, role)) is not None:
        login(page, live_server, user.email, PASSWORD)
    found = []
    for path in _pages(w, role):
        response = page.goto(f"{base}{path}")
        expected = 404 if "lien-modifie" in path else 200
        assert response.status == expected, (path, response.status)
        if violations := axe_violations(page):
            found.append(format_violations(violations))
    for name in _refused_forms(page, base, w, role):
        if violations := axe_violations(page):
            found.append(f"[{name}] " + format_violations(violations))
    assert not found, "\n".join(found)
