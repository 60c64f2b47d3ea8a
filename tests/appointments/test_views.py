"""The resident's booking pages and the signed cancel/move link: the happy path, 404 for others, and each bad
input answered with a clear French message and nothing saved."""

import html as html_lib
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.urls import reverse

from appointments.links import manage_path, manage_token
from appointments.models import Booking, BookingStatus, Closure, Slot
from requests_app.models import Request
from tests.appointments.conftest import paris
from tests.appointments.helpers import ANTS, book

pytestmark = pytest.mark.django_db

SLOT = paris(2026, 3, 24, 9)
DETAILS = reverse("appointments:details", args=["cni", "hdv"])


def _text(response) -> str:
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def client_in(client, resident_user):
    client.force_login(resident_user)
    return client


def _post(client, start=SLOT, **data):
    return client.post(DETAILS, {"creneau": start.isoformat(), "ants_number": ANTS, "people": "1", **data})


def test_the_home_page_lists_the_motifs_open_for_booking(client, agenda, pacs_agenda):
    response = client.get(reverse("appointments:home"))

    assert response.status_code == 200
    assert "Carte nationale d'identité" in _text(response) and "Enregistrement d'un PACS" in _text(response)
    assert "Passeport</a>" not in _text(response)  # no agenda for passports in this test


def test_booking_pages_need_a_login(client, agenda):
    response = client.get(reverse("appointments:month", args=["cni", "hdv"]))

    assert response.status_code == 302 and "/comptes/login/" in response.url


def test_booking_needs_a_verified_email_address(client, resident_user, agenda):
    EmailAddress.objects.filter(user=resident_user).update(verified=False)
    client.force_login(resident_user)

    response = client.get(reverse("appointments:month", args=["cni", "hdv"]))

    assert response.status_code == 302 and response.url == reverse("account_email")


def test_an_unknown_motif_or_site_is_a_404(client_in, agenda):
    assert client_in.get(reverse("appointments:sites", args=["permis"])).status_code == 404
    assert client_in.get(reverse("appointments:month", args=["cni", "nulle-part"])).status_code == 404
    assert client_in.get(reverse("appointments:day", args=["cni", "hdv", "2026-13-45"])).status_code == 404


def test_the_month_calendar_links_only_days_with_free_slots(client_in, agenda, now):
    response = client_in.get(reverse("appointments:month", args=["cni", "hdv"]))

    assert response.status_code == 200
    assert "<caption>Mars 2026</caption>" in _text(response)
    assert reverse("appointments:day", args=["cni", "hdv", "2026-03-24"]) in _text(response)
    assert reverse("appointments:day", args=["cni", "hdv", "2026-03-21"]) not in _text(response)  # Saturday
    assert reverse("appointments:day", args=["cni", "hdv", "2026-03-16"]) not in _text(response)  # today
    assert "?mois=2026-04" in _text(response)


def test_the_day_page_offers_the_slots_as_one_radio_group(client_in, agenda, now):
    response = client_in.get(reverse("appointments:day", args=["cni", "hdv", "2026-03-24"]))

    assert response.status_code == 200
    html = _text(response)
    assert "<fieldset" in html and "<legend>Créneaux libres le mardi 24 mars</legend>" in html
    assert html.count('type="radio"') == 19
    assert f'value="{SLOT.isoformat()}"' in html
    assert 'style="' not in html and "<script>" not in html


def test_the_details_page_asks_the_ants_number_with_an_example(client_in, agenda, now):
    response = client_in.get(DETAILS, {"creneau": SLOT.isoformat()})

    assert response.status_code == 200
    assert "Numéro de pré-demande ANTS" in _text(response) and "A1B2C3D4E5" in _text(response)
    assert "mardi 24 mars 2026 à 09:00" in _text(response)
    assert "Photo d'identité de moins de 6 mois" in _text(response)


def test_a_resident_books_and_sees_the_confirmation(client_in, resident_user, agenda, now):
    response = _post(client_in, people="2")

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("appointments:confirmation", args=[booking.request.reference])
    assert booking.user == resident_user and booking.people == 2 and booking.ants_number == ANTS
    page = client_in.get(response.url)
    assert page.status_code == 200
    assert booking.request.reference in _text(page) and "Votre rendez-vous est confirmé" in _text(page)
    assert manage_path(booking) in _text(page)


def test_another_resident_cannot_see_the_confirmation(client, other_resident, resident_user, agenda, now):
    booking = book(agenda, resident_user, SLOT)
    client.force_login(other_resident)

    assert (
        client.get(reverse("appointments:confirmation", args=[booking.request.reference])).status_code == 404
    )


def test_a_slot_taken_meanwhile_says_so_and_shows_the_nearest_free_slots(
    client_in, agenda, other_resident, agent, now
):
    book(agenda, other_resident, SLOT)
    book(agenda, agent, SLOT)

    response = _post(client_in)

    assert response.status_code == 400
    assert "Ce créneau vient d'être réservé par quelqu'un d'autre" in _text(response)
    assert "Créneaux libres les plus proches" in _text(response)
    assert "mardi 24 mars 2026 à 09:20" in _text(response)
    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (paris(2026, 3, 13, 9), "Ce créneau est déjà passé"),
        (paris(2026, 3, 24, 13), "en dehors des horaires d'ouverture"),
        (paris(2026, 4, 6, 9), "Ce jour est férié"),
        (paris(2026, 7, 1, 9), "pas encore ouvert à la réservation"),
    ],
)
def test_an_unbookable_slot_is_refused_with_a_clear_message(client_in, agenda, now, start, message):
    response = _post(client_in, start=start)

    assert response.status_code == 400
    assert message in _text(response)
    assert not Request.objects.exists() and not Slot.objects.exists()


def test_a_slot_on_a_closure_is_refused_with_its_reason(client_in, agenda, hdv, now):
    Closure.objects.create(
        site=hdv, starts_at=paris(2026, 3, 24, 0), ends_at=paris(2026, 3, 25, 0), reason="Inventaire"
    )

    response = _post(client_in)

    assert response.status_code == 400 and "Inventaire" in _text(response)
    assert not Request.objects.exists()


def test_a_malformed_ants_number_is_refused_on_its_field(client_in, agenda, now):
    response = _post(client_in, ants_number="12345")

    assert response.status_code == 400
    assert "Le numéro de pré-demande ANTS compte 10 caractères" in _text(response)
    assert 'id="id_ants_number_erreur"' in _text(response)
    assert not Request.objects.exists()


def test_a_second_future_booking_for_the_same_motif_is_refused(client_in, resident_user, agenda, now):
    first = book(agenda, resident_user, paris(2026, 3, 30, 9))

    response = _post(client_in)

    assert response.status_code == 400
    assert "Vous avez déjà un rendez-vous" in _text(response) and first.request.reference in _text(response)
    assert Booking.objects.count() == 1


def test_the_pacs_form_asks_both_partners_and_shows_the_checklist(client_in, pacs_agenda, now):
    url = reverse("appointments:details", args=["pacs", "hdv"])
    start = paris(2026, 3, 24, 14)

    page = client_in.get(url, {"creneau": start.isoformat()})
    assert _text(page).count('class="rdv-partner"') == 2 and "<legend>Partenaire 2</legend>" in _text(page)
    assert "Convention de PACS" in _text(page)

    response = client_in.post(
        url,
        {
            "creneau": start.isoformat(),
            "partner1_last_name": "Dupont",
            "partner1_first_name": "Jean",
            "partner1_birth_date": "1990-01-02",
            "partner1_email": "jean@example.fr",
            "partner2_last_name": "Martin",
            "partner2_first_name": "Claire",
            "partner2_birth_date": "1992-05-04",
            "partner2_phone": "0612345678",
        },
    )

    assert response.status_code == 302
    assert [p["first_name"] for p in Booking.objects.get().partners] == ["Jean", "Claire"]


def test_a_partners_email_longer_than_254_characters_is_a_form_error(client_in, pacs_agenda, now):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".fr"  # valid syntax, 311 characters
    start = paris(2026, 3, 24, 14)

    response = client_in.post(
        reverse("appointments:details", args=["pacs", "hdv"]),
        {
            "creneau": start.isoformat(),
            "partner1_last_name": "Dupont",
            "partner1_first_name": "Jean",
            "partner1_birth_date": "1990-01-02",
            "partner1_email": email,
            "partner2_last_name": "Martin",
            "partner2_first_name": "Claire",
            "partner2_birth_date": "1992-05-04",
            "partner2_phone": "0612345678",
        },
    )

    assert response.status_code == 400 and "254 caractères" in _text(response)
    assert not Booking.objects.exists() and not Request.objects.exists()


# --- dates out of range: a 404 or a French message, never a 500 ---------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2029-01-01", "2026-02-30"])
def test_a_day_out_of_range_is_a_404(client_in, agenda, now, day):
    assert client_in.get(reverse("appointments:day", args=["cni", "hdv", day])).status_code == 404


@pytest.mark.parametrize("month", ["99999999999999999999-1", "9999-99", "0-1", "n'importe quoi"])
def test_a_malformed_month_shows_the_first_bookable_month(client_in, agenda, now, month):
    response = client_in.get(reverse("appointments:month", args=["cni", "hdv"]), {"mois": month})

    assert response.status_code == 200 and "mars 2026" in _text(response).lower()


@pytest.mark.parametrize("creneau", ["9999-12-31T23:59:00-05:00", "0001-01-01T00:00:00+01:00"])
def test_a_slot_out_of_range_is_refused_with_a_message_and_saves_nothing(client_in, agenda, now, creneau):
    page = client_in.get(DETAILS, {"creneau": creneau}, follow=True)
    response = client_in.post(DETAILS, {"creneau": creneau, "ants_number": ANTS, "people": "1"}, follow=True)

    for answer in (page, response):
        assert answer.status_code == 200 and "Choisissez d'abord un jour puis un créneau." in _text(answer)
    assert not Booking.objects.exists() and not Request.objects.exists()


def test_moving_to_a_day_out_of_range_is_a_404_and_changes_nothing(client, resident_user, agenda, now):
    booking = book(agenda, resident_user, SLOT)
    token = manage_token(booking)

    for day in ("9999-12-31", "0001-01-01"):
        url = reverse("appointments:move_day", args=[token, day])
        assert client.get(url).status_code == 404
        assert client.post(url, {"creneau": "9999-12-31T23:59:00-05:00"}).status_code == 404
    booking.refresh_from_db()
    assert booking.starts_at == SLOT and booking.reschedule_count == 0


# --- the signed link ----------------------------------------------------------------------------------------


def test_the_link_lets_the_person_cancel_without_logging_in(
    client, resident_user, other_resident, agenda, now
):
    booking = book(agenda, resident_user, SLOT, people=2)
    page = client.get(manage_path(booking))
    assert page.status_code == 200 and "Annuler mon rendez-vous" in _text(page)

    response = client.post(reverse("appointments:manage_cancel", args=[manage_token(booking)]))

    assert response.status_code == 200 and "Votre rendez-vous est annulé" in _text(response)
    assert Booking.objects.get().status == BookingStatus.CANCELLED_BY_USER
    assert Slot.objects.get().booked == 0
    client.force_login(other_resident)
    assert f'value="{SLOT.isoformat()}"' in _text(
        client.get(reverse("appointments:day", args=["cni", "hdv", "2026-03-24"]))
    )


def test_a_tampered_link_is_a_404_and_changes_nothing(client, resident_user, agenda, now):
    booking = book(agenda, resident_user, SLOT)
    token = manage_token(booking)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    forged = signing.dumps({"b": booking.pk, "k": "0" * 32}, salt="appointments.manage", compress=True)

    assert client.get(reverse("appointments:manage", args=[tampered])).status_code == 404
    assert client.post(reverse("appointments:manage_cancel", args=[tampered])).status_code == 404
    assert client.post(reverse("appointments:manage_cancel", args=[forged])).status_code == 404
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_an_expired_link_says_so(client, resident_user, agenda, now, time_machine):
    booking = book(agenda, resident_user, SLOT)
    token = manage_token(booking)
    time_machine.move_to(paris(2027, 6, 1, 9), tick=False)

    response = client.post(reverse("appointments:manage_cancel", args=[token]))

    assert response.status_code == 410
    assert "Ce lien n'est plus valable" in _text(response) and "03 21 63 00 00" in _text(response)
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_cancelling_after_the_cut_off_points_to_the_guichet(client, resident_user, agenda, now, time_machine):
    booking = book(agenda, resident_user, SLOT)
    time_machine.move_to(paris(2026, 3, 23, 10), tick=False)

    page = client.get(manage_path(booking))
    response = client.post(reverse("appointments:manage_cancel", args=[manage_token(booking)]))

    assert "contactez le Guichet Unique au 03 21 63 00 00" in _text(page)
    assert response.status_code == 400
    assert "contactez le Guichet Unique au 03 21 63 00 00" in _text(response)
    assert Booking.objects.get().status == BookingStatus.BOOKED and Slot.objects.get().booked == 1


def test_the_link_lets_the_person_move_the_appointment(client, resident_user, agenda, now):
    booking = book(agenda, resident_user, SLOT)
    token = manage_token(booking)
    month = client.get(reverse("appointments:move_month", args=[token]))
    day_url = reverse("appointments:move_day", args=[token, "2026-03-30"])
    assert day_url in _text(month)

    new = paris(2026, 3, 30, 15, 20)
    response = client.post(day_url, {"creneau": new.isoformat()})

    assert response.status_code == 302 and response.url == reverse("appointments:manage", args=[token])
    booking.refresh_from_db()
    assert booking.starts_at == new
    assert Slot.objects.get(starts_at=SLOT).booked == 0 and Slot.objects.get(starts_at=new).booked == 1


def test_moving_to_a_slot_taken_meanwhile_is_refused(
    client, resident_user, other_resident, agent, agenda, now
):
    booking = book(agenda, resident_user, SLOT)
    new = paris(2026, 3, 30, 15, 20)
    url = reverse("appointments:move_day", args=[manage_token(booking), "2026-03-30"])
    page = client.get(url)  # the slot is shown free…
    assert f'value="{new.isoformat()}"' in _text(page)
    book(agenda, other_resident, new)  # …then two people take it
    book(agenda, agent, new)

    response = client.post(url, {"creneau": new.isoformat()})

    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.starts_at == SLOT


def test_pages_have_no_inline_style_or_script(client_in, agenda, now):
    for url in (
        reverse("appointments:home"),
        reverse("appointments:month", args=["cni", "hdv"]),
        DETAILS + "?creneau=" + SLOT.isoformat().replace("+", "%2B"),
    ):
        html = _text(client_in.get(url))
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html and " on" + "click=" not in html, url
