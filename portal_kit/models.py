from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HealthPing(models.Model):
    """One row per ping sent through the broker and run by a worker: proof that the whole task path
    (web → Redis → worker → database) works. Written by health_ping_task, read by tests and operators."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ping de santé")
        verbose_name_plural = _("pings de santé")

    def __str__(self) -> str:
        return self.token
