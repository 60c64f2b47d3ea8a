"""The resident's booking pages, the signed manage link, and the agents' pages."""

import pytest
from django.urls import reverse

from encombrants.links import manage_path, manage_token
from encombrants.models import DayCapacity, Pickup, PickupStatus
from requests_app.models import Request, Status, Street
from tests.accounts.factories import resident
from tests.encombrants.conftest import DAY, paris
from tests.encombrants.helpers import book, photo

pytestmark = pytest.mark.django_db


def _start_post(**extra):
    data = {
        "street": Street.objects.get(name="rue Hoche").pk,
        "street_number": "12 bis",
        "item_matelas": "1",
        "item_chaise": "2",
        "location_note": "Devant le portail",
    }
    data.update(extra)
    return data


def test_a_resident_books_through_the_three_steps(client, seeded, resident_user, now):
    client.force_login(resident_user)
    assert "déchèterie" in client.get(reverse("encombrants:home")).content.decode()

    response = client.post(reverse("encombrants:start"), _start_post())
    assert response.status_code == 302 and response.url == reverse("encombrants:days")
    page = client.get(reverse("encombrants:days")).content.decode()
    assert "Centre – Gare" in page and "25 places, 40 m³ libres" in page
    assert "Jour férié" in page  # Easter Monday, greyed with why

    response = client.post(reverse("encombrants:days"), {"jour": DAY.isoformat()})
    assert response.status_code == 302 and response.url == reverse("encombrants:summary")
    page = client.get(reverse("encombrants:summary")).content.decode()
    assert "0,8 m³" in page and "12 BIS rue Hoche" in page

    response = client.post(reverse("encombrants:summary"), {"photo": photo()})
    pickup = Pickup.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("encombrants:confirmation", args=[pickup.request.reference])
    assert pickup.request.attachments.count() == 1
    page = client.get(response.url).content.decode()
    assert "confirmé" in page and manage_path(pickup) in page


def test_a_refused_item_is_said_on_the_field_and_nothing_is_saved(client, seeded, resident_user, now):
    client.force_login(resident_user)
    response = client.post(reverse("encombrants:start"), _start_post(other="4 pneus"))
    assert response.status_code == 400
    assert "apportez-les en déchèterie ou garage" in response.content.decode()
    assert "encombrants_draft" not in client.session
    assert Request.objects.count() == 0


def test_over_the_limits_is_said_in_the_items_fieldset(client, seeded, resident_user, now):
    client.force_login(resident_user)
    response = client.post(
        reverse("encombrants:start"), _start_post(item_chaise="6", item_velo="2", item_tapis="2")
    )
    assert response.status_code == 400
    assert "au plus 10 objets" in response.content.decode()


def test_a_day_filled_meanwhile_sends_back_to_the_days_with_a_message(
    client, seeded, resident_user, centre, now
):
    client.force_login(resident_user)
    client.post(reverse("encombrants:start"), _start_post())
    client.post(reverse("encombrants:days"), {"jour": DAY.isoformat()})
    DayCapacity.objects.create(sector=centre, day=DAY, pickups_max=1, pickups_booked=1, volume_max=40_000)

    response = client.post(reverse("encombrants:summary"), {}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("encombrants:days")
    page = response.content.decode()
    assert "vient d&#x27;être complet" in page or "vient d'être complet" in page
    assert Pickup.objects.count() == 0


def test_a_full_day_cannot_be_chosen(client, seeded, resident_user, centre, now):
    DayCapacity.objects.create(sector=centre, day=DAY, pickups_max=1, pickups_booked=1, volume_max=40_000)
    client.force_login(resident_user)
    client.post(reverse("encombrants:start"), _start_post())
    page = client.get(reverse("encombrants:days")).content.decode()
    assert "Complet : plus aucun enlèvement possible ce jour." in page
    response = client.post(reverse("encombrants:days"), {"jour": DAY.isoformat()})
    assert response.status_code == 400 and "ne peut pas être réservé" in response.content.decode()


def test_the_manage_link_gives_the_pdf_and_ics_and_cancels(client, seeded, resident_user, now):
    pickup = book(resident_user)
    token = manage_token(pickup)
    assert client.get(reverse("encombrants:manage", args=[token])).status_code == 200
    pdf = client.get(reverse("encombrants:manage_pdf", args=[token]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ics = client.get(reverse("encombrants:manage_ics", args=[token]))
    assert b"BEGIN:VEVENT" in ics.content and b"DTSTART;VALUE=DATE:20260319" in ics.content

    response = client.post(reverse("encombrants:manage_cancel", args=[token]))

    assert response.status_code == 302
    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.CANCELLED


def test_a_tampered_link_is_a_404(client, seeded, resident_user, now):
    token = manage_token(book(resident_user))
    assert client.get(reverse("encombrants:manage", args=[token[:-2] + "xx"])).status_code == 404
    assert client.post(reverse("encombrants:manage_cancel", args=[token + "a"])).status_code == 404


def test_cancelling_by_link_after_the_cut_off_is_refused(client, seeded, resident_user, now, time_machine):
    pickup = book(resident_user)
    time_machine.move_to(paris(2026, 3, 18, 13, 0), tick=False)
    response = client.post(reverse("encombrants:manage_cancel", args=[manage_token(pickup)]))
    assert response.status_code == 400 and "trop tard" in response.content.decode()
    pickup.refresh_from_db()
    assert pickup.is_active


def test_amending_by_link_keeps_the_place(client, seeded, resident_user, now):
    pickup = book(resident_user)
    token = manage_token(pickup)
    assert client.get(reverse("encombrants:manage_amend", args=[token])).status_code == 200

    response = client.post(
        reverse("encombrants:manage_amend", args=[token]),
        {"item_matelas": "2", "jour": DAY.isoformat(), "location_note": ""},
    )

    assert response.status_code == 302
    pickup.refresh_from_db()
    assert pickup.volume_l == 1000 and pickup.amend_count == 1


def test_the_round_sheet_lists_the_sectors_pickups_by_street_and_number(client, seeded, crew, now):
    book(resident(), street=Street.objects.get(name="rue Jaurès"), number="3")
    book(resident(), street=Street.objects.get(name="rue Hoche"), number="21")
    book(resident(), street=Street.objects.get(name="rue Hoche"), number="4")
    book(resident(), street=Street.objects.get(name="boulevard Vauban"), number="10")
    book(resident(), street=Street.objects.get(name="rue Verlaine"), number="1")  # another sector
    client.force_login(crew)

    page = client.get(reverse("encombrants:agent_round", args=["centre", DAY.isoformat()])).content.decode()

    order = [
        page.index(address)
        for address in ("10 boulevard Vauban", "4 rue Hoche", "21 rue Hoche", "3 rue Jaurès")
    ]
    assert order == sorted(order)
    assert "rue Verlaine" not in page
    pdf = client.get(reverse("encombrants:agent_round_pdf", args=["centre", DAY.isoformat()]))
    assert pdf.content.startswith(b"%PDF")


def test_the_crew_records_a_partial_collection_and_the_resident_is_told(
    client, seeded, crew, resident_user, now, time_machine
):
    pickup = book(resident_user)
    time_machine.move_to(paris(2026, 3, 19, 9, 30), tick=False)
    client.force_login(crew)
    line = pickup.lines.get(item__code="chaise")

    response = client.post(
        reverse("encombrants:agent_outcome", args=[pickup.pk]),
        {
            "outcome": "partly_collected",
            f"refused_{line.pk}": "1",
            "note": "Chaise cassée en morceaux",
            "photo": photo(),
        },
    )

    assert response.status_code == 302
    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.PARTLY_COLLECTED and pickup.outcome_photo
    assert pickup.request.status == Status.RESOLVED
    assert "1 × Chaise" in pickup.request.messages.get().body
    assert pickup.request.notifications.filter(template="encombrants/outcome").count() == 1
    client.force_login(resident_user)
    page = client.get(reverse("encombrants:manage", args=[manage_token(pickup)])).content.decode()
    assert "Collecté en partie" in page and "1 × Chaise" in page


def test_a_partial_collection_without_refused_items_is_refused(
    client, seeded, crew, resident_user, now, time_machine
):
    pickup = book(resident_user)
    time_machine.move_to(paris(2026, 3, 19, 9, 30), tick=False)
    client.force_login(crew)
    response = client.post(
        reverse("encombrants:agent_outcome", args=[pickup.pk]), {"outcome": "partly_collected"}
    )
    assert (
        response.status_code == 400
        and "objets que l&#x27;équipe n&#x27;a pas pris" in response.content.decode()
    )
    pickup.refresh_from_db()
    assert pickup.is_active


def test_an_agent_books_on_the_phone_for_someone_without_email(client, seeded, crew, now):
    client.force_login(crew)
    assert client.get(reverse("encombrants:agent_book")).status_code == 200
    response = client.post(
        reverse("encombrants:agent_book"),
        {
            **_start_post(),
            "channel": "phone",
            "contact_name": "M. Petit",
            "contact_phone": "0321000000",
            "jour": DAY.isoformat(),
        },
    )
    pickup = Pickup.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "encombrants:agent_pickup", args=[pickup.pk]
    )
    assert pickup.request.channel == "phone" and pickup.user is None
    page = client.get(response.url).content.decode()
    assert "Imprimer la confirmation (PDF)" in page


def test_an_agent_cancels_on_behalf(client, seeded, crew, resident_user, now):
    pickup = book(resident_user)
    client.force_login(crew)
    response = client.post(reverse("encombrants:agent_cancel", args=[pickup.pk]), {"channel": "guichet"})
    assert response.status_code == 302
    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.CANCELLED
    assert "guichet" in pickup.request.messages.get().body.lower()


def test_the_csv_export_of_a_day_and_a_month(client, seeded, crew, resident_user, now):
    book(resident_user, location_note='=HYPERLINK("x")')
    client.force_login(crew)
    day = client.get(reverse("encombrants:agent_export") + f"?jour={DAY.isoformat()}").content.decode(
        "utf-8-sig"
    )
    month = client.get(reverse("encombrants:agent_export") + "?mois=2026-03").content.decode("utf-8-sig")
    assert day == month
    assert "1 × Matelas, 2 × Chaise" in day and "0,80" in day
    assert "'=HYPERLINK" in day


@pytest.mark.parametrize("who", ["anonymous", "resident", "outsider"])
def test_agent_pages_are_404_for_who_must_not_see_them(
    client, seeded, resident_user, outsider_agent, now, who
):
    pickup = book(resident_user)
    if who == "resident":
        client.force_login(resident_user)
    elif who == "outsider":
        client.force_login(outsider_agent)
    for url in (
        reverse("encombrants:agent_home"),
        reverse("encombrants:agent_round", args=["centre", DAY.isoformat()]),
        reverse("encombrants:agent_pickup", args=[pickup.pk]),
        reverse("encombrants:agent_export") + "?mois=2026-03",
    ):
        assert client.get(url).status_code == 404, url


def test_another_residents_confirmation_is_a_404(client, seeded, resident_user, other_resident, now):
    pickup = book(resident_user)
    client.force_login(other_resident)
    assert client.get(reverse("encombrants:confirmation", args=[pickup.request.reference])).status_code == 404


def test_the_generic_pages_send_to_the_pickups_own_pages(seeded, resident_user, crew, now):
    from requests_app.registry import registry

    pickup = book(resident_user)
    ownership, _owner = registry.ownership_of_kind("encombrants")
    assert ownership.resident_path(pickup.request) == manage_path(pickup)
    assert ownership.agent_path(pickup.request) == reverse("encombrants:agent_pickup", args=[pickup.pk])
