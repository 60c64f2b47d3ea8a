"""The reminder 48 hours before: sent once, never for a cancelled or past booking."""

import pytest
from django.core import mail

from appointments.models import Booking
from appointments.services import booking_cancel, booking_remind, reminders_due
from appointments.tasks import booking_reminders_task
from tests.appointments.conftest import paris
from tests.appointments.helpers import book

pytestmark = pytest.mark.django_db

SLOT = paris(2026, 3, 24, 9)


def test_the_reminder_goes_out_48_hours_before_and_only_once(agenda, resident_user, now, time_machine):
    booking = book(agenda, resident_user, SLOT)
    mail.outbox.clear()

    time_machine.move_to(paris(2026, 3, 22, 8, 45), tick=False)  # 48 h 15 before: not yet
    assert booking_reminders_task() == 0
    time_machine.move_to(paris(2026, 3, 22, 9, 0), tick=False)
    assert booking_reminders_task() == 1
    time_machine.move_to(paris(2026, 3, 22, 9, 15), tick=False)
    assert booking_reminders_task() == 0
    assert booking_remind(booking_id=booking.pk) == "skipped"

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [resident_user.email]
    assert email.subject.startswith("[Ville de Béthune] Rappel : rendez-vous le mardi 24 mars 2026 à 09:00")
    assert "Pièces à apporter" in email.body and "/rendez-vous/gerer/" in email.body
    booking.refresh_from_db()
    assert booking.reminder_sent_at == paris(2026, 3, 22, 9, 0)


def test_no_reminder_for_a_cancelled_booking(agenda, resident_user, now, time_machine):
    booking = book(agenda, resident_user, SLOT)
    booking_cancel(booking=booking)
    mail.outbox.clear()
    time_machine.move_to(paris(2026, 3, 23, 8), tick=False)

    assert reminders_due() == []
    assert booking_remind(booking_id=booking.pk) == "skipped"
    assert mail.outbox == []


def test_no_reminder_for_a_past_booking(agenda, resident_user, now, time_machine):
    booking = book(agenda, resident_user, SLOT)
    mail.outbox.clear()
    time_machine.move_to(paris(2026, 3, 24, 9, 5), tick=False)

    assert booking_reminders_task() == 0
    assert booking_remind(booking_id=booking.pk) == "skipped"
    assert mail.outbox == []


def test_a_failed_send_releases_the_claim_for_the_next_run(
    agenda, resident_user, now, time_machine, monkeypatch
):
    booking = book(agenda, resident_user, SLOT)
    mail.outbox.clear()
    time_machine.move_to(paris(2026, 3, 23, 9), tick=False)

    def broken(self, fail_silently=False):
        raise OSError("SMTP injoignable")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
        assert booking_reminders_task() == 0
    assert Booking.objects.get(pk=booking.pk).reminder_sent_at is None

    assert booking_reminders_task() == 1
    assert len(mail.outbox) == 1
