"""The agents' pages: the day view (and its PDF), marking honoured / no-show / cancelled, booking on behalf.
Residents and anonymous visitors get a 404 on every one of them (accounts.access.agent_required)."""

import datetime
import html

import pytest
from django.urls import reverse

from appointments.models import Booking, BookingStatus
from appointments.services import BookingData, Contact
from requests_app.models import Channel, Notification, Request
from tests.appointments.conftest import paris
from tests.appointments.helpers import ANTS, book

pytestmark = pytest.mark.django_db

SLOT = paris(2026, 3, 24, 9)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _agent_urls(agenda, booking) -> list[tuple[str, str]]:
    return [
        ("get", reverse("appointments:agent_home")),
        ("get", reverse("appointments:agent_day", args=[agenda.pk, "2026-03-24"])),
        ("get", reverse("appointments:agent_day_pdf", args=[agenda.pk, "2026-03-24"])),
        ("get", reverse("appointments:agent_book", args=[agenda.pk]) + "?creneau=" + SLOT.isoformat()),
        ("post", reverse("appointments:agent_booking_action", args=[booking.pk])),
    ]


def test_residents_get_a_404_on_every_agent_page(client, resident_user, other_resident, agenda, now):
    booking = book(agenda, resident_user, SLOT)
    client.force_login(other_resident)

    for method, url in _agent_urls(agenda, booking):
        response = getattr(client, method)(url, {"action": "honoured"} if method == "post" else None)
        assert response.status_code == 404, url
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_anonymous_visitors_get_a_404_on_every_agent_page(client, resident_user, agenda, now):
    booking = book(agenda, resident_user, SLOT)

    for method, url in _agent_urls(agenda, booking):
        response = getattr(client, method)(url, {"action": "honoured"} if method == "post" else None)
        assert response.status_code == 404, url
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_the_day_view_shows_who_comes_when_with_the_ants_number(
    client, agent, resident_user, other_resident, agenda, now
):
    book(agenda, resident_user, SLOT)
    book(agenda, other_resident, paris(2026, 3, 24, 10), ants_number="ZZZZ999999")
    client.force_login(agent)

    response = client.get(reverse("appointments:agent_day", args=[agenda.pk, "2026-03-24"]))

    text = _text(response)
    assert response.status_code == 200
    assert (
        text.index("09:00") < text.index("Jean Dupont") < text.index("10:00") < text.index("Marie Lefebvre")
    )
    assert ANTS in text and "ZZZZ999999" in text
    assert "Photo d'identité de moins de 6 mois" in text  # documents to check
    assert "2 rendez-vous" in text


def _walk_in(agenda, agent, n: int) -> None:
    start = SLOT + datetime.timedelta(minutes=20 * n)
    book(
        agenda,
        None,
        start,
        channel=Channel.GUICHET,
        created_by=agent,
        data=BookingData(ants_number=ANTS, contact=Contact(name=f"Personne {n}", phone="0600000000")),
    )


def test_the_day_view_takes_a_fixed_number_of_queries(
    client, agent, agenda, now, django_assert_max_num_queries
):
    for n in range(2):
        _walk_in(agenda, agent, n)
    client.force_login(agent)
    url = reverse("appointments:agent_day", args=[agenda.pk, "2026-03-24"])
    client.get(url)
    with django_assert_max_num_queries(15) as two_bookings:
        client.get(url)

    for n in range(2, 8):
        _walk_in(agenda, agent, n)

    with django_assert_max_num_queries(len(two_bookings.captured_queries)):
        assert "8 rendez-vous" in _text(client.get(url))


def test_the_day_sheet_is_a_pdf(client, agent, resident_user, agenda, now):
    book(agenda, resident_user, SLOT)
    client.force_login(agent)

    response = client.get(reverse("appointments:agent_day_pdf", args=[agenda.pk, "2026-03-24"]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_agent_marks_an_appointment_honoured(client, agent, resident_user, agenda, now, time_machine):
    booking = book(agenda, resident_user, SLOT)
    time_machine.move_to(paris(2026, 3, 24, 9, 10), tick=False)
    client.force_login(agent)

    response = client.post(
        reverse("appointments:agent_booking_action", args=[booking.pk]), {"action": "honoured"}
    )

    assert response.status_code == 302
    assert Booking.objects.get().status == BookingStatus.HONOURED
    assert Request.objects.get().status == "resolved"


def test_an_agent_cancels_with_a_reason_and_the_resident_is_told(client, agent, resident_user, agenda, now):
    booking = book(agenda, resident_user, SLOT)
    client.force_login(agent)
    url = reverse("appointments:agent_booking_action", args=[booking.pk])

    refused = client.post(url, {"action": "cancel", "reason": ""}, follow=True)
    assert "Indiquez la raison" in _text(refused)
    assert Booking.objects.get().status == BookingStatus.BOOKED

    client.post(url, {"action": "cancel", "reason": "Fermeture pour travaux."})

    assert Booking.objects.get().status == BookingStatus.CANCELLED_BY_SERVICE
    assert Notification.objects.filter(template="appointments/booking_cancelled").exists()


def test_an_agent_books_for_a_caller_without_account(client, agent, agenda, now):
    client.force_login(agent)
    url = reverse("appointments:agent_book", args=[agenda.pk])
    start = paris(2026, 3, 16, 16)  # today, within the residents' 24-hour delay

    page = client.get(url, {"creneau": start.isoformat()})
    assert page.status_code == 200 and "<legend>Canal</legend>" in _text(page)
    response = client.post(
        url,
        {
            "creneau": start.isoformat(),
            "channel": "phone",
            "contact_name": "Paul Durand",
            "contact_phone": "0611223344",
            "email": "",
            "people": "1",
            "ants_number": ANTS,
        },
    )

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.user is None and booking.request.channel == Channel.PHONE
    assert booking.request.requester_name == "Paul Durand" and booking.request.created_by == agent


def test_an_agent_booking_for_an_existing_account_is_attached_to_it(
    client, agent, resident_user, agenda, now
):
    client.force_login(agent)

    client.post(
        reverse("appointments:agent_book", args=[agenda.pk]),
        {
            "creneau": SLOT.isoformat(),
            "channel": "guichet",
            "email": resident_user.email.upper(),
            "contact_name": "",
            "contact_phone": "",
            "people": "1",
            "ants_number": ANTS,
        },
    )

    assert Booking.objects.get().user == resident_user


def test_an_agent_booking_with_bad_input_saves_nothing(client, agent, agenda, now):
    client.force_login(agent)

    response = client.post(
        reverse("appointments:agent_book", args=[agenda.pk]),
        {
            "creneau": SLOT.isoformat(),
            "channel": "guichet",
            "contact_name": "",
            "email": "",
            "people": "1",
            "ants_number": "NOPE",
        },
    )

    assert response.status_code == 400
    assert "10 caractères" in _text(response)
    assert not Booking.objects.exists()


# --- Espaces: an agent works on the agendas of their espaces only -------------------------------------------


def test_an_agent_of_another_espace_gets_a_404_on_every_page_of_the_agenda(
    client, outsider_agent, resident_user, agenda, now
):
    booking = book(agenda, resident_user, SLOT)
    client.force_login(outsider_agent)
    day = reverse("appointments:agent_day", args=[agenda.pk, "2026-03-24"])
    pdf = reverse("appointments:agent_day_pdf", args=[agenda.pk, "2026-03-24"])
    book_url = reverse("appointments:agent_book", args=[agenda.pk])
    action = reverse("appointments:agent_booking_action", args=[booking.pk])

    assert client.get(day).status_code == 404
    assert client.get(pdf).status_code == 404
    assert client.get(book_url, {"creneau": paris(2026, 3, 24, 10).isoformat()}).status_code == 404
    posted = client.post(
        book_url,
        {
            "creneau": paris(2026, 3, 24, 10).isoformat(),
            "channel": "guichet",
            "contact_name": "Paul Durand",
            "contact_phone": "0611223344",
            "email": "",
            "people": "1",
            "ants_number": ANTS,
        },
    )
    assert posted.status_code == 404
    for verb in ("honoured", "no_show", "cancel"):
        assert client.post(action, {"action": verb, "reason": "Fermeture."}).status_code == 404
    assert Booking.objects.get().status == BookingStatus.BOOKED and Booking.objects.count() == 1
    home = _text(client.get(reverse("appointments:agent_home")))
    assert str(agenda) not in home and "Aucun agenda de rendez-vous dans vos espaces." in home


def test_each_agenda_is_seen_by_the_agents_of_its_espace_and_by_managers(
    client, resident_user, agenda, pacs_agenda, manager_user, now
):
    from tests.accounts.factories import agent_of

    citoyen = agent_of("citoyen", email="cni@bethune.fr")
    famille = agent_of("famille", email="pacs@bethune.fr")

    def status(user, which):
        client.force_login(user)
        return client.get(reverse("appointments:agent_day", args=[which.pk, "2026-03-24"])).status_code

    assert (status(citoyen, agenda), status(citoyen, pacs_agenda)) == (200, 404)
    assert (status(famille, agenda), status(famille, pacs_agenda)) == (404, 200)
    assert (status(manager_user, agenda), status(manager_user, pacs_agenda)) == (200, 200)
    client.force_login(famille)
    home = client.get(reverse("appointments:agent_home"), {"agenda": agenda.pk, "jour": "2026-03-24"})
    assert home.status_code == 200 and "Choisissez un de vos agendas" in _text(home)


# --- Dates out of range: a 404 (pages) or a French message (forms), never a 500 -----------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2029-01-01", "2026-02-30", "demain"])
def test_a_day_out_of_range_is_a_404_on_the_day_view_and_its_pdf(client, agent, agenda, now, day):
    client.force_login(agent)

    assert client.get(reverse("appointments:agent_day", args=[agenda.pk, day])).status_code == 404
    assert client.get(reverse("appointments:agent_day_pdf", args=[agenda.pk, day])).status_code == 404


def test_the_agents_home_refuses_a_day_out_of_range_with_a_message(client, agent, agenda, now):
    client.force_login(agent)

    response = client.get(reverse("appointments:agent_home"), {"agenda": agenda.pk, "jour": "9999-12-31"})

    assert response.status_code == 200 and "une date valide" in _text(response)


@pytest.mark.parametrize("creneau", ["9999-12-31T23:59:00-05:00", "0001-01-01T00:00:00+01:00"])
def test_booking_on_behalf_for_a_slot_out_of_range_is_refused_and_saves_nothing(
    client, agent, agenda, now, creneau
):
    client.force_login(agent)
    url = reverse("appointments:agent_book", args=[agenda.pk])

    assert client.get(url, {"creneau": creneau}).status_code == 404
    response = client.post(
        url,
        {
            "creneau": creneau,
            "channel": "guichet",
            "contact_name": "Paul Durand",
            "contact_phone": "0611223344",
            "email": "",
            "people": "1",
            "ants_number": ANTS,
        },
        follow=True,
    )

    assert response.status_code == 200 and "Ce créneau n'existe pas" in _text(response)
    assert not Booking.objects.exists() and not Request.objects.exists()


def test_an_email_longer_than_254_characters_is_a_form_error(client, agent, agenda, now):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".fr"  # valid syntax, 311 characters
    client.force_login(agent)

    response = client.post(
        reverse("appointments:agent_book", args=[agenda.pk]),
        {
            "creneau": SLOT.isoformat(),
            "channel": "guichet",
            "email": email,
            "contact_name": "Paul Durand",
            "contact_phone": "",
            "people": "1",
            "ants_number": ANTS,
        },
    )

    assert response.status_code == 400
    assert "254 caractères" in _text(response)
    assert not Booking.objects.exists() and not Request.objects.exists()
