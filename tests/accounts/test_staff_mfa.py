"""Issue #20, point 1: staff sign in through one door (allauth's, rate-limited, MFA), enrol TOTP before
any back-office page, lose their session after 30 minutes idle; only administrators are `is_staff`;
sign-ins and failed sign-ins are logged for the administrators.

The test settings switch the second factor off (other tests sign agents in with force_login); these
tests switch it on through the `settings` fixture."""

import os
import secrets
import time
from importlib import import_module

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, format_hotp_value, hotp_value
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts import mfa_required, roles
from accounts.models import SignInEvent, User
from tests.accounts.factories import PASSWORD, UserFactory, supervisor
from tests.bethune_portal.test_settings import OUR_VARIABLES, manage

pytestmark = pytest.mark.django_db

ACTIVATE = reverse("mfa_activate_totp")
GUICHET = reverse("guichet:queue")


@pytest.fixture
def mfa_on(settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = True
    # One period either side: a code computed just before a 30-second boundary still passes.
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@bethune.fr", roles=[roles.ADMINISTRATOR], is_staff=True, is_superuser=True)


@pytest.fixture
def administrator(db):
    return UserFactory(email="admin@bethune.fr", roles=[roles.ADMINISTRATOR], is_staff=True)


def totp_code(secret: str) -> str:
    """What the agent's authenticator app shows now (allauth's own HOTP helpers, RFC 6238)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def password_login(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def enrol_totp(user: User) -> str:
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


# --- One door ---


def test_the_admin_login_page_sends_to_allauths_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response["Location"]


def test_posting_a_password_to_the_admin_login_no_longer_signs_in(client, administrator):
    response = client.post("/admin/login/", {"username": administrator.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert signed_in_user_id(client) is None
    assert client.get("/admin/").status_code == 302


def test_an_enrolled_agent_signs_in_with_a_password_and_a_code(client, agent, mfa_on):
    secret = enrol_totp(agent)

    response = password_login(client, agent.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None  # the password alone is not enough

    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    assert signed_in_user_id(client) is None

    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert signed_in_user_id(client) == str(agent.pk)
    assert client.get(GUICHET).status_code == 200


# --- Enrolment before any back-office page ---


@pytest.mark.parametrize("path", [GUICHET, "/admin/", "/", reverse("requests_app:my_requests")])
def test_staff_without_an_authenticator_are_sent_to_enrol(client, administrator, mfa_on, path):
    client.force_login(administrator)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_an_agent_without_an_authenticator_is_sent_to_enrol_from_the_guichet(client, agent, mfa_on):
    client.force_login(agent)
    response = client.get(GUICHET)
    assert (response.status_code, response["Location"]) == (302, ACTIVATE)


def test_htmx_requests_are_told_to_load_the_enrolment_page(client, agent, mfa_on):
    client.force_login(agent)
    response = client.get(GUICHET, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == ACTIVATE


@pytest.mark.parametrize(
    "name", ["healthz", "privacy", "account_logout", "mfa_index", "account_change_password"]
)
def test_the_pages_needed_to_enrol_or_leave_stay_open(client, agent, mfa_on, name):
    client.force_login(agent)
    response = client.get(reverse(name))
    assert response.status_code != 302 or response["Location"] != ACTIVATE


def test_an_agent_enrols_totp_with_recovery_codes_then_opens_the_guichet(client, agent, mfa_on):
    assert password_login(client, agent.email).status_code == 302
    assert client.get(GUICHET)["Location"] == ACTIVATE

    # allauth asks for the password again before an authenticator is added (MFA_REAUTHENTICATION_REQUIRED).
    response = client.get(ACTIVATE)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == ACTIVATE

    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # the key is shown for typing, beside the QR code

    response = client.post(ACTIVATE, {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    kinds = set(Authenticator.objects.filter(user=agent).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    codes = RecoveryCodes(Authenticator.objects.get(user=agent, type=Authenticator.Type.RECOVERY_CODES))
    assert len(codes.get_unused_codes()) == 10
    recovery_page = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.get_unused_codes()[0] in recovery_page.content.decode()

    assert client.get(GUICHET).status_code == 200


def test_a_resident_is_never_sent_to_enrol(client, resident_user, mfa_on):
    client.force_login(resident_user)
    for path in ["/", reverse("requests_app:my_requests"), reverse("requests_app:catalogue")]:
        assert client.get(path).status_code == 200, path
    assert client.get(GUICHET).status_code == 404


def test_the_demo_switch_lets_staff_in_without_a_second_factor(client, agent, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = False
    client.force_login(agent)
    assert client.get(GUICHET).status_code == 200


def test_production_settings_always_require_the_second_factor(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in OUR_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="bethune_portal.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="services.bethune.fr",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        STAFF_MFA_REQUIRED="false",
    )
    code = "from django.conf import settings; print(settings.PORTAL_STAFF_MFA_REQUIRED)"
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


# --- Idle expiry ---


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_staff_session_expires_after_30_minutes_idle_and_slides(client, agent):
    response = password_login(client, agent.email)
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert client.session.get_expiry_age() == 30 * 60
    first = session_row(client).expire_date

    client.get(GUICHET)  # within the minute: the session is not rewritten
    assert session_row(client).expire_date == first

    session = client.session
    session[mfa_required.SEEN_KEY] = int(time.time()) - 120  # the last rewrite was two minutes ago
    session.save()
    client.get(GUICHET)
    assert session_row(client).expire_date > first
    assert client.session.get_expiry_age() == 30 * 60


def test_an_idle_staff_session_is_over(client, agent):
    client.force_login(agent)
    client.get(GUICHET)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=session_row(client).expire_date.replace(year=2000)
    )
    assert client.get(GUICHET).status_code == 404  # anonymous now: the back office does not exist


def test_a_resident_session_keeps_the_default_age(client, resident_user, settings):
    password_login(client, resident_user.email)
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert mfa_required.SEEN_KEY not in client.session


# --- Sign-in log ---


def test_sign_ins_and_failed_sign_ins_are_logged(client, agent):
    password_login(client, agent.email, "mauvais-mot-de-passe")
    password_login(client, "inconnu@example.fr", "mauvais-mot-de-passe")
    password_login(client, agent.email)

    rows = list(SignInEvent.objects.order_by("pk").values_list("email", "user", "ip", "success"))
    assert rows == [
        (agent.email, agent.pk, "127.0.0.1", False),
        ("inconnu@example.fr", None, "127.0.0.1", False),
        (agent.email, agent.pk, "127.0.0.1", True),
    ]


def test_administrators_read_the_sign_in_log_and_admin_changes_without_editing_them(
    client, administrator, superuser
):
    client.force_login(superuser)
    client.post(reverse("admin:auth_group_add"), {"name": "Essai"})  # an admin change, kept by LogEntry
    entry = LogEntry.objects.get(object_repr="Essai")
    event = SignInEvent.objects.create(email="x@example.fr", ip="10.0.0.1", success=False)

    client.force_login(administrator)  # the role, not a superuser
    for name in ("accounts_signinevent", "admin_logentry"):
        page = client.get(reverse(f"admin:{name}_changelist"))
        assert page.status_code == 200
        assert client.get(reverse(f"admin:{name}_add")).status_code == 403
    assert "x@example.fr" in client.get(reverse("admin:accounts_signinevent_changelist")).content.decode()
    assert "Essai" in client.get(reverse("admin:admin_logentry_changelist")).content.decode()
    delete = reverse("admin:accounts_signinevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:admin_logentry_change", args=[entry.pk]), {}).status_code == 403
    assert SignInEvent.objects.filter(pk=event.pk).exists()


def test_only_administrators_open_the_admin(client):
    boss = supervisor(email="chef@bethune.fr")
    client.force_login(boss)
    assert not boss.is_staff
    # The admin sends to its login, which answers 404 to a signed-in account that is not an administrator:
    # the back office never confirms it exists (accounts.access.admin_login).
    assert client.get("/admin/", follow=True).status_code == 404
    assert client.get(reverse("admin:accounts_signinevent_changelist"), follow=True).status_code == 404


# --- is_staff for administrators only ---


def test_is_staff_follows_the_administrators_role():
    assert roles.staff_flag(is_superuser=False, role_names=[roles.ADMINISTRATOR])
    assert roles.staff_flag(is_superuser=True, role_names=[])
    for role in (roles.AGENT, roles.SUPERVISOR, roles.MANAGER, roles.RESIDENT, roles.ASSOCIATION_MEMBER):
        assert not roles.staff_flag(is_superuser=False, role_names=[role])


def test_the_migration_keeps_is_staff_for_administrators_only():
    boss = UserFactory(roles=[roles.SUPERVISOR], is_staff=True)
    head = UserFactory(roles=[roles.MANAGER], is_staff=True)
    admin = UserFactory(roles=[roles.ADMINISTRATOR], is_staff=False)
    root = UserFactory(roles=[], is_staff=False, is_superuser=True)

    import_module("accounts.migrations.0004_staff_only_administrators").staff_only_administrators(apps, None)

    staff = dict(
        User.objects.filter(pk__in=[boss.pk, head.pk, admin.pk, root.pk]).values_list("pk", "is_staff")
    )
    assert staff == {boss.pk: False, head.pk: False, admin.pk: True, root.pk: True}


def test_the_demo_accounts_make_only_the_administrator_staff():
    from demo.accounts import demo_accounts_seed

    demo_accounts_seed(password="demo-bethune")
    staff = set(
        User.objects.filter(email__endswith="@demo.bethune.fr", is_staff=True).values_list("email", flat=True)
    )
    assert staff == {"admin@demo.bethune.fr"}


def test_the_admin_sets_is_staff_from_the_roles(client, superuser):
    from django.contrib.auth.models import Group

    client.force_login(superuser)
    boss = supervisor(email="chef@bethune.fr", is_staff=True)
    url = reverse("admin:accounts_user_change", args=[boss.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        email=boss.email,
        groups=[Group.objects.get(name=roles.SUPERVISOR).pk],
        is_active="on",
        last_login_0="",
        last_login_1="",
    )
    data.pop("last_login", None)
    data.pop("date_joined", None)
    data.pop("is_staff", None)
    data.pop("is_superuser", None)
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    boss.refresh_from_db()
    assert not boss.is_staff

    data["groups"] = [Group.objects.get(name=roles.ADMINISTRATOR).pk]
    client.post(url, data)
    boss.refresh_from_db()
    assert boss.is_staff
