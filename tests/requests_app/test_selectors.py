"""Reads of the resident front office: permission-scoped getters (404, never 403), lists without a query per
row, the street matching of the filing form."""

import datetime

import pytest
import time_machine
from django.http import Http404

from requests_app import links, selectors, services
from requests_app.models import Status
from tests.accounts.factories import manager
from tests.requests_app.conftest import file_for

pytestmark = pytest.mark.django_db


def test_street_match_is_accent_and_case_insensitive_and_refuses_ambiguous_or_unknown_names(db):
    assert selectors.street_match(typed="Rue eugene haynaut").name == "rue Eugène Haynaut"
    assert selectors.street_match(typed="haynaut").name == "rue Eugène Haynaut"
    assert selectors.street_match(typed="rue") is None  # matches many streets
    assert selectors.street_match(typed="avenue des Champs-Élysées") is None
    assert selectors.street_match(typed="  ") is None


def test_request_get_for_user_gives_the_requester_and_the_espaces_agents_only(
    resident_user, other_resident, agent, other_agent, pothole
):
    filed = file_for(resident_user, pothole)

    assert selectors.request_get_for_user(user=resident_user, reference=filed.reference) == filed
    assert selectors.request_get_for_user(user=agent, reference=filed.reference) == filed
    assert selectors.request_get_for_user(user=manager(), reference=filed.reference) == filed
    for user in (other_resident, other_agent):
        with pytest.raises(Http404):
            selectors.request_get_for_user(user=user, reference=filed.reference)
    with pytest.raises(Http404):
        selectors.request_get_for_user(user=resident_user, reference="BET-1999-000001")


def test_drafts_are_not_reachable_by_reference_or_tracking(resident_user, pothole):
    draft = services.request_draft_save(service=pothole, requester=resident_user, data=services.FilingData())
    with pytest.raises(Http404):
        selectors.request_get_for_tracking(token=links.tracking_token(draft))


def test_request_for_submission_key_only_finds_the_persons_own_request(
    resident_user, other_resident, pothole
):
    import uuid

    key = uuid.uuid4()
    filed = services.request_submit(
        service=pothole,
        requester=resident_user,
        submission_key=key,
        data=services.FilingData(street=selectors.street_match(typed="rue Hoche")),
    )

    assert selectors.request_for_submission_key(key=key, user=resident_user) == filed
    assert selectors.request_for_submission_key(key=key, user=other_resident) is None
    assert selectors.request_for_submission_key(key=key, user=None) is None
    assert selectors.request_for_submission_key(key=None, user=resident_user) is None


def test_requester_actions_follow_the_status_and_the_reopening_delay(resident_user, agent, pothole):
    filed = file_for(resident_user, pothole)
    assert selectors.requester_actions(request=filed).can_cancel

    with time_machine.travel(datetime.datetime(2026, 5, 4, 9, tzinfo=datetime.UTC), tick=False):
        resolved = services.request_transition(
            request=filed, to_status=Status.RESOLVED, actor=agent, message="Ok"
        )
    day_15 = datetime.datetime(2026, 5, 19, 9, tzinfo=datetime.UTC)
    actions = selectors.requester_actions(request=resolved, now=day_15)
    assert actions.can_reopen and not actions.can_cancel and not actions.can_reply
    assert actions.reopen_until == datetime.date(2026, 5, 19)
    assert not selectors.requester_actions(
        request=resolved, now=day_15 + datetime.timedelta(hours=1)
    ).can_reopen


def test_request_list_for_requester_costs_one_query_whatever_the_rows(
    resident_user, pothole, django_assert_num_queries
):
    for _ in range(5):
        file_for(resident_user, pothole)
    with django_assert_num_queries(1):
        rows = list(selectors.request_list_for_requester(user=resident_user))
        assert {row.service.name for row in rows} == {pothole.name}
        assert {row.street.name for row in rows} == {"rue Hoche"}


def test_services_of_requester_lists_each_service_once_and_ignores_drafts(resident_user, pothole, catalogue):
    from requests_app.models import Service

    file_for(resident_user, pothole)
    file_for(resident_user, pothole)
    services.request_draft_save(
        service=Service.objects.get(code="tag"), requester=resident_user, data=services.FilingData()
    )

    assert list(selectors.services_of_requester(user=resident_user)) == [pothole]


def test_public_timeline_hides_internal_notes(resident_user, agent, pothole):
    filed = file_for(resident_user, pothole)
    services.request_message_post(request=filed, author=agent, body="interne", internal=True)
    services.request_message_post(request=filed, author=agent, body="public")

    bodies = [e.message.body for e in selectors.public_timeline(request=filed) if hasattr(e, "message")]
    assert bodies == ["public"]
