"""Fixtures the guichet tests share (the cast — residents, agents, a manager — is in tests/conftest.py).

- `catalogue`: the demo catalogue, for modules that file requests of its services; such a module says
  `pytestmark = pytest.mark.usefixtures("catalogue")`, so it is loaded before any other fixture files one.
- `colleague`: a second agent of Tranquillité publique, beside the cast's `agent` (claims, assignments).
- `hdv`, `victor_hugo`: the two sites with a reception desk; `tranquillite`, `famille`: two espaces."""

import pytest

from requests_app.models import Espace, Site
from tests.accounts.factories import agent_of
from tests.guichet.factories import seed


@pytest.fixture
def catalogue(db):
    seed()


@pytest.fixture
def colleague(db):
    return agent_of("tranquillite", email="nadia.agent@bethune.fr", first_name="Nadia", last_name="Benali")


@pytest.fixture
def hdv(db):
    return Site.objects.get(code="hdv")


@pytest.fixture
def victor_hugo(db):
    return Site.objects.get(code="victor-hugo")


@pytest.fixture
def tranquillite(db):
    return Espace.objects.get(code="tranquillite")


@pytest.fixture
def famille(db):
    return Espace.objects.get(code="famille")
