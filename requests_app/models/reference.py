"""The town's organisation: espaces d'accueil, Guichet Unique sites and hours, quartiers, streets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_app.text import fold


class Espace(models.Model):
    """One of the six espaces d'accueil of the Guichet Unique; agents serve one or more."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="espaces", verbose_name=_("agents")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("espace d'accueil")
        verbose_name_plural = _("espaces d'accueil")

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A Guichet Unique site where residents are received and appointments take place."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    address = models.CharField(_("adresse"), max_length=200)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("site d'accueil")
        verbose_name_plural = _("sites d'accueil")

    def __str__(self) -> str:
        return self.name


class OpeningPeriod(models.Model):
    """One opening span of a site on a weekday (Monday has one, Tuesday to Friday two)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")
        SUNDAY = 6, _("dimanche")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="opening_periods")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        ordering = ["site", "weekday", "opens"]
        verbose_name = _("plage d'ouverture")
        verbose_name_plural = _("plages d'ouverture")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="opening_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Quartier(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    qpv_code = models.CharField(
        _("code QPV"),
        max_length=20,
        blank=True,
        help_text=_("Quartier prioritaire de la politique de la ville, le cas échéant."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("quartier")
        verbose_name_plural = _("quartiers")

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    """A street of Béthune: an address is valid only on one of these (the quartier follows from it)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    # Lower-case, accent-free name: what a typed address is matched against.
    search_key = models.CharField(max_length=120, db_index=True, editable=False)
    quartier = models.ForeignKey(Quartier, on_delete=models.PROTECT, related_name="streets")

    class Meta:
        ordering = ["search_key"]
        verbose_name = _("voie")
        verbose_name_plural = _("voies")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Derived from the name, never typed: kept in step here so the admin cannot forget it.
        self.search_key = fold(self.name)
        super().save(*args, **kwargs)
