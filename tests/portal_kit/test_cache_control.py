"""`Cache-Control: no-store` on every personal answer (portal_kit/cache_control.py): pages of a signed-in
person, pages and files reached through a tracking or confirmation link, downloads; public pages of
anonymous visitors stay cacheable."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from portal_kit.cache_control import NoStoreMiddleware
from requests_app import links
from requests_app.services import FilingData, request_file_anonymous
from tests.requests_app.conftest import file_for
from tests.requests_app.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def pothole(db):
    from requests_app.catalogue_seed import catalogue_seed
    from requests_app.models import Service

    catalogue_seed()
    return Service.objects.get(code="nid-de-poule")


@pytest.mark.parametrize("path", ["/", "/demarches/", "/mentions-legales/"])
def test_public_pages_of_an_anonymous_visitor_stay_cacheable(client, pothole, path):
    response = client.get(path)

    assert response.status_code == 200
    assert not no_store(response)


@pytest.mark.parametrize("path", ["/", "/demarches/", "/mes-demandes/"])
def test_every_page_of_a_signed_in_resident_is_no_store(client, pothole, resident_user, path):
    client.force_login(resident_user)

    response = client.get(path)

    assert response.status_code == 200
    assert no_store(response) and "private" in response["Cache-Control"]


def test_a_request_page_and_its_receipt_are_no_store(client, pothole, resident_user):
    filed = file_for(resident_user, pothole)
    client.force_login(resident_user)

    for name in ("request_detail", "request_receipt"):
        response = client.get(reverse(f"requests_app:{name}", args=[filed.reference]))
        assert response.status_code == 200, name
        assert no_store(response), name


def test_the_tracking_link_pages_are_no_store_without_an_account(client, pothole):
    filed = file_for(None, pothole)
    token = links.tracking_token(filed)

    for name in ("track", "track_receipt"):
        response = client.get(reverse(f"requests_app:{name}", args=[token]))
        assert response.status_code == 200, name
        assert no_store(response), name


def test_the_confirmation_link_page_is_no_store(client):
    draft = request_file_anonymous(
        service=ServiceFactory(allow_anonymous=True),
        data=FilingData(description="Sacs", contact_name="Paul Martin", contact_email="paul@example.fr"),
    )

    response = client.get(reverse("requests_app:confirm_email", args=[links.confirm_token(draft)]))

    assert response.status_code == 200 and no_store(response)


def test_the_agents_queue_and_its_csv_export_are_no_store(client, agent):
    client.force_login(agent)

    for path in ("/guichet/", "/guichet/export.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path


# --- The rule itself -------------------------------------------------------------------------------------


def answer(request, response: HttpResponse) -> HttpResponse:
    return NoStoreMiddleware(lambda _request: response)(request)


def anonymous_get(path="/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_a_download_is_no_store_whoever_asks():
    response = HttpResponse(b"a;b", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="export.csv"'

    assert no_store(answer(anonymous_get(), response))


def test_an_answer_marked_private_becomes_no_store():
    response = HttpResponse()
    response["Cache-Control"] = "private, max-age=60"

    assert no_store(answer(anonymous_get(), response))


def test_a_public_answer_to_a_signed_in_person_is_no_longer_public(resident_user, settings):
    request = RequestFactory().get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=x")
    request.user = resident_user
    response = HttpResponse()
    response["Cache-Control"] = "public, max-age=3600"

    cache_control = answer(request, response)["Cache-Control"]

    assert "no-store" in cache_control and "private" in cache_control and "public" not in cache_control


def test_an_anonymous_public_answer_is_left_alone():
    response = HttpResponse()
    response["Cache-Control"] = "public, max-age=3600"

    assert answer(anonymous_get(), response)["Cache-Control"] == "public, max-age=3600"
