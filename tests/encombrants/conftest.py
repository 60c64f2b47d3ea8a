import datetime
from zoneinfo import ZoneInfo

import pytest

from encombrants.models import Config, Sector
from encombrants.seed import encombrants_seed
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Street
from tests.accounts.factories import agent_of

PARIS = ZoneInfo("Europe/Paris")
# Monday 16 March 2026, 10:00 in Béthune.
NOW = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)
# Thursday 19 March 2026: cut-off Wednesday 18 at noon.
DAY = datetime.date(2026, 3, 19)


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def seeded(db):
    catalogue_seed()
    encombrants_seed()
    return Config.current()


@pytest.fixture
def centre(seeded):
    return Sector.objects.get(code="centre")


@pytest.fixture
def hoche(db):
    return Street.objects.get(name="rue Hoche")


@pytest.fixture
def crew(db):
    """An agent of the Vie locale espace, which handles the pickups (requests_app/catalogue_seed.py)."""
    return agent_of("vielocale", email="crew.agent@bethune.fr", first_name="Paul", last_name="Lenoir")


@pytest.fixture
def outsider_agent(db):
    return agent_of("tranquillite", email="nina.agent@bethune.fr", first_name="Nina", last_name="Roussel")
