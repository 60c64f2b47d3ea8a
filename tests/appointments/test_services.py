"""Booking, cancelling, moving and closing appointments: every booking is a spine request, seats are
counted by the database, and refused actions leave nothing behind."""

import datetime
import uuid

import pytest

from appointments.models import Booking, BookingStatus, Slot
from appointments.services import (
    BookingData,
    Contact,
    SlotTaken,
    booking_cancel,
    booking_cancel_by_service,
    booking_mark_honoured,
    booking_mark_no_show,
    booking_reschedule,
)
from requests_app.errors import ServiceError
from requests_app.models import Channel, EventKind, Notification, Request, Status
from tests.appointments.conftest import paris
from tests.appointments.helpers import ANTS, book, partners

pytestmark = pytest.mark.django_db

SLOT = paris(2026, 3, 24, 9)  # Tuesday 24 March 2026, 9:00


def _slot(agenda, start=SLOT) -> Slot:
    return Slot.objects.get(agenda=agenda, starts_at=start)


def test_a_booking_is_a_spine_request_extended_by_a_booking_row(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT)

    request = booking.request
    assert request.service == agenda.service
    assert request.channel == Channel.WEB and request.site == agenda.site
    assert request.status == Status.NEW and request.requester == resident_user
    assert request.reference.startswith("BET-2026-")
    assert request.answers["ants"] == ANTS
    assert booking.starts_at == SLOT and booking.motif == "cni" and booking.user == resident_user
    assert _slot(agenda).booked == 1
    assert list(request.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED]
    notification = Notification.objects.get(request=request)
    assert notification.template == "appointments/booking_confirmed"
    assert notification.recipient == resident_user.email


def test_each_person_takes_one_seat_of_the_slot(agenda, resident_user, now):
    book(agenda, resident_user, SLOT, people=2)

    assert _slot(agenda).booked == 2


def test_more_people_than_the_agenda_allows_is_refused(agenda, resident_user, now):
    with pytest.raises(ServiceError, match="de 1 à 2 personne"):
        book(agenda, resident_user, SLOT, people=3)

    assert not Request.objects.exists()


def test_the_last_seat_cannot_be_taken_twice(agenda, resident_user, other_resident, agent, now):
    book(agenda, resident_user, SLOT)
    book(agenda, other_resident, SLOT)

    with pytest.raises(SlotTaken) as error:
        book(agenda, agent, SLOT)

    assert error.value.code == "slot_taken" and error.value.starts_at == SLOT
    assert _slot(agenda).booked == 2
    assert Booking.objects.count() == 2 and Request.objects.count() == 2


def test_a_family_needing_more_seats_than_left_is_refused(agenda, resident_user, other_resident, now):
    book(agenda, resident_user, SLOT)

    with pytest.raises(SlotTaken, match="n'a plus 2 places"):
        book(agenda, other_resident, SLOT, people=2)

    assert _slot(agenda).booked == 1


def test_a_resident_cannot_hold_two_future_bookings_for_the_same_motif(agenda, resident_user, now):
    first = book(agenda, resident_user, SLOT)

    with pytest.raises(ServiceError, match="Vous avez déjà un rendez-vous") as error:
        book(agenda, resident_user, paris(2026, 3, 25, 9))

    assert error.value.code == "already_booked"
    assert first.request.reference in error.value.message
    assert Booking.objects.count() == 1
    assert Slot.objects.get(starts_at=paris(2026, 3, 25, 9)).booked == 0


def test_another_motif_or_a_cancelled_or_past_booking_does_not_block(
    agenda, pacs_agenda, resident_user, now, time_machine
):
    first = book(agenda, resident_user, SLOT)
    book(pacs_agenda, resident_user, paris(2026, 3, 24, 14), data=BookingData(partners=partners()))
    booking_cancel(booking=first)
    second = book(agenda, resident_user, paris(2026, 3, 25, 9))

    time_machine.move_to(paris(2026, 3, 26, 9), tick=False)  # the second appointment is now past
    third = book(agenda, resident_user, paris(2026, 3, 30, 9))

    assert second.status == third.status == BookingStatus.BOOKED


@pytest.mark.parametrize("value", ["A1B2C3D4E", "A1B2C3D4E5F", "A1B2C3D4É5", "A1B2-C3D4_E", ""])
def test_a_malformed_ants_number_is_refused(agenda, resident_user, now, value):
    with pytest.raises(ServiceError, match="10 caractères") as error:
        book(agenda, resident_user, SLOT, ants_number=value)

    assert error.value.field == "ants_number"
    assert not Request.objects.exists() and not Slot.objects.exists()


def test_the_ants_number_is_stored_in_capitals_without_spaces(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT, ants_number="a1b2c 3d4e5")

    assert booking.ants_number == "A1B2C3D4E5"


@pytest.mark.parametrize(
    "start", [paris(2026, 3, 13, 9), paris(2026, 3, 24, 13), paris(2026, 4, 6, 9), paris(2026, 7, 1, 9)]
)
def test_an_unbookable_slot_saves_nothing(agenda, resident_user, now, start):
    with pytest.raises(ServiceError):
        book(agenda, resident_user, start)

    assert not Request.objects.exists() and not Slot.objects.exists()


def test_a_pacs_booking_keeps_both_partners(pacs_agenda, resident_user, now):
    booking = book(pacs_agenda, resident_user, paris(2026, 3, 24, 14), data=BookingData(partners=partners()))

    assert [p["last_name"] for p in booking.partners] == ["Dupont", "Martin"]
    assert booking.partners[0]["birth_date"] == "1990-01-02"
    assert booking.request.service.code == "rdv-pacs"


def test_a_pacs_needs_two_adult_partners_with_a_contact(pacs_agenda, resident_user, now):
    start = paris(2026, 3, 24, 14)
    with pytest.raises(ServiceError, match="deux partenaires"):
        book(pacs_agenda, resident_user, start, data=BookingData(partners=partners()[:1]))
    with pytest.raises(ServiceError, match="majeur"):
        book(
            pacs_agenda, resident_user, start, data=BookingData(partners=partners(datetime.date(2010, 1, 1)))
        )
    no_contact = partners()
    no_contact[1].phone = ""
    with pytest.raises(ServiceError, match="partenaire 2"):
        book(pacs_agenda, resident_user, start, data=BookingData(partners=no_contact))

    assert not Booking.objects.exists()


def test_the_same_form_posted_twice_books_once(agenda, resident_user, now):
    key = uuid.uuid4()
    first = book(agenda, resident_user, SLOT, submission_key=key)
    second = book(agenda, resident_user, SLOT, submission_key=key)

    assert first.pk == second.pk
    assert _slot(agenda).booked == 1


def test_an_agent_books_for_someone_without_account_within_the_minimum_delay(agenda, agent, now):
    booking = book(
        agenda,
        None,
        paris(2026, 3, 16, 17),
        channel=Channel.GUICHET,
        created_by=agent,
        data=BookingData(ants_number=ANTS, contact=Contact(name="Paul Durand", phone="0611223344")),
    )

    assert booking.user is None
    assert booking.request.channel == Channel.GUICHET
    assert booking.request.created_by == agent
    assert booking.request.requester_name == "Paul Durand"


def test_an_agent_booking_without_any_contact_is_refused(agenda, agent, now):
    with pytest.raises(ServiceError, match="nom de la personne"):
        book(agenda, None, SLOT, channel=Channel.PHONE, created_by=agent)

    assert not Request.objects.exists()


# --- cancel -----------------------------------------------------------------------------------------------


def test_cancelling_frees_the_seat_at_once_and_cancels_the_request(
    agenda, resident_user, other_resident, now
):
    booking = book(agenda, resident_user, SLOT, people=2)

    booking_cancel(booking=booking)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_USER
    assert _slot(agenda).booked == 0
    request = Request.objects.get(pk=booking.request_id)
    assert request.status == Status.CANCELLED and not request.is_open
    assert request.events.filter(kind=EventKind.STATUS, new_status=Status.CANCELLED).count() == 1
    assert book(agenda, other_resident, SLOT, people=2).status == BookingStatus.BOOKED


def test_cancelling_after_the_cut_off_is_refused_with_the_phone_number(
    agenda, resident_user, now, time_machine
):
    booking = book(agenda, resident_user, SLOT)
    time_machine.move_to(paris(2026, 3, 23, 9, 30), tick=False)  # 23.5 hours before

    with pytest.raises(ServiceError, match="03 21 63 00 00") as error:
        booking_cancel(booking=booking)

    assert error.value.code == "cutoff"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and _slot(agenda).booked == 1


def test_cancelling_twice_is_refused(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT)
    booking_cancel(booking=booking)

    with pytest.raises(ServiceError, match="n'est plus actif"):
        booking_cancel(booking=booking)

    assert _slot(agenda).booked == 0


# --- reschedule -------------------------------------------------------------------------------------------


def test_moving_takes_the_new_seat_frees_the_old_and_writes_it_in_the_thread(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT)
    new = paris(2026, 3, 25, 10)

    moved = booking_reschedule(booking=booking, starts_at=new)

    assert moved.starts_at == new and moved.reschedule_count == 1
    assert _slot(agenda).booked == 0 and _slot(agenda, new).booked == 1
    event = moved.request.events.get(kind=EventKind.MESSAGE)
    assert "déplacé" in event.message.body
    assert Notification.objects.get(event=event).template == "appointments/booking_rescheduled"
    assert moved.convocation_key == f"{moved.pk}-1"


def test_moving_to_a_full_slot_keeps_the_booking_where_it_was(
    agenda, resident_user, other_resident, agent, now
):
    booking = book(agenda, resident_user, SLOT)
    full = paris(2026, 3, 25, 10)
    book(agenda, other_resident, full)
    book(agenda, agent, full)

    with pytest.raises(SlotTaken):
        booking_reschedule(booking=booking, starts_at=full)

    booking.refresh_from_db()
    assert booking.starts_at == SLOT and _slot(agenda).booked == 1 and _slot(agenda, full).booked == 2


def test_moving_after_the_cut_off_is_refused(agenda, resident_user, now, time_machine):
    booking = book(agenda, resident_user, SLOT)
    time_machine.move_to(paris(2026, 3, 23, 12), tick=False)

    with pytest.raises(ServiceError, match="trop tard"):
        booking_reschedule(booking=booking, starts_at=paris(2026, 3, 25, 10))

    assert not Slot.objects.filter(starts_at=paris(2026, 3, 25, 10)).exists()


# --- agents -----------------------------------------------------------------------------------------------


def test_cancelled_by_the_service_rejects_the_request_and_emails_the_reason(
    agenda, resident_user, agent, now
):
    booking = book(agenda, resident_user, SLOT)

    booking_cancel_by_service(booking=booking, agent=agent, reason="Agent absent ce jour-là.")

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_SERVICE
    assert _slot(agenda).booked == 0
    request = Request.objects.get(pk=booking.request_id)
    assert request.status == Status.REJECTED
    assert "Agent absent" in request.messages.get().body
    notification = Notification.objects.get(request=request, template="appointments/booking_cancelled")
    assert notification.context == {"reason": "Agent absent ce jour-là."}


def test_cancelling_for_the_service_needs_a_reason(agenda, resident_user, agent, now):
    booking = book(agenda, resident_user, SLOT)

    with pytest.raises(ServiceError, match="raison"):
        booking_cancel_by_service(booking=booking, agent=agent, reason="  ")

    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_honoured_resolves_and_no_show_rejects_the_request(
    agenda, resident_user, other_resident, agent, now, time_machine
):
    honoured = book(agenda, resident_user, SLOT)
    absent = book(agenda, other_resident, SLOT)
    time_machine.move_to(paris(2026, 3, 24, 9, 30), tick=False)

    booking_mark_honoured(booking=honoured, agent=agent)
    booking_mark_no_show(booking=absent, agent=agent)

    assert Request.objects.get(pk=honoured.request_id).status == Status.RESOLVED
    assert Request.objects.get(pk=absent.request_id).status == Status.REJECTED
    assert set(Booking.objects.values_list("status", flat=True)) == {
        BookingStatus.HONOURED,
        BookingStatus.NO_SHOW,
    }
    assert _slot(agenda).booked == 2  # a no-show still used the slot


def test_an_appointment_cannot_be_marked_before_its_day(agenda, resident_user, agent, now):
    booking = book(agenda, resident_user, SLOT)

    with pytest.raises(ServiceError, match="pas encore eu lieu"):
        booking_mark_honoured(booking=booking, agent=agent)


# --- the booking owns its request on the spine -----------------------------------------------------------


def test_the_spine_refuses_to_move_a_booking_request_from_outside_the_app(agenda, resident_user, agent, now):
    from requests_app.errors import TransitionNotAllowed
    from requests_app.services import request_cancel, request_transition

    booking = book(agenda, resident_user, SLOT)

    with pytest.raises(TransitionNotAllowed, match="se gère depuis sa propre page"):
        request_cancel(request=booking.request, actor=resident_user, as_requester=True)
    with pytest.raises(TransitionNotAllowed, match="se gère depuis sa propre page"):
        request_transition(
            request=booking.request, to_status=Status.RESOLVED, actor=agent, message="Clos au guichet."
        )

    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and _slot(agenda).booked == 1
    assert Request.objects.get(pk=booking.request_id).status == Status.NEW


def test_the_app_registers_the_booking_pages_as_the_requests_own(agenda, resident_user, now):
    from django.urls import reverse

    from appointments.links import booking_from_token
    from requests_app.selectors import ownership_of

    booking = book(agenda, resident_user, SLOT)
    request = Request.objects.get(pk=booking.request_id)

    owner = ownership_of(request=request)

    assert owner is not None and owner.noun == "rendez-vous"
    path = owner.resident_path(request)
    assert path.startswith("/rendez-vous/gerer/")
    assert booking_from_token(path.split("/")[-2]).booking == booking
    assert owner.agent_path(request) == reverse("appointments:agent_day", args=[agenda.pk, "2026-03-24"])


def test_cancelling_through_the_link_is_the_requesters_own_cancellation(agenda, resident_user, now):
    booking = book(agenda, resident_user, SLOT)

    booking_cancel(booking=booking)

    request = Request.objects.get(pk=booking.request_id)
    event = request.events.get(kind=EventKind.STATUS, new_status=Status.CANCELLED)
    assert event.actor == resident_user
    assert request.first_response_at is None and not request.messages.exists()
    assert not Notification.objects.filter(request=request, template="status_changed").exists()


def test_a_link_cancellation_of_a_request_already_taken_up_is_recorded_with_a_message(
    agenda, resident_user, agent, now
):
    from appointments.registration import owner
    from requests_app.services import request_transition

    booking = book(agenda, resident_user, SLOT)
    request_transition(request=booking.request, to_status=Status.IN_PROGRESS, actor=agent, owner=owner())

    booking_cancel(booking=booking)

    request = Request.objects.get(pk=booking.request_id)
    assert request.status == Status.CANCELLED and _slot(agenda).booked == 0
    assert "annulé par la personne" in request.messages.get().body


def test_the_agents_closing_moves_carry_their_message(agenda, resident_user, agent, now, time_machine):
    cancelled = book(agenda, resident_user, SLOT)
    booking_cancel_by_service(booking=cancelled, agent=agent, reason="Fermeture exceptionnelle.")
    honoured = book(agenda, resident_user, paris(2026, 3, 24, 10))
    time_machine.move_to(paris(2026, 3, 24, 11), tick=False)
    booking_mark_honoured(booking=honoured, agent=agent)

    for booking in (cancelled, honoured):
        request = Request.objects.get(pk=booking.request_id)
        message = request.messages.get()
        assert message.from_staff and message.author == agent and request.first_response_at is not None
    assert "Fermeture exceptionnelle." in Request.objects.get(pk=cancelled.request_id).messages.get().body
