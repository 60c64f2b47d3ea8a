"""The service catalogue: what a resident can ask for, each démarche's delay and its extra fields."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_app.models.reference import Espace


class ServiceKind(models.TextChoices):
    """The spine's own kinds. A domain app adds its kinds (and owns their requests) through its registration
    (requests_app.registry); the column is open so that no spine migration follows."""

    SIGNALEMENT = "signalement", _("Signalement")
    DEMARCHE = "demarche", _("Démarche")


class Service(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("intitulé"), max_length=150)
    espace = models.ForeignKey(
        Espace, on_delete=models.PROTECT, related_name="services", verbose_name=_("espace")
    )
    kind = models.CharField(_("nature"), max_length=30, default=ServiceKind.DEMARCHE)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(
        _("mots-clés"),
        max_length=250,
        blank=True,
        help_text=_("Mots que les habitants tapent pour trouver ce service."),
    )
    sla_days = models.PositiveSmallIntegerField(
        _("délai de traitement (jours ouvrés)"),
        default=10,
        help_text=_("Jours ouvrés : hors samedis, dimanches et jours fériés."),
    )
    address_required = models.BooleanField(_("adresse obligatoire"), default=False)
    attachment_required = models.BooleanField(_("pièce jointe obligatoire"), default=False)
    allow_anonymous = models.BooleanField(
        _("ouvert sans compte"),
        default=False,
        help_text=_("Un signalement peut être déposé avec une simple adresse électronique."),
    )
    online = models.BooleanField(
        _("demandable en ligne"),
        default=True,
        help_text=_("Sinon, seuls les agents le saisissent (guichet, téléphone)."),
    )
    active = models.BooleanField(_("actif"), default=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["espace__order", "order", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class FieldType(models.TextChoices):
    TEXT = "text", _("Texte court")
    LONG_TEXT = "long_text", _("Texte long")
    NUMBER = "number", _("Nombre")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choix dans une liste")
    YES_NO = "yes_no", _("Oui / non")
    EMAIL = "email", _("Adresse électronique")
    PHONE = "phone", _("Téléphone")
    FILE = "file", _("Fichier")


class ServiceField(models.Model):
    """An extra question of a démarche, defined as data so staff change forms without a developer."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(
        _("identifiant"), max_length=50, help_text=_("Nom technique de la réponse, sans espace ni accent.")
    )
    label = models.CharField(_("libellé"), max_length=200)
    field_type = models.CharField(_("type"), max_length=20, choices=FieldType.choices, default=FieldType.TEXT)
    required = models.BooleanField(_("obligatoire"), default=False)
    choices = models.TextField(_("choix"), blank=True, help_text=_("Un choix par ligne (type « choix »)."))
    help_text = models.CharField(_("aide"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["service", "order", "id"]
        verbose_name = _("champ complémentaire")
        verbose_name_plural = _("champs complémentaires")
        constraints = [
            models.UniqueConstraint(fields=["service", "key"], name="service_field_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
