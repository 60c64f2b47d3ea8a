import datetime
from zoneinfo import ZoneInfo

import pytest

from appointments.models import Agenda, AgendaOpening, Motif
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Service, Site
from tests.accounts.factories import agent_of

PARIS = ZoneInfo("Europe/Paris")
# Monday 16 March 2026, 10:00 in Béthune: two weeks before the spring daylight-saving change (29 March).
NOW = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def agent(db):
    """An agent of the espaces the agendas belong to: Citoyenneté (CNI and passport) and Famille (PACS), as in
    requests_app/catalogue_seed.py. Agents see the agendas of their espaces only."""
    return agent_of(
        "citoyen", "famille", email="luc.agent@bethune.fr", first_name="Luc", last_name="Delattre"
    )


@pytest.fixture
def outsider_agent(db):
    """An agent of the Tranquillité publique espace: no agenda of theirs, a 404 on every other one."""
    return agent_of("tranquillite", email="nina.agent@bethune.fr", first_name="Nina", last_name="Roussel")


@pytest.fixture
def catalogue(db):
    catalogue_seed()
    return {
        service.code: service
        for service in Service.objects.filter(code__in=["rdv-cni-passeport", "rdv-pacs"])
    }


@pytest.fixture
def hdv(db):
    return Site.objects.get(code="hdv")


@pytest.fixture
def agenda(catalogue, hdv):
    """CNI at the Hôtel de Ville: 20-minute slots, 2 counters, families up to 2, site hours."""
    return Agenda.objects.create(
        motif=Motif.CNI,
        site=hdv,
        service=catalogue["rdv-cni-passeport"],
        slot_minutes=20,
        seats=2,
        max_people=2,
        min_delay_hours=24,
        max_delay_days=60,
        cancel_cutoff_hours=24,
        ants_required=True,
        documents="Photo d'identité de moins de 6 mois\nJustificatif de domicile",
    )


@pytest.fixture
def pacs_agenda(catalogue, hdv):
    agenda = Agenda.objects.create(
        motif=Motif.PACS,
        site=hdv,
        service=catalogue["rdv-pacs"],
        slot_minutes=45,
        seats=1,
        max_people=1,
        min_delay_hours=24,
        max_delay_days=90,
        documents="Convention de PACS\nActe de naissance de moins de 3 mois",
    )
    AgendaOpening.objects.create(agenda=agenda, weekday=1, opens=datetime.time(14), closes=datetime.time(17))
    return agenda
