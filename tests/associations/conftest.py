import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from associations.models import DocumentType, MemberRole, Membership
from associations.services import (
    AssociationData,
    DossierData,
    association_create,
    campaign_create,
    document_upload,
    dossier_create,
    dossier_save,
)
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Quartier
from tests.accounts.factories import UserFactory, agent_of

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VALID_SIRET = "73282932000074"
VALID_IBAN = "FR7630006000011234567890189"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def catalogue(db):
    catalogue_seed()


@pytest.fixture
def president(db):
    from accounts import roles

    return UserFactory(
        email="presidente@asso.fr", first_name="Claire", last_name="Vasseur", roles=[roles.ASSOCIATION_MEMBER]
    )


@pytest.fixture
def instructor(db):
    return agent_of("vielocale", email="instructeur@bethune.fr", first_name="Paul", last_name="Leroy")


def association_data(**overrides) -> AssociationData:
    values = {
        "name": "Les Amis du Mont-Liébaut",
        "rna": "W623001234",
        "address": "rue de Lille, 62400 Béthune",
        "purpose": "Animation de quartier",
        "email": "contact@amis.example.fr",
        "siret": VALID_SIRET,
        "iban": VALID_IBAN,
    }
    values.update(overrides)
    return AssociationData(**values)


def upload_all(association, user, valid_until=datetime.date(2027, 1, 31)):
    for doc_type in DocumentType:
        document_upload(
            association=association,
            user=user,
            doc_type=doc_type.value,
            upload=SimpleUploadedFile("piece.pdf", PDF, content_type="application/pdf"),
            valid_until=valid_until,
        )


@pytest.fixture
def association(president, now):
    association = association_create(user=president, data=association_data())
    upload_all(association, president)
    return association


@pytest.fixture
def campaign(db, now):
    return campaign_create(
        year=2026,
        title="Appel à projets 2026",
        opens_on=datetime.date(2026, 1, 15),
        closes_on=datetime.date(2026, 4, 30),
        axes=[("Cohésion sociale", Decimal(20000)), ("Cadre de vie", Decimal(10000))],
    )


def balanced_budget(town=5000, **overrides) -> dict:
    """Charges 60 + 61 + 64 + 86 = produits 70 + 74 (État, commune) + 87, the town's line being `town`."""
    grid = {
        "60": 3000,
        "61": 2000,
        "64": town,
        "86": 800,
        "70": 1000,
        "74_etat": 4000,
        "74_commune": town,
        "87": 800,
    }
    grid.update(overrides)
    return {key: str(value) for key, value in grid.items()}


def dossier_data(campaign, title="Soutien scolaire", town=5000, **overrides) -> DossierData:
    values = {
        "title": title,
        "axis_id": campaign.axes.first().pk,
        "objectives": "Aider 40 enfants",
        "public": "Enfants du quartier",
        "quartier_ids": list(Quartier.objects.filter(qpv_code__gt="").values_list("pk", flat=True)[:1]),
        "starts_on": datetime.date(2026, 9, 1),
        "ends_on": datetime.date(2027, 6, 30),
        "place": "Centre social",
        "indicators": "Nombre d'enfants suivis",
        "hr": {"benevoles": {"count": "6", "etp": "0,5"}, "salaries": {"count": "1", "etp": "0.8"}},
        "budget": balanced_budget(town),
        "amount_asked": str(town),
        "sworn_name": "Claire Vasseur",
        "sworn_quality": "Présidente",
        "sworn_on": datetime.date(2026, 3, 16),
        "sworn": True,
    }
    values.update(overrides)
    return DossierData(**values)


def filled_dossier(association, campaign, user, title="Soutien scolaire", town=5000, **overrides):
    dossier = dossier_create(association=association, campaign=campaign, user=user, title=title)
    return dossier_save(
        dossier=dossier, user=user, data=dossier_data(campaign, title=title, town=town, **overrides)
    )


def member(association, user, role=MemberRole.MEMBER):
    return Membership.objects.create(association=association, user=user, role=role)
