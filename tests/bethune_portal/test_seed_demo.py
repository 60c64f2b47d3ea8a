from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts import roles
from accounts.models import User
from demo.accounts import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_every_demo_account_verified_and_in_its_role():
    seed_demo()

    for email, first_name, last_name, role, _espaces in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert (user.first_name, user.last_name) == (first_name, last_name)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()


def test_seed_demo_gives_each_agent_their_espace(settings):
    seed_demo()

    for email, _first, _last, role, espace_codes in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert sorted(user.espaces.values_list("code", flat=True)) == sorted(espace_codes)
        if role == roles.AGENT:
            assert espace_codes, f"{email} is an agent without an espace"


def test_demo_accounts_log_in_with_the_demo_password(client, settings):
    seed_demo()

    for email, *_ in DEMO_ACCOUNTS:
        assert User.objects.get(email=email).check_password(settings.DEMO_PASSWORD)
    response = client.post(
        "/comptes/login/", {"login": "habitant@demo.bethune.fr", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="habitant@demo.bethune.fr").pk)


def test_seed_demo_run_twice_changes_nothing_the_second_time():
    seed_demo()
    counts = (User.objects.count(), EmailAddress.objects.count())
    memberships = {
        user.email: set(user.espaces.values_list("code", flat=True)) for user in User.objects.all()
    }

    output = seed_demo()

    assert (User.objects.count(), EmailAddress.objects.count()) == counts == (len(DEMO_ACCOUNTS),) * 2
    assert {user.email: set(user.espaces.values_list("code", flat=True)) for user in User.objects.all()} == (
        memberships
    )
    assert "habitant@demo.bethune.fr" in output


def test_seed_demo_refuses_to_run_with_production_settings(settings):
    settings.PORTAL_ENV = "prod"

    with pytest.raises(CommandError, match="production"):
        seed_demo()

    assert not User.objects.exists()
