"""The agents' workspace around the queue: saved filters and reply templates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from requests_app.models import Espace


class SavedFilter(models.Model):
    """A named queue view (its query string). Personal, or shared with an espace's agents."""

    name = models.CharField(_("nom"), max_length=80)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    shared_with = models.ForeignKey(
        Espace,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_filters",
        verbose_name=_("partagé avec l'espace"),
    )
    query = models.CharField(_("filtres"), max_length=1000)
    is_default = models.BooleanField(_("vue par défaut"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("filtre enregistré")
        verbose_name_plural = _("filtres enregistrés")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_filter_name_per_owner"),
            # One default view per agent: the queue opens on it.
            models.UniqueConstraint(
                fields=["owner"], condition=Q(is_default=True), name="saved_filter_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReplyTemplate(models.Model):
    """A ready answer. Placeholders: {reference}, {nom}, {service}, {echeance}, {agent}."""

    title = models.CharField(_("titre"), max_length=120)
    body = models.TextField(_("texte"))
    espace = models.ForeignKey(
        Espace,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reply_templates",
        help_text=_("Vide : proposé à tous les espaces."),
    )
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("modèle de réponse")
        verbose_name_plural = _("modèles de réponse")

    def __str__(self) -> str:
        return self.title
