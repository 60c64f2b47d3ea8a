"""The reminder 48 hours before: sent once, never for a cancelled or past booking."""

import pytest
from django.core import mail

from appointments.services import booking_cancel, booking_remind, reminders_due
from appointments.tasks import booking_reminders_task
from requests_app.models import Notification
from requests_app.tasks import notification_sweep_task
from tests.appointments.conftest import paris
from tests.appointments.helpers import book

pytestmark = pytest.mark.django_db

SLOT = paris(2026, 3, 24, 9)


def test_the_reminder_goes_out_48_hours_before_and_only_once(
    agenda, resident_user, now, time_machine, django_capture_on_commit_callbacks
):
    booking = book(agenda, resident_user, SLOT)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
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


def test_a_failed_send_is_retried_by_the_outbox_and_never_queued_twice(
    agenda, resident_user, now, time_machine, monkeypatch, django_capture_on_commit_callbacks
):
    booking = book(agenda, resident_user, SLOT)
    mail.outbox.clear()
    time_machine.move_to(paris(2026, 3, 23, 9), tick=False)

    def broken(self, fail_silently=False):
        raise OSError("SMTP injoignable")

    with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
        assert booking_reminders_task() == 1
    notification = Notification.objects.get(request=booking.request, template="appointments/booking_reminder")
    assert notification.status == "pending" and notification.attempts == 1
    assert "SMTP injoignable" in notification.last_error
    # The next beat does not queue it again: the outbox owns it now.
    assert booking_reminders_task() == 0

    # After the back-off, the outbox sweep sends it, once (the sweep also sends the booking's confirmation,
    # whose on-commit task this test never ran).
    time_machine.move_to(paris(2026, 3, 23, 10), tick=False)
    notification_sweep_task()
    notification_sweep_task()
    reminders = [email for email in mail.outbox if email.subject.startswith("[Ville de Béthune] Rappel")]
    assert len(reminders) == 1
    assert Notification.objects.get(pk=notification.pk).status == "sent"
