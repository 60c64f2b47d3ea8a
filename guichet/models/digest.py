"""The SLA daily digest: one row per agent and day, inserted before the email is sent, so a digest is
sent at most once a day to each agent even when beat fires twice or two workers run the task."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestSent(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("jour"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("récapitulatif envoyé")
        verbose_name_plural = _("récapitulatifs envoyés")
        constraints = [
            # The claim: the second insert for the same agent and day fails, and that sender stops.
            models.UniqueConstraint(fields=["user", "day"], name="digest_sent_once_per_user_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.day}"
