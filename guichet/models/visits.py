"""Walk-in visitors at the Guichet Unique: the counter's waiting line, per site and espace. These rows
feed the footfall and waiting-time figures of the dashboards."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from requests_app.models import Espace, Request, Site


class VisitStatus(models.TextChoices):
    WAITING = "waiting", _("En attente")
    CALLED = "called", _("Appelé au guichet")
    CLOSED = "closed", _("Terminée")
    LEFT = "left", _("Parti sans être reçu")


class VisitOutcome(models.TextChoices):
    INFORMATION = "information", _("Information donnée")
    REQUEST = "request", _("Demande enregistrée")
    REDIRECTED = "redirected", _("Orienté vers un autre service")


class Visit(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="visits", verbose_name=_("site"))
    espace = models.ForeignKey(
        Espace, on_delete=models.PROTECT, related_name="visits", verbose_name=_("espace")
    )
    # Tickets are numbered from 1 each day at each site (what the waiting screen calls out).
    day = models.DateField(_("jour"))
    ticket = models.PositiveSmallIntegerField(_("ticket"))
    visitor_name = models.CharField(_("nom du visiteur"), max_length=120, blank=True)
    reason = models.CharField(_("motif"), max_length=200)
    status = models.CharField(
        _("statut"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.WAITING
    )
    arrived_at = models.DateTimeField(_("arrivée"), auto_now_add=True)
    called_at = models.DateTimeField(_("appel"), null=True, blank=True)
    closed_at = models.DateTimeField(_("fin"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    counter = models.CharField(_("guichet"), max_length=20, blank=True)
    outcome = models.CharField(_("issue"), max_length=12, choices=VisitOutcome.choices, blank=True)
    outcome_note = models.CharField(_("précision"), max_length=200, blank=True)
    request = models.ForeignKey(
        Request,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("demande créée"),
    )

    class Meta:
        ordering = ["arrived_at", "id"]
        verbose_name = _("visite")
        verbose_name_plural = _("visites")
        indexes = [
            # The waiting screen of a site: who waits now, oldest first.
            models.Index(
                fields=["site", "arrived_at"],
                name="visit_waiting_site",
                condition=Q(status__in=["waiting", "called"]),
            ),
            # Footfall and waiting times per week (dashboards).
            models.Index(fields=["arrived_at", "site"], name="visit_arrived_site"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "day", "ticket"], name="visit_ticket_unique_per_site_day"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""), name="visit_closed_has_outcome"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="request") | Q(request__isnull=False),
                name="visit_request_outcome_linked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} – {self.visitor_name or self.reason}"
