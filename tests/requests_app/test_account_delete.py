"""A resident deletes their account (issue 20, point 7): password re-typed, the account deactivated and
emptied, their requests kept but anonymised at once (open ones cancelled first), staff refused."""

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings

from requests_app import services
from requests_app.errors import ServiceError
from requests_app.models import Attachment, EventKind, Request, RequestEvent, Status
from requests_app.services import FilingData
from requests_app.services.retention import DELETED_EMAIL_DOMAIN
from tests.accounts.factories import PASSWORD
from tests.requests_app.factories import ServiceFactory, png_upload, submitted_request

pytestmark = pytest.mark.django_db

URL = "/mes-donnees/supprimer-mon-compte/"


@pytest.fixture
def jean_requests(resident_user, agent):
    open_request = submitted_request(
        requester=resident_user, street="rue Hoche", street_number="12", files=[png_upload()]
    )
    services.request_transition(request=open_request, to_status=Status.IN_PROGRESS, actor=agent)
    closed = submitted_request(requester=resident_user, description="Déjà traité.")
    services.request_transition(request=closed, to_status=Status.RESOLVED, actor=agent, message="Fait.")
    draft = services.request_draft_save(
        service=ServiceFactory(),
        requester=resident_user,
        data=FilingData(description="Brouillon", files=[png_upload()]),
    )
    return open_request, closed, draft


def test_the_page_asks_for_the_password(client, resident_user):
    client.force_login(resident_user)

    response = client.get(URL)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'type="password"' in response.content.decode()


def test_a_wrong_password_deletes_nothing(client, resident_user, jean_requests):
    client.force_login(resident_user)

    response = client.post(URL, {"password": "pas le bon"})

    assert response.status_code == 400
    assert "Mot de passe incorrect" in response.content.decode()
    resident_user.refresh_from_db()
    assert resident_user.is_active and resident_user.email == "jean.dupont@example.fr"
    assert Request.objects.filter(requester=resident_user).count() == 3


def test_deleting_the_account_anonymises_it_and_its_requests(client, resident_user, jean_requests):
    open_request, closed, draft = jean_requests
    Authenticator.objects.create(user=resident_user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    files = [Path(settings.MEDIA_ROOT) / a.file.name for a in Attachment.objects.all()]
    assert len(files) == 2 and all(path.exists() for path in files)
    client.force_login(resident_user)

    response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/mes-donnees/compte-supprime/"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Votre compte est supprimé" in page.content.decode()
    # Signed out: the personal pages send to the login again.
    assert client.get("/mes-demandes/").status_code == 302
    user = resident_user.__class__.objects.get(pk=resident_user.pk)
    assert not user.is_active
    assert user.email.endswith(f"@{DELETED_EMAIL_DOMAIN}")
    assert (user.first_name, user.last_name, user.phone) == ("", "", "")
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    # The requests stay (statistics) without anything personal; the open one was cancelled by the requester.
    assert not Request.objects.filter(pk=draft.pk).exists()
    for request in (open_request, closed):
        request.refresh_from_db()
        assert request.reference and request.requester_id is None
        assert (request.contact_email, request.street_number, request.description) == ("", "", "")
        assert RequestEvent.objects.filter(
            request=request, kind=EventKind.ANONYMISED, payload__reason="account_deleted"
        ).exists()
    assert open_request.status == Status.CANCELLED and not open_request.is_open
    cancel = RequestEvent.objects.get(request=open_request, new_status=Status.CANCELLED)
    assert cancel.old_status == Status.IN_PROGRESS
    assert cancel.payload == {"by_requester": True, "account_deleted": True}
    assert closed.status == Status.RESOLVED
    assert not any(path.exists() for path in files)
    # The nightly retention does not touch them again.
    assert (
        services.requests_anonymise_expired(now=closed.closed_at.replace(year=closed.closed_at.year + 4)) == 0
    )


def test_the_deleted_account_cannot_sign_in(client, resident_user):
    client.force_login(resident_user)
    client.post(URL, {"password": PASSWORD})

    assert not client.login(email="jean.dupont@example.fr", password=PASSWORD)
    response = client.post("/comptes/login/", {"login": "jean.dupont@example.fr", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_the_same_address_can_open_a_new_account_afterwards(client, resident_user):
    client.force_login(resident_user)
    client.post(URL, {"password": PASSWORD})

    new = resident_user.__class__.objects.create_user(email="jean.dupont@example.fr", password=PASSWORD)

    assert new.pk != resident_user.pk


@pytest.mark.parametrize("who", ["agent", "manager_user"])
def test_staff_cannot_delete_themselves_here(client, request, who):
    staff = request.getfixturevalue(who)
    client.force_login(staff)

    page = client.get(URL)
    response = client.post(URL, {"password": PASSWORD})

    assert page.status_code == 200 and "administrateur" in page.content.decode()
    assert response.status_code == 200 and "administrateur" in response.content.decode()
    staff.refresh_from_db()
    assert staff.is_active and staff.has_usable_password()
    with pytest.raises(ServiceError):
        services.account_delete(user=staff)


def test_an_open_appointment_must_be_cancelled_on_its_own_page_first(client, resident_user):
    # "rendez_vous" is owned by appointments: the spine cannot cancel it (the seat would stay taken).
    booking_request = submitted_request(requester=resident_user, service=ServiceFactory(kind="rendez_vous"))
    client.force_login(resident_user)

    response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 200
    assert booking_request.reference in response.content.decode()
    resident_user.refresh_from_db()
    assert resident_user.is_active
    with pytest.raises(ServiceError):
        services.account_delete(user=resident_user)
