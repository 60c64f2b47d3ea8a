import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache

from accounts import roles
from accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Camille.Durand@example.fr",
    "first_name": "Camille",
    "last_name": "Durand",
    "phone": "03 21 00 00 00",
    "password1": "un-mot-de-passe-solide-2026",
    "password2": "un-mot-de-passe-solide-2026",
}


def log_in(client, email: str, password: str):
    return client.post("/comptes/login/", {"login": email, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def confirmation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/comptes/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signing_up_creates_a_resident_and_sends_a_french_verification_email(client):
    response = client.post("/comptes/signup/", SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == "/comptes/confirm-email/"
    user = User.objects.get(email="camille.durand@example.fr")
    assert (user.first_name, user.last_name, user.phone) == ("Camille", "Durand", "03 21 00 00 00")
    assert list(user.groups.values_list("name", flat=True)) == [roles.RESIDENT]
    assert not EmailAddress.objects.get(user=user).verified
    [message] = mail.outbox
    assert message.to == ["camille.durand@example.fr"]
    assert message.subject == "[Ville de Béthune] Confirmez votre adresse e-mail"
    assert "Pour confirmer que cela est correct" in message.body
    assert confirmation_path(message)


def test_signup_with_mismatched_passwords_creates_no_account(client):
    response = client.post("/comptes/signup/", {**SIGNUP, "password2": "autre-chose-encore-2026"})

    assert response.status_code == 200
    assert "Vous devez saisir deux fois le même mot de passe." in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_an_unverified_resident_cannot_log_in(client):
    client.post("/comptes/signup/", SIGNUP)
    client.logout()

    response = log_in(client, SIGNUP["email"], SIGNUP["password1"])

    assert not is_logged_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/comptes/confirm-email/"


def test_a_resident_who_follows_the_emailed_link_can_log_in(client):
    client.post("/comptes/signup/", SIGNUP)
    path = confirmation_path(mail.outbox[0])
    client.logout()

    # Confirmation takes a POST: a mail scanner following links must not confirm an address.
    assert client.get(path).status_code == 200
    assert not EmailAddress.objects.get(email="camille.durand@example.fr").verified
    client.post(path)

    assert EmailAddress.objects.get(email="camille.durand@example.fr").verified
    client.logout()
    log_in(client, SIGNUP["email"], SIGNUP["password1"])
    assert client.session["_auth_user_id"] == str(User.objects.get(email="camille.durand@example.fr").pk)


def test_rate_limits_are_configured_outside_tests():
    from bethune_portal.settings import base

    assert base.ACCOUNT_RATE_LIMITS
    assert base.ACCOUNT_RATE_LIMITS["login_failed"]
    assert base.ACCOUNT_RATE_LIMITS["signup"]


@pytest.fixture
def rate_limits_on(settings):
    from bethune_portal.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()  # allauth counts attempts in the cache: start from zero, leave nothing behind
    yield base.ACCOUNT_RATE_LIMITS
    cache.clear()


def test_repeated_failed_logins_block_even_the_right_password(client, resident_user, rate_limits_on):
    from tests.accounts.factories import PASSWORD

    assert rate_limits_on["login_failed"].endswith("5/5m/key")
    for _attempt in range(5):
        log_in(client, resident_user.email, "pas-le-bon-mot-de-passe")
    assert not is_logged_in(client)

    response = log_in(client, resident_user.email, PASSWORD)

    assert not is_logged_in(client)
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
