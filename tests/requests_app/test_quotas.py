"""Quotas on what a requester adds to a request after filing (issue 20, point 5): a total of attachments per
request across messages, and a rate limit on replies, per request and per sender (account or the address
behind the tracking link), answered 429 with a French message."""

import pytest
from django.urls import reverse

from requests_app import links, services
from requests_app.errors import ServiceError
from requests_app.models import Attachment, Message
from requests_app.views import follow
from tests.requests_app.conftest import file_for, jpeg_upload

pytestmark = pytest.mark.django_db


def _photos(count: int) -> list:
    return [jpeg_upload(f"photo{n}.jpg") for n in range(count)]


def _reply(request, author, files, **kwargs):
    return services.request_message_post(
        request=request, author=author, body="Encore une photo.", files=files, as_requester=True, **kwargs
    )


# --- The total of attachments per request --------------------------------------------------------------


def test_replies_stop_adding_files_at_the_total_per_request_and_nothing_is_saved(
    settings, resident_user, pothole
):
    settings.PORTAL_MAX_FILES_PER_REQUEST = 12
    filed = file_for(resident_user, pothole, files=_photos(5))
    _reply(filed, resident_user, _photos(5))
    messages_before = Message.objects.count()

    with pytest.raises(ServiceError) as refused:
        _reply(filed, resident_user, _photos(3))

    assert refused.value.field == "files" and refused.value.code == "too_many_total"
    assert refused.value.message == (
        "Cette demande a déjà 10 pièces jointes, le maximum est de 12 par demande : "
        "vous pouvez encore en joindre 2."
    )
    assert Attachment.objects.filter(request=filed).count() == 10
    assert Message.objects.count() == messages_before  # the message went with its files
    _reply(filed, resident_user, _photos(2))  # what still fits is accepted
    with pytest.raises(ServiceError, match="elle n'en accepte plus"):
        _reply(filed, resident_user, _photos(1))
    assert Attachment.objects.filter(request=filed).count() == 12


def test_a_message_without_files_is_still_accepted_at_the_total(settings, resident_user, pothole):
    settings.PORTAL_MAX_FILES_PER_REQUEST = 2
    filed = file_for(resident_user, pothole, files=_photos(2))

    _reply(filed, resident_user, [])

    assert filed.messages.count() == 1


def test_the_towns_messages_neither_count_nor_are_refused(settings, resident_user, agent, pothole):
    settings.PORTAL_MAX_FILES_PER_REQUEST = 3
    filed = file_for(resident_user, pothole, files=_photos(3))

    services.request_message_post(request=filed, author=agent, body="Le devis.", files=_photos(2))
    services.request_message_post(request=filed, author=agent, body="Note.", files=_photos(1), internal=True)

    assert Attachment.objects.filter(request=filed).count() == 6
    with pytest.raises(ServiceError, match="déjà 3 pièces jointes"):
        _reply(filed, resident_user, _photos(1))


def test_the_21st_file_is_refused_with_the_default_setting(resident_user, pothole):
    filed = file_for(resident_user, pothole, files=_photos(5))
    for _round in range(3):
        _reply(filed, resident_user, _photos(5))

    with pytest.raises(ServiceError, match="déjà 20 pièces jointes, le maximum est de 20"):
        _reply(filed, resident_user, _photos(1))
    assert Attachment.objects.filter(request=filed).count() == 20


def test_the_reply_page_shows_the_total_refusal_and_keeps_nothing(client, settings, resident_user, pothole):
    settings.PORTAL_MAX_FILES_PER_REQUEST = 1
    filed = file_for(resident_user, pothole, files=_photos(1))
    client.force_login(resident_user)

    response = client.post(
        reverse("requests_app:request_reply", args=[filed.reference]),
        {"body": "Une autre photo", "files": [jpeg_upload("autre.jpg")]},
    )

    assert response.status_code == 400
    assert "Cette demande a déjà 1 pièce jointe, le maximum est de 1 par demande" in response.content.decode()
    assert filed.messages.count() == 0 and Attachment.objects.filter(request=filed).count() == 1


# --- The rate limit on replies ----------------------------------------------------------------------------


def _reply_url(filed) -> str:
    return reverse("requests_app:request_reply", args=[filed.reference])


def test_replies_past_the_limit_answer_429_in_french_and_save_nothing(client, resident_user, pothole):
    filed = file_for(resident_user, pothole)
    client.force_login(resident_user)
    for n in range(follow.REPLY_LIMIT_PER_REQUEST):
        assert client.post(_reply_url(filed), {"body": f"Message {n}"}).status_code == 302

    response = client.post(_reply_url(filed), {"body": "Un de trop"})

    assert response.status_code == 429
    body = response.content.decode()
    assert "Patientez quelques minutes avant d&#x27;écrire de nouveau." in body
    assert "Un de trop" in body  # what was typed is shown again
    assert filed.messages.count() == follow.REPLY_LIMIT_PER_REQUEST


def test_the_reply_limit_opens_again_in_the_next_window(client, resident_user, pothole, time_machine):
    time_machine.move_to("2026-03-16 10:00:00+01:00", tick=False)
    filed = file_for(resident_user, pothole)
    client.force_login(resident_user)
    for n in range(follow.REPLY_LIMIT_PER_REQUEST):
        client.post(_reply_url(filed), {"body": f"Message {n}"})
    assert client.post(_reply_url(filed), {"body": "Trop tôt"}).status_code == 429

    time_machine.shift(follow.REPLY_WINDOW_SECONDS + 1)

    assert client.post(_reply_url(filed), {"body": "Plus tard"}).status_code == 302


def test_one_account_is_limited_across_its_requests(client, resident_user, pothole):
    first, second = file_for(resident_user, pothole), file_for(resident_user, pothole)
    client.force_login(resident_user)
    for n in range(follow.REPLY_LIMIT_PER_SENDER):
        client.post(_reply_url(first if n % 2 else second), {"body": f"Message {n}"})

    assert client.post(_reply_url(first), {"body": "Encore"}).status_code == 429
    assert first.messages.count() + second.messages.count() == follow.REPLY_LIMIT_PER_SENDER


def test_another_residents_limit_is_their_own(client, resident_user, other_resident, pothole):
    mine, theirs = file_for(resident_user, pothole), file_for(other_resident, pothole)
    client.force_login(resident_user)
    for n in range(follow.REPLY_LIMIT_PER_SENDER):
        client.post(_reply_url(mine), {"body": f"Message {n}"})
    assert client.post(_reply_url(mine), {"body": "Encore"}).status_code == 429

    client.force_login(other_resident)

    assert client.post(_reply_url(theirs), {"body": "Bonjour"}).status_code == 302


def test_the_tracking_link_is_limited_per_connection_and_per_request(client, pothole):
    filed = file_for(None, pothole)
    url = reverse("requests_app:track_reply", args=[links.tracking_token(filed)])
    for n in range(follow.REPLY_LIMIT_PER_REQUEST):
        assert client.post(url, {"body": f"Message {n}"}, REMOTE_ADDR="192.0.2.10").status_code == 302

    # A new address does not reset the request's own counter.
    response = client.post(url, {"body": "D'ailleurs"}, REMOTE_ADDR="198.51.100.20")

    assert response.status_code == 429
    assert filed.messages.count() == follow.REPLY_LIMIT_PER_REQUEST


def test_an_agent_is_not_counted_nor_refused_on_the_residents_page(client, resident_user, agent, pothole):
    filed = file_for(resident_user, pothole)
    client.force_login(agent)

    assert client.post(_reply_url(filed), {"body": "Réponse"}).status_code == 404
