"""A booking's request belongs to the appointments app (its registration owns the kind): the guichet cannot
move it to another service, where it could then be cancelled while the booking keeps its seat."""

from django.urls import reverse

from appointments.models import BookingStatus, Slot
from requests_app.errors import ServiceError
from requests_app.models import Request, Service, Status
from requests_app.services import request_change_service
from tests.accounts.factories import supervisor
from tests.appointments.conftest import paris
from tests.appointments.helpers import book

SLOT = paris(2026, 3, 24, 9)


def test_moving_a_bookings_request_to_another_service_is_refused(agenda, resident_user, agent, now):
    booking = book(agenda, resident_user, SLOT)
    generic = Service.objects.get(code="nid-de-poule")

    try:
        request_change_service(request=booking.request, actor=agent, service=generic)
    except ServiceError as error:
        message = error.message
    else:
        raise AssertionError("the change of service was accepted")

    assert message.startswith(
        "Impossible de changer le service : un rendez-vous se gère depuis sa propre page"
    )
    request = Request.objects.get(pk=booking.request_id)
    assert request.service.kind == "rendez_vous" and request.status == Status.NEW


def test_the_guichet_neither_offers_nor_accepts_the_move_and_the_seat_stays_booked(
    agenda, resident_user, now, client
):
    booking = book(agenda, resident_user, SLOT)
    reference = booking.request.reference
    generic = Service.objects.get(code="nid-de-poule")
    client.force_login(supervisor(email="chef@bethune.fr"))

    page = client.get(reverse("guichet:request_detail", args=[reference])).content.decode()
    assert "Changer de service" not in page
    response = client.post(reverse("guichet:change_service", args=[reference]), {"service": generic.pk})

    assert response.status_code == 400
    assert "Impossible de changer le service : un rendez-vous se gère depuis sa propre page" in (
        response.content.decode().replace("&#x27;", "'")
    )
    request = Request.objects.get(pk=booking.request_id)
    assert request.service.kind == "rendez_vous"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and Slot.objects.get(pk=booking.slot_id).booked == 1


def test_the_service_choice_of_the_guichet_lists_no_owned_kind(db, catalogue):
    from guichet.forms import ServiceChangeForm

    kinds = set(ServiceChangeForm().fields["service"].queryset.values_list("kind", flat=True))
    assert "rendez_vous" not in kinds and "signalement" in kinds


def test_the_app_offers_its_figures_to_the_dashboards_through_the_registry(agenda, resident_user, now):
    import datetime

    from requests_app.registry import registry

    book(agenda, resident_user, SLOT)
    figures = {figure.code: figure for figure in registry.figures()}

    weeks = figures["appointments.bookings_per_week"].compute(
        start=datetime.date(2026, 3, 23), end=datetime.date(2026, 3, 29)
    )
    assert [(w.motif, w.week, w.bookings) for w in weeks] == [("cni", "2026-W13", 1)]
    assert figures["appointments.pacs_registered"].definition
