"""The whole request body is capped before it is read (gunicorn and Django cap only parts of it)."""

from django.urls import reverse


def test_a_body_declared_over_the_cap_is_refused_before_it_is_read(client, db, settings):
    settings.PORTAL_MAX_REQUEST_BODY_BYTES = 1024 * 1024
    response = client.generic(
        "POST", reverse("requests_app:catalogue"), b"x" * 10, CONTENT_LENGTH=str(5 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux : 5 Mo, le maximum est de 1 Mo" in response.content.decode()


def test_a_body_under_the_cap_goes_through(client, db):
    assert client.get(reverse("requests_app:catalogue")).status_code == 200
