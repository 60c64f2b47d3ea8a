"""The services' rules behind the resident pages: references, due dates, the status machine, what the
requester may do, filing without an account and linking to an account."""

import datetime
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine

from requests_app import services
from requests_app.errors import ServiceError, TransitionNotAllowed
from requests_app.models import Request, Status
from requests_app.services import FilingData
from tests.requests_app.conftest import file_for, rue_hoche

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")  # the town's wall clock, summer time included


def at(year, month, day, hour=10):
    return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=PARIS), tick=False)


def test_references_read_bet_year_six_digits_and_increment_without_reuse(resident_user, pothole):
    with at(2026, 3, 2):
        first = file_for(resident_user, pothole)
        second = file_for(resident_user, pothole)
    assert re.fullmatch(r"BET-2026-\d{6}", first.reference)
    assert first.reference == "BET-2026-000001" and second.reference == "BET-2026-000002"
    with at(2027, 1, 4):
        assert file_for(resident_user, pothole).reference == "BET-2027-000001"
    assert Request.objects.values("reference").distinct().count() == 3


def test_drafts_take_no_reference(resident_user, pothole):
    draft = services.request_draft_save(service=pothole, requester=resident_user, data=FilingData())
    assert draft.reference is None and draft.status == Status.DRAFT


def test_due_date_counts_working_days_skipping_weekends(resident_user, pothole):
    pothole.sla_days = 2
    pothole.save()
    with at(2026, 3, 6):  # a Friday
        filed = file_for(resident_user, pothole)
    assert filed.due_date == datetime.date(2026, 3, 10)  # Monday, Tuesday


def test_due_date_skips_public_holidays(resident_user, pothole):
    pothole.sla_days = 1
    pothole.save()
    with at(2026, 4, 3):  # Good Friday is not a holiday in France; Easter Monday (6 April) is
        filed = file_for(resident_user, pothole)
    assert filed.due_date == datetime.date(2026, 4, 7)
    with at(2026, 4, 30):  # 1 May (Friday) is a holiday
        filed = file_for(resident_user, pothole)
    assert filed.due_date == datetime.date(2026, 5, 4)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([Status.IN_PROGRESS, Status.AWAITING_CITIZEN, Status.IN_PROGRESS, Status.RESOLVED], True),
        ([Status.REJECTED], True),
        ([Status.RESOLVED, Status.IN_PROGRESS], True),
        ([Status.CANCELLED, Status.IN_PROGRESS], False),
        ([Status.REJECTED, Status.IN_PROGRESS], False),
        ([Status.AWAITING_CITIZEN, Status.CANCELLED], False),
        ([Status.NEW], False),
    ],
)
def test_status_machine_allows_only_its_transitions(resident_user, agent, pothole, path, allowed):
    filed = file_for(resident_user, pothole)
    try:
        for status in path:
            filed = services.request_transition(
                request=filed, to_status=status, actor=agent, message="Réponse"
            )
    except TransitionNotAllowed as error:
        assert not allowed, error.message
        assert error.message.startswith("Impossible de passer une demande")
    else:
        assert allowed
        assert filed.status == path[-1]


def test_closing_needs_a_message_to_the_requester(resident_user, agent, pothole):
    filed = file_for(resident_user, pothole)
    with pytest.raises(ServiceError, match="Écrivez un message au demandeur"):
        services.request_transition(request=filed, to_status=Status.RESOLVED, actor=agent, message=" ")
    filed.refresh_from_db()
    assert filed.status == Status.NEW


def test_requester_cancels_only_while_new(resident_user, agent, pothole):
    cancelled = services.request_cancel(request=file_for(resident_user, pothole), actor=resident_user)
    assert cancelled.status == Status.CANCELLED and not cancelled.is_open

    started = file_for(resident_user, pothole)
    services.request_transition(request=started, to_status=Status.IN_PROGRESS, actor=agent)
    with pytest.raises(TransitionNotAllowed):
        services.request_cancel(request=started, actor=resident_user)


def test_tracking_link_holder_is_a_requester_too(pothole, agent):
    filed = file_for(None, pothole)
    services.request_transition(request=filed, to_status=Status.IN_PROGRESS, actor=agent)
    with pytest.raises(TransitionNotAllowed):
        services.request_cancel(request=filed, actor=None, as_requester=True)


def test_requester_reopens_within_15_days_only(resident_user, agent, pothole):
    with at(2026, 6, 1):
        filed = file_for(resident_user, pothole)
        services.request_transition(request=filed, to_status=Status.RESOLVED, actor=agent, message="Fait")
    with at(2026, 6, 16, 9):
        reopened = services.request_reopen(request=filed, actor=resident_user, message="Toujours là")
    assert reopened.status == Status.IN_PROGRESS and reopened.closed_at is None

    with at(2026, 6, 17):
        services.request_transition(request=filed, to_status=Status.RESOLVED, actor=agent, message="Fait")
    with at(2026, 7, 3), pytest.raises(TransitionNotAllowed, match="15 jours"):
        services.request_reopen(request=filed, actor=resident_user)


def test_anonymous_filing_is_a_draft_until_the_email_is_confirmed(pothole):
    filing = services.request_file_anonymous(
        service=pothole,
        data=FilingData(
            street=rue_hoche(), contact_name="Paul Martin", contact_email="Paul.Martin@Example.fr"
        ),
    )
    assert filing.status == Status.DRAFT and filing.reference is None
    assert filing.contact_email == "paul.martin@example.fr"

    filed = services.request_confirm_email(request=filing)
    assert filed.status == Status.NEW and filed.reference and filed.email_confirmed_at
    assert services.request_confirm_email(request=filing).reference == filed.reference


def test_anonymous_filing_needs_a_service_open_without_account(every_field_service):
    with pytest.raises(ServiceError, match="Connectez-vous"):
        services.request_file_anonymous(
            service=every_field_service, data=FilingData(contact_name="Paul", contact_email="paul@example.fr")
        )
    assert not Request.objects.exists()


def test_requests_link_to_the_account_that_verifies_the_address(pothole, resident_user):
    confirmed = file_for(None, pothole, contact_email="JEAN.DUPONT@example.fr")
    services.request_file_anonymous(
        service=pothole,
        data=FilingData(street=rue_hoche(), contact_name="Jean", contact_email="jean.dupont@example.fr"),
    )  # never confirmed

    linked = services.requests_link_to_user(user=resident_user, email="jean.dupont@example.fr")

    assert linked == 1
    confirmed.refresh_from_db()
    assert confirmed.requester == resident_user
    assert Request.objects.filter(requester__isnull=True).count() == 1


def test_a_draft_submitted_from_two_tabs_is_filed_once(resident_user, pothole):
    data = FilingData(description="Trou", street=rue_hoche())
    draft = services.request_draft_save(service=pothole, requester=resident_user, data=data)
    stale_tab = Request.objects.get(pk=draft.pk)  # the second tab's copy, read before the first submits

    filed = services.request_submit(service=pothole, requester=resident_user, data=data, draft=draft)

    with pytest.raises(ServiceError, match="déjà été envoyé"):
        services.request_submit(service=pothole, requester=resident_user, data=data, draft=stale_tab)
    with pytest.raises(ServiceError, match="déjà été envoyé"):
        services.request_draft_save(service=pothole, requester=resident_user, data=data, draft=stale_tab)
    filed.refresh_from_db()
    assert filed.status == Status.NEW and filed.reference
    assert filed.events.filter(kind="submitted").count() == 1


def test_a_form_key_replayed_by_someone_else_is_refused(resident_user, other_resident, pothole):
    data = FilingData(description="Trou", street=rue_hoche())
    key = uuid.uuid4()
    mine = services.request_submit(service=pothole, requester=resident_user, data=data, submission_key=key)
    assert (
        services.request_submit(service=pothole, requester=resident_user, data=data, submission_key=key)
        == mine
    )

    with pytest.raises(ServiceError, match="déjà été utilisé"):
        services.request_submit(service=pothole, requester=other_resident, data=data, submission_key=key)
    assert Request.objects.count() == 1


def test_a_resident_with_five_photos_can_still_send_the_document_asked_for(resident_user, agent, pothole):
    from tests.requests_app.factories import png_upload

    filed = services.request_submit(
        service=pothole,
        requester=resident_user,
        data=FilingData(
            description="Trou", street=rue_hoche(), files=[png_upload(f"p{i}.png") for i in range(5)]
        ),
    )
    services.request_transition(
        request=filed,
        to_status=Status.AWAITING_CITIZEN,
        actor=agent,
        message="Pouvez-vous joindre le justificatif ?",
    )
    services.request_message_post(
        request=filed, author=resident_user, body="Le voici", files=[png_upload("justificatif.png")]
    )
    assert filed.attachments.count() == 6
    with pytest.raises(ServiceError, match="au plus 5 fichiers"):
        services.request_message_post(
            request=filed,
            author=resident_user,
            body="Trop",
            files=[png_upload(f"x{i}.png") for i in range(6)],
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_name", "N" * 201),
        ("contact_phone", "0" * 21),
        ("street_number", "1" * 11),
        ("address_details", "d" * 201),
    ],
)
def test_a_value_longer_than_its_column_is_a_french_message_and_nothing_is_saved(db, field, value):
    from requests_app.errors import ServiceError
    from requests_app.models import Request
    from requests_app.services import FilingData, request_file_anonymous
    from tests.requests_app.factories import ServiceFactory

    data = FilingData(description="Sacs", contact_name="Paul", contact_email="paul@example.fr")
    setattr(data, field, value)
    with pytest.raises(ServiceError) as refused:
        request_file_anonymous(service=ServiceFactory(allow_anonymous=True), data=data)

    assert refused.value.field == field and "caractères au plus" in refused.value.message
    assert not Request.objects.exists()
