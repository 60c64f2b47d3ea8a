"""The shared cast (docs/style.md) and the rule for tests that need real services: skipped with a reason when
the service is absent on a developer's machine, failed in CI (CI=true), where .ci/run provides them all."""

import os
import shutil

import pytest
from django.conf import settings
from django.db import connection

from tests.accounts.factories import UserFactory, agent_of, manager, resident

pytest_plugins = ["tests.plugins.pg_summary", "tests.browser"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _redis_up() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _missing(marker: str) -> str | None:
    """Why a test with this marker cannot run here, or None when it can."""
    if marker == "postgres" and connection.vendor != "postgresql":
        return "PostgreSQL requis : définir DATABASE_URL=postgres://…"
    if marker in {"redis", "worker"} and not _redis_up():
        return "Redis requis : définir REDIS_URL=redis://127.0.0.1:6379/… (serveur joignable)"
    if marker == "browser" and not shutil.which(os.environ.get("CHROMIUM", "/usr/bin/chromium")):
        return "Chromium requis : apt-get install chromium"
    if marker == "smtp" and not settings.configured:
        return "réglages Django absents"
    return None


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "worker", "browser"):
        if item.get_closest_marker(marker):
            reason = _missing(marker)
            if reason:
                if IN_CI:
                    pytest.fail(f"{reason} (en CI, aucun test n'est sauté)")
                pytest.skip(reason)


def ensure_reference_data() -> None:
    """Roles and the town's reference data come from data migrations; a transactional test (browser, worker,
    race) empties every table when it ends, so the next tests would find none. Reload them when missing
    (the migration functions are idempotent)."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    from accounts import roles
    from requests_app.models import Espace

    if not Group.objects.filter(name=roles.RESIDENT).exists():
        import_module("accounts.migrations.0002_roles").create_roles(apps, None)
    if not Espace.objects.exists():
        import_module("requests_app.migrations.0002_reference_data").load(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if names & {"transactional_db", "live_server"} or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    ensure_reference_data()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters and cached menus must not leak from one test into the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Each test writes its uploads and PDFs in its own folder.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def resident_user(db):
    return resident(email="jean.dupont@example.fr", first_name="Jean", last_name="Dupont")


@pytest.fixture
def other_resident(db):
    return resident(email="marie.lefebvre@example.fr", first_name="Marie", last_name="Lefebvre")


@pytest.fixture
def agent(db):
    """An agent of the Tranquillité publique espace."""
    return agent_of("tranquillite", email="luc.agent@bethune.fr", first_name="Luc", last_name="Delattre")


@pytest.fixture
def other_agent(db):
    """An agent of the Famille espace: must not see Tranquillité publique's requests."""
    return agent_of("famille", email="sophie.agent@bethune.fr", first_name="Sophie", last_name="Martin")


@pytest.fixture
def manager_user(db):
    return manager(email="responsable@bethune.fr")


@pytest.fixture
def association_president(db):
    from accounts import roles

    return UserFactory(email="presidente@asso.fr", roles=[roles.ASSOCIATION_MEMBER])
