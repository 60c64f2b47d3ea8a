"""Production settings are checked in fresh processes, as an operator starts them: the environment
is the only input, and every start-up failure must be one line that says what to set."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")
OUR_VARIABLES = [
    "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL",
    "SITE_URL", "CSRF_TRUSTED_ORIGINS", "SECURE_SSL_REDIRECT", "DEBUG", "MEDIA_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for Playwright by tests/e2e/conftest.py; check --deploy rejects it
]  # fmt: skip
UNREACHABLE_POSTGRES = "postgres://postgres@127.0.0.1:1/x"  # port 1: the connection is refused at once


@pytest.fixture
def prod_env(tmp_path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in OUR_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="bethune_portal.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="services.bethune.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in lines[0]


def test_deploy_check_is_clean_under_production_settings(prod_env):
    result = manage("check", "--deploy", env=prod_env)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
    assert result.stderr == ""


def test_production_refuses_to_start_without_a_secret_key_in_one_line(prod_env):
    del prod_env["SECRET_KEY"]

    result = manage("check", "--deploy", env=prod_env)

    assert_one_line_error(result, "SECRET_KEY")


def test_production_refuses_to_start_without_allowed_hosts_in_one_line(prod_env):
    del prod_env["ALLOWED_HOSTS"]

    result = manage("check", env=prod_env)

    assert_one_line_error(result, "ALLOWED_HOSTS")


@pytest.mark.parametrize("database_url", ["postgres//oops", "nonsense://x"])
def test_a_malformed_database_url_is_reported_in_one_line(prod_env, database_url):
    prod_env["DATABASE_URL"] = database_url

    result = manage("check", env=prod_env)

    assert_one_line_error(result, "DATABASE_URL", database_url)


@pytest.mark.parametrize("settings_module", ["bethune_portal.settings.prod", "bethune_portal.settings.dev"])
def test_migrate_against_an_unreachable_database_fails_in_one_line(prod_env, settings_module):
    prod_env.update(DJANGO_SETTINGS_MODULE=settings_module, DATABASE_URL=UNREACHABLE_POSTGRES)

    result = manage("migrate", "--noinput", env=prod_env)

    assert_one_line_error(result, "base de données injoignable", "DATABASE_URL")


def test_the_wsgi_entry_point_fails_in_one_line_without_a_secret_key(prod_env):
    # What gunicorn imports: the same one-line message as manage.py.
    del prod_env["SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, "-c", "import bethune_portal.wsgi"],
        env=prod_env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert_one_line_error(result, "SECRET_KEY")
