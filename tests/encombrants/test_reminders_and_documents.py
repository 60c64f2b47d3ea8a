"""Reminders 3 days and 1 day before (once, never after a cancel), the PDF confirmation read back with
pdftotext, the emails built for the outbox, the missed-collection report."""

import datetime
import shutil
import subprocess

import pytest
from django.core import mail

from encombrants.documents import confirmation_ensure, round_pdf
from encombrants.models import Pickup, PickupStatus
from encombrants.selectors import fill_figures, refused_figures, round_pickups
from encombrants.services import pickup_cancel, pickup_missed_report, pickup_outcome_record, reminders_due
from encombrants.tasks import pickup_reminders_task
from requests_app.errors import ServiceError
from requests_app.models import DocumentKind, Notification, Status
from requests_app.registry import registry
from tests.accounts.factories import resident
from tests.encombrants.conftest import DAY, paris
from tests.encombrants.helpers import book

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) requis"
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def _reminders():
    return list(
        Notification.objects.filter(template="encombrants/reminder").values_list("context", flat=True)
    )


def test_reminders_go_out_three_days_and_one_day_before_once_each(seeded, resident_user, now, time_machine):
    pickup = book(resident_user, day=datetime.date(2026, 3, 21))  # Saturday
    assert reminders_due() == []  # five days before

    time_machine.move_to(paris(2026, 3, 18, 8, 0), tick=False)
    assert pickup_reminders_task() == 1
    assert pickup_reminders_task() == 0  # a second beat queues nothing
    time_machine.move_to(paris(2026, 3, 19, 8, 0), tick=False)
    assert pickup_reminders_task() == 0
    time_machine.move_to(paris(2026, 3, 20, 8, 0), tick=False)
    assert pickup_reminders_task() == 1
    assert pickup_reminders_task() == 0

    assert _reminders() == [{"days": 3}, {"days": 1}]
    assert pickup.request.events.filter(kind="encombrants.reminder").count() == 2


def test_no_reminder_after_a_cancel(seeded, resident_user, now, time_machine):
    pickup = book(resident_user, day=datetime.date(2026, 3, 21))
    pickup_cancel(pickup=pickup, actor=resident_user)
    for day in (18, 19, 20):
        time_machine.move_to(paris(2026, 3, day, 8, 0), tick=False)
        assert pickup_reminders_task() == 0
    assert _reminders() == []


def test_the_confirmation_pdf_gives_date_address_items_and_rules(seeded, resident_user, now):
    pickup = book(resident_user, location_note="Devant le garage")

    document = confirmation_ensure(pickup_id=pickup.pk)

    assert document.kind == DocumentKind.CONFIRMATION
    text = pdf_text(document.file.read())
    assert "jeudi 19 mars 2026" in text and "12 rue Hoche" in text
    assert "1 × Matelas" in text and "2 × Chaise" in text and "Devant le garage" in text
    assert "la veille au soir" in text and "trottoir" in text and "Pneus" in text
    assert pickup.request.reference in text and "Jean Dupont" in text
    assert confirmation_ensure(pickup_id=pickup.pk).pk == document.pk


def test_the_confirmation_email_carries_the_pdf_and_the_ics(
    seeded, resident_user, now, django_capture_on_commit_callbacks
):
    pickup = book(resident_user)
    notification = Notification.objects.get(template="encombrants/confirmed")
    email = registry.email_builder("encombrants/confirmed")(notification)
    assert "19 mars 2026" in email.subject and pickup.request.reference in email.subject
    names = [attachment[0] for attachment in email.attachments]
    assert names == [f"encombrants-{pickup.request.reference}.pdf", "encombrants.ics"]
    for name in ("reminder", "amended", "outcome"):
        built = registry.email_builder(f"encombrants/{name}")(notification)
        assert built.body and built.subject
    assert mail is not None


def test_the_round_sheet_pdf_lists_the_stops_in_order(seeded, crew, now, centre):
    from requests_app.models import Street

    book(resident(), street=Street.objects.get(name="rue Jaurès"), number="3")
    book(resident(), street=Street.objects.get(name="rue Hoche"), number="21")
    book(resident(), street=Street.objects.get(name="rue Hoche"), number="4")
    pickups = round_pickups(sector=centre, day=DAY)
    assert [p.address for p in pickups] == ["4 rue Hoche", "21 rue Hoche", "3 rue Jaurès"]

    text = pdf_text(round_pdf(sector=centre, day=DAY, pickups=pickups))

    assert text.index("1. 4 rue Hoche") < text.index("2. 21 rue Hoche") < text.index("3. 3 rue Jaurès")


def test_a_missed_collection_files_a_follow_up_in_the_queue(seeded, resident_user, now, time_machine):
    pickup = book(resident_user)
    with pytest.raises(ServiceError) as caught:
        pickup_missed_report(pickup=pickup)
    assert caught.value.code == "too_early"
    time_machine.move_to(paris(2026, 3, 20, 18, 0), tick=False)

    followup = pickup_missed_report(pickup=pickup, details="Rien n'a été pris.")

    assert (
        followup.status == Status.NEW
        and followup.is_open
        and followup.service.code == "encombrants-non-collecte"
    )
    assert pickup.request.reference in followup.description and followup.street.name == "rue Hoche"
    pickup.refresh_from_db()
    assert pickup.followup == followup
    assert pickup.request.events.filter(kind="encombrants.missed_reported").count() == 1
    with pytest.raises(ServiceError):
        pickup_missed_report(pickup=pickup)


def test_a_missed_collection_after_two_working_days_is_refused(seeded, resident_user, now, time_machine):
    pickup = book(resident_user)  # Thursday 19: two working days = Monday 23
    time_machine.move_to(paris(2026, 3, 24, 9, 0), tick=False)
    with pytest.raises(ServiceError) as caught:
        pickup_missed_report(pickup=pickup)
    assert caught.value.code == "too_late" and "lundi 23 mars 2026" in caught.value.message


def test_a_not_presented_pickup_counts_in_the_quota_and_the_figures(
    seeded, resident_user, crew, now, time_machine
):
    from encombrants.models import AddressYear

    pickup = book(resident_user)
    other = book(resident(), number="14")
    time_machine.move_to(paris(2026, 3, 19, 11, 0), tick=False)
    pickup_outcome_record(pickup=pickup, agent=crew, outcome=PickupStatus.NOT_PRESENTED)
    line = other.lines.get(item__code="matelas")
    pickup_outcome_record(
        pickup=other, agent=crew, outcome=PickupStatus.PARTLY_COLLECTED, refused={line.pk: 1}
    )

    assert AddressYear.objects.get(address_key=pickup.address_key).used == 1
    assert Pickup.objects.get(pk=pickup.pk).request.status == Status.REJECTED
    rows = fill_figures(start=datetime.date(2026, 3, 16), end=datetime.date(2026, 3, 22))
    assert rows == [
        {
            "week": "2026-S12",
            "sector": "Centre – Gare",
            "pickups": 2,
            "volume_m3": 1.6,
            "fill_rate": 0.08,
            "not_presented_rate": 0.5,
        }
    ]
    assert refused_figures(start=DAY, end=DAY) == [{"item": "Matelas", "refused": 1}]
