"""The draft saved as one types (the htmx endpoint and its status fragment; the plain button still works),
the instructors' campaign pages (create, edit, bad input: a French message and nothing saved), the
instructor's actions with bad input, and the number of queries of the campaign and dossier lists."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from associations.models import Axis, Campaign, Dossier, DossierStatus, DossierVersion
from tests.accounts.factories import UserFactory, resident
from tests.associations.conftest import association_data, balanced_budget, filled_dossier
from tests.associations.test_services import admissible, submitted

pytestmark = pytest.mark.django_db


def _draft_post(dossier, campaign, **overrides) -> dict:
    post = {
        "title": dossier.title, "axis": campaign.axes.first().pk, "cash": "on",
        "objectives": "Aider 40 enfants", "public": "Enfants", "place": "Centre social",
        "amount_asked": "5000",
        **{f"b_{key}": value for key, value in balanced_budget().items()},
    }  # fmt: skip
    post.update(overrides)
    return post


# --- Drafts saved as they type ----------------------------------------------------------------------------


def test_the_dossier_form_posts_drafts_to_the_save_endpoint_and_keeps_its_button(
    client, association, campaign, president
):
    dossier = filled_dossier(association, campaign, president)
    client.force_login(president)
    page = client.get(reverse("associations:dossier", args=[dossier.pk])).content.decode()
    save_url = reverse("associations:dossier_autosave", args=[dossier.pk])
    assert f'hx-post="{save_url}"' in page
    assert 'hx-trigger="input changed delay:2s"' in page and 'hx-target="#brouillon-etat"' in page
    assert 'id="brouillon-etat" role="status"' in page
    assert 'name="action" value="save"' in page  # without JavaScript, the button saves the draft


def test_the_save_endpoint_saves_the_draft_and_answers_the_status_fragment(
    client, association, campaign, president, now
):
    dossier = filled_dossier(association, campaign, president)
    client.force_login(president)
    response = client.post(
        reverse("associations:dossier_autosave", args=[dossier.pk]),
        _draft_post(dossier, campaign, objectives="Aider 60 enfants"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode().strip()
    assert body == "Brouillon enregistré à 10:00"  # a fragment, not a page
    dossier.refresh_from_db()
    assert dossier.objectives == "Aider 60 enfants" and dossier.status == DossierStatus.DRAFT


def test_the_save_endpoint_refuses_bad_input_says_why_and_keeps_the_last_draft(
    client, association, campaign, president, now
):
    dossier = filled_dossier(association, campaign, president)
    client.force_login(president)
    response = client.post(
        reverse("associations:dossier_autosave", args=[dossier.pk]),
        _draft_post(dossier, campaign, objectives="Changé", b_60="3000,50"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Brouillon non enregistré" in body and "sans centimes" in body
    dossier.refresh_from_db()
    assert dossier.objectives == "Aider 40 enfants"


def test_the_save_endpoint_is_for_members_and_editable_dossiers_only(
    client, catalogue, association, campaign, president, now
):
    dossier = filled_dossier(association, campaign, president)
    url = reverse("associations:dossier_autosave", args=[dossier.pk])
    client.force_login(resident(email="voisin@example.fr"))
    assert client.post(url, _draft_post(dossier, campaign, objectives="Piraté")).status_code == 404
    client.force_login(president)
    assert client.get(url).status_code == 405
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.SUBMITTED)
    assert client.post(url, _draft_post(dossier, campaign, objectives="Après dépôt")).status_code == 404
    dossier.refresh_from_db()
    assert dossier.objectives == "Aider 40 enfants"


def test_without_javascript_the_draft_button_still_saves(client, association, campaign, president, now):
    dossier = filled_dossier(association, campaign, president)
    client.force_login(president)
    response = client.post(
        reverse("associations:dossier", args=[dossier.pk]),
        {**_draft_post(dossier, campaign), "action": "save"},
    )
    assert response.status_code == 302
    assert "Brouillon enregistré." in client.get(response.url).content.decode()


# --- Campaigns, by the instructors ------------------------------------------------------------------------


def _campaign_post(**overrides) -> dict:
    post = {
        "title": "Contrat de ville 2027", "year": "2027", "opens_on": "2027-01-10", "closes_on": "2027-03-31",
        "description": "Les trois enjeux", "axes-TOTAL_FORMS": "3", "axes-INITIAL_FORMS": "0",
        "axes-MIN_NUM_FORMS": "0", "axes-MAX_NUM_FORMS": "30",
        "axes-0-title": "Cohésion sociale", "axes-0-envelope": "40000",
        "axes-1-title": "Cadre de vie", "axes-1-envelope": "25 000",
        "axes-2-title": "", "axes-2-envelope": "",
    }  # fmt: skip
    post.update(overrides)
    return post


def test_an_instructor_creates_a_campaign_with_its_axes(client, instructor):
    client.force_login(instructor)
    assert client.get(reverse("associations:campaign_new")).status_code == 200
    response = client.post(reverse("associations:campaign_new"), _campaign_post())
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("associations:instruction_campaign", args=[campaign.pk])
    assert (campaign.title, campaign.year) == ("Contrat de ville 2027", 2027)
    assert (campaign.opens_on, campaign.closes_on) == (datetime.date(2027, 1, 10), datetime.date(2027, 3, 31))
    assert [(a.title, a.envelope) for a in campaign.axes.all()] == [
        ("Cohésion sociale", Decimal(40000)),
        ("Cadre de vie", Decimal(25000)),
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"closes_on": "2026-12-31"}, "La date de clôture doit suivre la date d&#x27;ouverture."),
        ({"axes-0-envelope": "40000,50"}, "sans centimes"),
        ({"axes-0-envelope": "beaucoup"}, "indiquez un montant en euros, en chiffres"),
        ({"axes-1-title": ""}, "Axe 2 : donnez un intitulé à l&#x27;axe."),
        ({"axes-1-title": "cohésion sociale"}, "Deux axes s&#x27;appellent"),
        (
            {"axes-0-title": "", "axes-0-envelope": "", "axes-1-title": "", "axes-1-envelope": ""},
            "Ajoutez au moins un axe avec son enveloppe.",
        ),
        ({"title": "  "}, "Ce champ est obligatoire."),
        ({"year": "1870"}, "Assurez-vous que cette valeur est supérieure ou égale à 2000."),
        ({"opens_on": "31/02/2027"}, "Saisissez une date valide."),
        ({"axes-0-axis_id": "999"}, "n&#x27;appartient pas à cette campagne"),
    ],
)
def test_a_bad_campaign_is_refused_in_french_and_nothing_is_saved(client, instructor, overrides, message):
    client.force_login(instructor)
    response = client.post(reverse("associations:campaign_new"), _campaign_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Campaign.objects.exists() and not Axis.objects.exists()


def test_an_instructor_edits_a_campaign_renames_adds_and_removes_axes(client, instructor, campaign):
    first, second = campaign.axes.all()
    client.force_login(instructor)
    url = reverse("associations:campaign_edit", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'value="Cohésion sociale"' in page and 'value="20000"' in page
    post = _campaign_post(
        **{
            "axes-TOTAL_FORMS": "3", "axes-INITIAL_FORMS": "2",
            "axes-0-axis_id": str(first.pk), "axes-0-title": "Cohésion sociale et citoyenneté",
            "axes-0-envelope": "22000",
            "axes-1-axis_id": str(second.pk), "axes-1-title": "", "axes-1-envelope": "",
            "axes-2-title": "Emploi", "axes-2-envelope": "8000",
        }
    )  # fmt: skip
    assert client.post(url, post).status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Contrat de ville 2027" and campaign.closes_on == datetime.date(2027, 3, 31)
    assert [(a.pk, a.title, a.envelope) for a in campaign.axes.all()] == [
        (first.pk, "Cohésion sociale et citoyenneté", Decimal(22000)),
        (Axis.objects.get(title="Emploi").pk, "Emploi", Decimal(8000)),
    ]


def test_an_axis_with_dossiers_cannot_be_removed_and_nothing_changes(
    client, instructor, association, campaign, president
):
    first, second = campaign.axes.all()
    filled_dossier(association, campaign, president)  # on the first axis
    client.force_login(instructor)
    post = _campaign_post(
        **{
            "title": "Renommée", "axes-INITIAL_FORMS": "2",
            "axes-0-axis_id": str(first.pk), "axes-0-title": "", "axes-0-envelope": "",
            "axes-1-axis_id": str(second.pk), "axes-1-title": "Cadre de vie", "axes-1-envelope": "12000",
        }
    )  # fmt: skip
    response = client.post(reverse("associations:campaign_edit", args=[campaign.pk]), post)
    assert response.status_code == 400
    assert "L&#x27;axe « Cohésion sociale » a déjà des dossiers : il ne peut pas être retiré." in (
        response.content.decode()
    )
    campaign.refresh_from_db()
    assert campaign.title == "Appel à projets 2026"
    assert [(a.title, a.envelope) for a in campaign.axes.all()] == [
        ("Cohésion sociale", Decimal(20000)),
        ("Cadre de vie", Decimal(10000)),
    ]


def test_the_campaign_pages_are_for_instructors_only(client, campaign, president):
    for user in (president, resident(email="x@y.fr"), UserFactory(email="autre@asso.fr")):
        client.force_login(user)
        assert client.get(reverse("associations:campaign_new")).status_code == 404
        assert client.post(reverse("associations:campaign_new"), _campaign_post()).status_code == 404
        assert client.get(reverse("associations:campaign_edit", args=[campaign.pk])).status_code == 404
    assert Campaign.objects.count() == 1


# --- The instructor's actions with bad input --------------------------------------------------------------


def _act(client, dossier, action, **data):
    return client.post(
        reverse("associations:instruction_dossier", args=[dossier.pk]), {"action": action, **data}
    )


@pytest.fixture
def instructing(client, catalogue, association, campaign, president, instructor):
    dossier = submitted(association, campaign, president)
    client.force_login(instructor)
    return dossier


def test_corrections_without_a_message_are_refused(client, instructing):
    response = _act(client, instructing, "corrections", message="   ")
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    instructing.refresh_from_db()
    assert instructing.status == DossierStatus.SUBMITTED


def test_an_opinion_before_admissibility_and_a_proposed_amount_with_cents_are_refused(
    client, instructing, instructor
):
    response = _act(client, instructing, "opinion", opinion="Favorable", proposed_amount="4000")
    assert response.status_code == 400
    assert "Action impossible : le dossier est « Déposé »." in response.content.decode()
    admissible(instructing, instructor)
    response = _act(client, instructing, "opinion", opinion="Favorable", proposed_amount="4000,50")
    assert response.status_code == 400
    assert "sans centimes" in response.content.decode()
    instructing.refresh_from_db()
    assert instructing.proposed_amount is None and instructing.opinion == ""


def test_a_decision_above_the_envelope_is_warned_and_saved_only_once_confirmed(
    client, association, campaign, president, instructor, catalogue
):
    dossier = admissible(submitted(association, campaign, president, town=25000), instructor)
    client.force_login(instructor)
    decision = {
        "outcome": "granted", "amount": "25000", "deliberation_number": "2026-12",
        "deliberation_on": "2026-06-20",
    }  # fmt: skip
    response = _act(client, dossier, "decision", **decision)
    assert response.status_code == 400
    assert "enveloppe" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.ADMISSIBLE and dossier.granted_amount is None
    assert _act(client, dossier, "decision", **decision, confirm_over_envelope="on").status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.GRANTED and dossier.granted_amount == 25000


def test_a_decision_missing_its_deliberation_or_with_cents_is_refused(client, instructing, instructor):
    admissible(instructing, instructor)
    response = _act(
        client, instructing, "decision", outcome="granted", amount="5000", deliberation_on="2026-06-20"
    )
    assert response.status_code == 400 and "Ce champ est obligatoire." in response.content.decode()
    response = _act(
        client,
        instructing,
        "decision",
        outcome="granted",
        amount="4999,99",
        deliberation_number="2026-12",
        deliberation_on="2026-06-20",
    )
    assert response.status_code == 400 and "sans centimes" in response.content.decode()
    instructing.refresh_from_db()
    assert instructing.status == DossierStatus.ADMISSIBLE and instructing.granted_amount is None
    assert not instructing.payments.exists()


def test_an_unknown_action_is_404_and_a_bad_admissibility_choice_is_refused(client, instructing):
    assert _act(client, instructing, "delete").status_code == 404
    response = _act(client, instructing, "admissibility", admissible="peut-être")
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    instructing.refresh_from_db()
    assert instructing.status == DossierStatus.SUBMITTED


def test_the_commission_without_a_checked_dossier_or_a_deliberation_saves_nothing(
    client, instructing, instructor, campaign
):
    admissible(instructing, instructor, 5000)
    url = reverse("associations:instruction_campaign", args=[campaign.pk])
    response = client.post(url, {"deliberation_number": "2026-12", "deliberation_on": "2026-06-20"})
    assert response.status_code == 400 and "Cochez au moins un dossier." in response.content.decode()
    response = client.post(url, {"dossiers": [instructing.pk], "deliberation_on": "2026-06-20"})
    assert response.status_code == 400 and "Ce champ est obligatoire." in response.content.decode()
    instructing.refresh_from_db()
    assert instructing.status == DossierStatus.ADMISSIBLE and instructing.decided_at is None


# --- Query counts -------------------------------------------------------------------------------------------


def _many_dossiers(campaign, president, instructor, count):
    from associations.services import association_create
    from tests.associations.conftest import upload_all

    for n in range(count):
        other = association_create(
            user=president, data=association_data(rna=f"W62300{n:04d}", name=f"Association {n}")
        )
        upload_all(other, president)
        dossier = submitted(other, campaign, president, title=f"Projet {n}")
        if n % 2:
            admissible(dossier, instructor, 1000)


@pytest.mark.parametrize("count", [2, 8])
def test_the_campaign_and_dossier_lists_do_not_grow_with_the_rows(
    client, catalogue, campaign, president, instructor, count, django_assert_max_num_queries, now
):
    """Measured at 2 and 8 dossiers: 5, 6, 8 and 10 queries (the session and the user included); one more
    allowed for the menu or the session. An N + 1 adds one query per row and fails at 8."""
    _many_dossiers(campaign, president, instructor, count)
    assert DossierVersion.objects.count() >= count
    client.force_login(instructor)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("associations:campaigns")).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(reverse("associations:instruction")).status_code == 200
    with django_assert_max_num_queries(9):
        response = client.get(reverse("associations:instruction_campaign", args=[campaign.pk]))
    assert response.status_code == 200 and response.content.decode().count("Projet ") >= count
    first = president.association_memberships.first().association
    for n in range(count):  # the association's own list of dossiers
        submitted(first, campaign, president, title=f"Autre projet {n}")
    client.force_login(president)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("associations:association", args=[first.pk]))
    assert response.status_code == 200 and response.content.decode().count("Autre projet") == count


# --- The association page's forms ------------------------------------------------------------------------


def test_each_open_campaign_has_its_own_new_dossier_form_and_a_closed_one_says_why(
    client, association, campaign, president, now
):
    later = Campaign.objects.create(
        year=2026,
        title="Fonds d'initiative",
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 3, 31),
    )
    client.force_login(president)
    page = client.get(reverse("associations:association", args=[association.pk])).content.decode()
    assert f'id="id_c{campaign.pk}_title"' in page and f'id="id_c{later.pk}_title"' in page
    closed = Campaign.objects.create(
        year=2025,
        title="Appel 2025",
        opens_on=datetime.date(2025, 1, 1),
        closes_on=datetime.date(2025, 3, 31),
    )
    response = client.post(
        reverse("associations:dossier_new", args=[association.pk, closed.pk]), {"title": "Projet tardif"}
    )
    assert response.status_code == 400
    assert "La campagne « Appel 2025 » est fermée (dépôt du 01/01/2025 au 31/03/2025)." in (
        response.content.decode()
    )
    assert not association.dossiers.exists()
