"""Issue #20, point 6, on the spine: a used confirmation link no longer hands out the tracking link; the
dates of a démarche stay within sane years; the confirmation email's greeting is one short plain line."""

import datetime
import html
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from requests_app import links
from requests_app.emails import GREETING_NAME_MAX, email_build, greeting_name
from requests_app.forms import FilingForm
from requests_app.models import Notification, Request, Status
from requests_app.services import FilingData, request_file_anonymous
from tests.requests_app.factories import ServiceFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def text(response) -> str:
    return html.unescape(response.content.decode())


# --- c. A used confirmation link --------------------------------------------------------------------------


@pytest.fixture
def confirm_link(client, pothole):
    client.post(
        reverse("requests_app:file", args=[pothole.code]),
        {
            "street": "rue Hoche",
            "street_number": "3",
            "description": "Trou dangereux pour les vélos.",
            "contact_name": "Paul Martin",
            "contact_email": "paul.martin@example.fr",
            "contact_phone": "",
            "submission_key": str(uuid.uuid4()),
        },
    )
    filing = Request.objects.get()
    return reverse("requests_app:confirm_email", args=[links.confirm_token(filing)])


def test_the_first_confirmation_leads_to_the_tracking_page(client, confirm_link):
    response = client.post(confirm_link)

    filed = Request.objects.get()
    assert filed.status == Status.NEW
    # (Not compared with links.request_path: the token carries the second it was made.)
    assert response.status_code == 302 and response.url.startswith("/mes-demandes/suivi/")
    assert filed.reference in text(client.get(response.url))


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_used_confirmation_link_says_so_without_the_tracking_link(client, confirm_link, method):
    client.post(confirm_link)
    filed = Request.objects.get()
    tracking = links.tracking_token(filed)

    response = getattr(client, method)(confirm_link)

    page = text(response)
    assert response.status_code == 200
    assert "déjà confirmée" in page and "envoyé par courriel" in page
    assert tracking not in page and "/mes-demandes/suivi/" not in page
    assert Request.objects.filter(status=Status.NEW).count() == 1


# --- g. Dates of a démarche within sane years --------------------------------------------------------------


def date_form(service, value: str) -> FilingForm:
    return FilingForm({"extra_date": value}, service=service, lenient=True)


@pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31", "0001-01-01", "2037-01-01"])
def test_a_date_outside_1900_and_ten_years_ahead_is_refused_with_a_french_message(every_field_service, value):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS), tick=False):
        form = date_form(every_field_service, value)
        assert not form.is_valid()

    assert form.errors["extra_date"] == ["Saisissez une date comprise entre le 01/01/1900 et le 31/12/2036."]


@pytest.mark.parametrize("value", ["1900-01-01", "1990-05-04", "2026-06-21", "2036-12-31"])
def test_a_date_within_the_bounds_is_accepted(every_field_service, value):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS), tick=False):
        form = date_form(every_field_service, value)
        form.is_valid()

    assert "extra_date" not in form.errors
    assert form.cleaned_data["extra_date"] == datetime.date.fromisoformat(value)


def test_the_date_input_carries_its_bounds(every_field_service):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS), tick=False):
        rendered = str(FilingForm(service=every_field_service)["extra_date"])

    assert 'min="1900-01-01"' in rendered and 'max="2036-12-31"' in rendered


def test_filing_a_démarche_dated_9999_saves_nothing(client, resident_user, every_field_service):
    from tests.requests_app.test_views_filing import every_field_post

    client.force_login(resident_user)
    url = reverse("requests_app:file", args=[every_field_service.code])
    response = client.post(url, every_field_post(extra_date="9999-12-31"))

    assert response.status_code in (200, 400)
    assert "Saisissez une date comprise entre le 01/01/1900" in text(response)
    assert not Request.objects.exists()


# --- h. The greeting of the confirmation email -------------------------------------------------------------


def confirmation_email(contact_name: str):
    draft = request_file_anonymous(
        service=ServiceFactory(name="Dépôt sauvage", allow_anonymous=True),
        data=FilingData(description="Sacs", contact_name=contact_name, contact_email="cible@example.fr"),
    )
    notification = Notification.objects.select_related("request", "event").get(
        request=draft, template="confirm_email"
    )
    email = email_build(notification)
    [(body, _mimetype)] = email.alternatives
    return email, body


def test_a_long_name_is_trimmed_in_the_greeting():
    email, body = confirmation_email("Paul " + "Martin" * 31 + "Dupont")  # 197 characters (the column: 200)

    first_line = email.body.splitlines()[0]
    assert len(first_line) <= len("Bonjour ,") + GREETING_NAME_MAX
    assert first_line.startswith("Bonjour Paul MartinMartin") and first_line.endswith("…,")
    assert "MartinDupont" not in body


@pytest.mark.parametrize(
    "name",
    [
        "Gagnez 1000 € sur https://arnaque.example/promo",
        "Rendez-vous sur www.arnaque.example",
        "Écrivez à gain@arnaque.example",
        "Cliquez arnaque.com maintenant",
    ],
)
def test_a_name_that_reads_as_a_link_is_left_out_of_the_greeting(name):
    email, body = confirmation_email(name)

    assert email.body.startswith("Bonjour,\n")
    assert "arnaque" not in email.body and "arnaque" not in body
    assert "<p>Bonjour,</p>" in body


def test_line_breaks_and_markup_in_a_name_stay_on_one_escaped_line():
    email, body = confirmation_email("Paul\r\n\r\nVotre compte est bloqué <b>urgent</b>")

    assert email.body.splitlines()[0] == "Bonjour Paul Votre compte est bloqué <b>urgent</b>,"
    assert "&lt;b&gt;urgent&lt;/b&gt;" in body and "<b>urgent</b>" not in body


@pytest.mark.parametrize(
    ("typed", "greeted"),
    [("Paul Martin", "Paul Martin"), ("J.-P. Dupont", "J.-P. Dupont"), ("  Zoé\tLefèvre ", "Zoé Lefèvre")],
)
def test_ordinary_names_are_greeted_as_typed(typed, greeted):
    assert greeting_name(typed) == greeted
