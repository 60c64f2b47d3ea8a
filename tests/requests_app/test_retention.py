"""Retention of personal data (issue 20, point 7): a closed request's personal data is anonymised
PORTAL_RETENTION["closed_request_years"] after its closure, by a nightly task that also purges drafts."""

import datetime
import logging
from pathlib import Path

import pytest
from django.conf import settings

from requests_app import services
from requests_app.beat import beat_schedule
from requests_app.links import tracking_token
from requests_app.models import (
    Attachment,
    Channel,
    EventKind,
    Message,
    Notification,
    Request,
    RequestEvent,
    Status,
)
from requests_app.services import FilingData
from requests_app.tasks import retention_apply_task
from tests.requests_app.factories import (
    ServiceFactory,
    ServiceFieldFactory,
    png_upload,
    submitted_request,
)

pytestmark = pytest.mark.django_db

THREE_YEARS = datetime.timedelta(days=3 * 366)


def _closed(requester, agent, **kwargs) -> Request:
    """A request with everything personal a request can hold, resolved by an agent."""
    service = ServiceFactory()
    ServiceFieldFactory(service=service, key="plaque", label="Plaque d'immatriculation", required=True)
    kwargs.setdefault("street", "rue Hoche")
    kwargs.setdefault("street_number", "12")
    filed = submitted_request(
        service=service,
        requester=requester,
        contact_phone="0601020304",
        files=[png_upload("devant-chez-moi.png")],
        **kwargs,
    )
    Request.objects.filter(pk=filed.pk).update(address_details="au fond de la cour")
    services.request_message_post(request=filed, author=agent, body="Pouvez-vous préciser ?")
    services.request_message_post(request=filed, author=agent, body="Voisin connu du service.", internal=True)
    if requester is not None:
        services.request_message_post(
            request=filed, author=requester, body="C'est devant chez moi.", files=[png_upload("zoom.png")]
        )
    services.request_transition(
        request=filed, to_status=Status.RESOLVED, actor=agent, message="C'est réparé."
    )
    filed.refresh_from_db()
    return filed


def _files_of(request: Request) -> list[Path]:
    return [Path(settings.MEDIA_ROOT) / a.file.name for a in Attachment.objects.filter(request=request)]


def test_a_request_closed_three_years_ago_loses_its_personal_data_and_keeps_its_statistics(
    resident_user, agent
):
    filed = _closed(resident_user, agent)
    files = _files_of(filed)
    assert len(files) == 2 and all(path.exists() for path in files)
    kept = {
        field: getattr(filed, field)
        for field in (
            "reference",
            "service_id",
            "espace_id",
            "site_id",
            "channel",
            "status",
            "priority",
            "street_id",
            "quartier_id",
            "created_at",
            "submitted_at",
            "first_response_at",
            "closed_at",
            "due_date",
            "assignee_id",
        )
    }

    assert services.requests_anonymise_expired(now=filed.closed_at + THREE_YEARS) == 1

    filed.refresh_from_db()
    assert (filed.requester_id, filed.contact_name, filed.contact_email, filed.contact_phone) == (
        None,
        "",
        "",
        "",
    )
    assert (filed.street_number, filed.address_details, filed.description, filed.answers) == ("", "", "", {})
    assert filed.created_by_id is None
    assert {field: getattr(filed, field) for field in kept} == kept
    assert filed.street is not None and filed.quartier is not None
    # Messages stay as rows (the timeline's shape and the response-time figures), their words do not.
    assert set(Message.objects.filter(request=filed).values_list("body", flat=True)) == {""}
    assert not Message.objects.filter(request=filed, author=resident_user).exists()
    assert not RequestEvent.objects.filter(request=filed, actor=resident_user).exists()
    assert not Attachment.objects.filter(request=filed).exists()
    assert not any(path.exists() for path in files)
    assert not Notification.objects.filter(request=filed).exists()
    event = RequestEvent.objects.get(request=filed, kind=EventKind.ANONYMISED)
    assert event.public is False
    assert event.payload == {"reason": "retention", "attachments": 2}


def test_a_request_closed_less_than_three_years_ago_is_kept_whole(resident_user, agent):
    filed = _closed(resident_user, agent)

    assert (
        services.requests_anonymise_expired(now=filed.closed_at + datetime.timedelta(days=3 * 365 - 2)) == 0
    )

    filed.refresh_from_db()
    assert filed.requester == resident_user
    assert filed.description
    assert Attachment.objects.filter(request=filed).count() == 2
    assert not RequestEvent.objects.filter(request=filed, kind=EventKind.ANONYMISED).exists()


def test_open_requests_and_drafts_are_not_anonymised_however_old(resident_user, agent):
    open_request = submitted_request(requester=resident_user)
    draft = services.request_draft_save(
        service=ServiceFactory(), requester=resident_user, data=FilingData(description="Brouillon")
    )

    later = open_request.created_at + datetime.timedelta(days=3650)
    assert services.requests_anonymise_expired(now=later) == 0
    open_request.refresh_from_db()
    draft.refresh_from_db()
    assert open_request.requester == resident_user
    assert draft.description == "Brouillon"


def test_the_setting_decides_the_delay(resident_user, agent, settings):
    filed = _closed(resident_user, agent)
    one_year_later = filed.closed_at + datetime.timedelta(days=367)
    assert services.requests_anonymise_expired(now=one_year_later) == 0

    settings.PORTAL_RETENTION = {**settings.PORTAL_RETENTION, "closed_request_years": 1}

    assert services.requests_anonymise_expired(now=one_year_later) == 1


def test_running_twice_anonymises_once(resident_user, agent):
    filed = _closed(resident_user, agent)
    later = filed.closed_at + THREE_YEARS

    assert services.requests_anonymise_expired(now=later) == 1
    assert services.requests_anonymise_expired(now=later) == 0
    assert RequestEvent.objects.filter(request=filed, kind=EventKind.ANONYMISED).count() == 1


def test_batches_cover_every_expired_request(resident_user, agent):
    filed = [_closed(resident_user, agent) for _ in range(5)]
    later = max(r.closed_at for r in filed) + THREE_YEARS

    assert services.requests_anonymise_expired(now=later, batch_size=2) == 5
    assert not Request.objects.filter(requester=resident_user).exists()


def test_a_request_filed_without_an_account_loses_its_contact_and_its_tracking_link(client, agent):
    filed = _closed(None, agent, channel=Channel.WEB)
    link = f"/mes-demandes/suivi/{tracking_token(filed)}/"
    assert client.get(link).status_code == 200

    services.requests_anonymise_expired(now=filed.closed_at + THREE_YEARS)

    filed.refresh_from_db()
    assert (filed.contact_name, filed.contact_email) == ("", "")
    assert client.get(link).status_code == 404


def test_the_nightly_task_anonymises_purges_drafts_and_logs_its_counts(
    resident_user, agent, caplog, time_machine
):
    filed = _closed(resident_user, agent)
    draft = services.request_draft_save(
        service=ServiceFactory(), requester=resident_user, data=FilingData(description="Oublié")
    )
    time_machine.move_to(filed.closed_at + THREE_YEARS, tick=False)

    purged = {"purged_requests_app": 0, "purged_guichet": 0}  # the apps' own retention (PersonalData)
    with caplog.at_level(logging.INFO, logger="requests_app.tasks"):
        assert retention_apply_task() == {"anonymised": 1, "drafts_deleted": 1, **purged}

    assert any(m.startswith("retention: 1 requests anonymised, 1 drafts deleted") for m in caplog.messages)
    assert not Request.objects.filter(pk=draft.pk).exists()
    with caplog.at_level(logging.INFO, logger="requests_app.tasks"):
        assert retention_apply_task() == {"anonymised": 0, "drafts_deleted": 0, **purged}
    assert any(m.startswith("retention: 0 requests anonymised, 0 drafts deleted") for m in caplog.messages)


def test_the_nightly_task_is_in_the_beat_schedule():
    entry = beat_schedule()["retention-apply"]
    assert entry["task"] == "requests_app.tasks.retention_apply_task" == retention_apply_task.name
    assert entry["schedule"].hour == {3}


def _privacy_text(client) -> str:
    response = client.get("/donnees-personnelles/")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_privacy_page_states_the_durations_the_code_applies(client, resident_user, agent, settings):
    text = _privacy_text(client)
    years, days = settings.PORTAL_RETENTION["closed_request_years"], settings.PORTAL_DRAFT_DAYS
    assert f"jusqu'à {years} ans après la clôture de la demande" in text
    assert f"{days} jours après la dernière modification, puis le brouillon est supprimé" in text
    assert 'href="/mes-donnees/"' in text and 'href="/mes-donnees/supprimer-mon-compte/"' in text

    settings.PORTAL_RETENTION = {**settings.PORTAL_RETENTION, "closed_request_years": 5}
    settings.PORTAL_DRAFT_DAYS = 45

    text = _privacy_text(client)
    assert "jusqu'à 5 ans après la clôture de la demande" in text and f"jusqu'à {years} ans" not in text
    assert "45 jours après la dernière modification" in text
    # …and the code follows the same numbers: closed four years ago is not yet due under five.
    filed = _closed(resident_user, agent)
    four_years_later = filed.closed_at + datetime.timedelta(days=4 * 366)
    assert services.requests_anonymise_expired(now=four_years_later) == 0
    draft = services.request_draft_save(service=ServiceFactory(), requester=resident_user, data=FilingData())
    Request.objects.filter(pk=draft.pk).update(updated_at=draft.updated_at - datetime.timedelta(days=44))
    assert services.drafts_purge() == 0
    Request.objects.filter(pk=draft.pk).update(updated_at=draft.updated_at - datetime.timedelta(days=46))
    assert services.drafts_purge() == 1
