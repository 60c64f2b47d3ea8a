"""A resident books a CNI appointment in Chromium, receives the convocation (PDF text checked), cancels
with the link from the email, and the seat is free again; axe finds no violation on the booking pages."""

import re
import shutil
import subprocess

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from appointments.models import Agenda, Booking, BookingStatus, Motif, Slot
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Service, Site
from tests.accounts.factories import PASSWORD
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login

pytestmark = pytest.mark.browser

ANTS = "B7K2M9Q4X1"


@pytest.fixture
def cni_agenda(transactional_db):
    catalogue_seed()
    return Agenda.objects.create(
        motif=Motif.CNI,
        site=Site.objects.get(code="hdv"),
        service=Service.objects.get(code="rdv-cni-passeport"),
        slot_minutes=20,
        seats=1,
        max_people=1,
        min_delay_hours=24,
        max_delay_days=60,
        ants_required=True,
        documents="Photo d'identité de moins de 6 mois\nJustificatif de domicile de moins d'un an",
    )


def _pdf_text(data: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) requis"
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def _first_free_day(page) -> None:
    """Click the first day with free slots, in this month or the next."""
    for _ in range(3):
        days = page.locator(".rdv-calendar__free a")
        if days.count():
            days.first.click()
            return
        page.get_by_role("link", name=re.compile("Mois suivant")).click()
    raise AssertionError("aucun jour libre dans les trois mois")


def test_a_resident_books_a_cni_appointment_gets_the_convocation_and_cancels(
    page, live_server, resident_user, cni_agenda
):
    login(page, live_server, resident_user.email, PASSWORD)
    mail.outbox.clear()

    page.goto("/rendez-vous/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prendre rendez-vous au Guichet Unique")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Carte nationale d'identité").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Guichet Unique – Hôtel de Ville").click()

    expect(page.locator("table.rdv-calendar caption")).to_be_visible()
    assert_no_axe_violations(page)
    _first_free_day(page)

    slots = page.get_by_role("group", name=re.compile("Créneaux libres le"))
    expect(slots).to_be_visible()
    assert_no_axe_violations(page)
    first_slot = slots.get_by_role("radio").first
    slot_value = first_slot.get_attribute("value")
    first_slot.focus()
    page.keyboard.press("Space")  # keyboard only
    expect(first_slot).to_be_checked()
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vos informations")
    ants = page.get_by_label(re.compile("Numéro de pré-demande ANTS"))
    ants.fill("12345")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(page.get_by_text("Le numéro de pré-demande ANTS compte 10 caractères").first).to_be_visible()
    assert_no_axe_violations(page)
    assert not Booking.objects.exists()

    page.get_by_label(re.compile("Numéro de pré-demande ANTS")).fill(ANTS.lower())
    page.get_by_role("button", name="Confirmer le rendez-vous").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre rendez-vous est confirmé")
    assert_no_axe_violations(page)
    booking = Booking.objects.select_related("request").get()
    expect(page.get_by_text(booking.request.reference).first).to_be_visible()
    slot = Slot.objects.get(agenda=cni_agenda)
    assert slot.booked == slot.seats == 1

    # The convocation arrives by email, with the PDF and the .ics.
    confirmations = [email for email in mail.outbox if "Rendez-vous confirmé" in email.subject]
    assert len(confirmations) == 1
    email = confirmations[0]
    attachments = {name: content for name, content, _mimetype in email.attachments}
    pdf = attachments[f"convocation-{booking.request.reference}.pdf"]
    text = _pdf_text(pdf if isinstance(pdf, bytes) else pdf.encode())
    assert "Convocation" in text and booking.request.reference in text and ANTS in text
    assert "Place du 4 Septembre, 62400 Béthune" in text and "Photo d'identité de moins de 6 mois" in text
    assert "rendez-vous.ics" in attachments

    # Cancel with the link from the email, without being logged in.
    path = re.search(r"https?://[^/\s]+(/rendez-vous/gerer/[^\s]+/)", email.body).group(1)
    page.context.clear_cookies()
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon rendez-vous")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Annuler mon rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre rendez-vous est annulé")
    assert_no_axe_violations(page)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_USER
    slot.refresh_from_db()
    assert slot.booked == 0

    # The seat is offered again at once.
    login(page, live_server, resident_user.email, PASSWORD)
    day = timezone.localtime(booking.starts_at).date()
    page.goto(f"/rendez-vous/cni/hdv/{day.isoformat()}/")
    expect(page.locator(f'input[type="radio"][value="{slot_value}"]')).to_have_count(1)
