"""The notification outbox: written with the event, sent after commit, swept if a worker died."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from requests_app.models.request import Request, RequestEvent


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyée")
    FAILED = "failed", _("Échec définitif")


class Notification(models.Model):
    event = models.ForeignKey(RequestEvent, on_delete=models.CASCADE, related_name="notifications")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=10, default="email")
    recipient = models.CharField(max_length=254)
    template = models.CharField(max_length=60)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # One message per event, channel and person: a replayed service or task cannot add a second.
            models.UniqueConstraint(
                fields=["event", "channel", "recipient"], name="notification_once_per_event"
            ),
        ]
        indexes = [
            # The sweep (beat): unsent rows only, oldest first.
            models.Index(
                fields=["created_at"],
                name="notification_unsent",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.get_status_display()})"
