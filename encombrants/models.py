"""Bulky-waste pickups (encombrants): sectors of quartiers, the collection calendar and its closures, the
capacity counter of each day and sector, the item catalogue and the refused items, the limits, and the
pickups themselves. A pickup extends a spine Request (OneToOne): reference, status timeline, messages,
attachments and documents are the spine's; this app adds where, when and what. Every write goes through
encombrants.services.

Volumes are integers in litres (1 m³ = 1 000 L): sums and the capacity CHECK constraints stay exact."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from requests_app.models import Quartier, Request, Service, Street


def litres_display(litres: int) -> str:
    """« 1,5 m³ » (French decimal comma, no trailing zeros)."""
    text = f"{litres / 1000:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " m³"


class Sector(models.Model):
    """A collection sector: a group of quartiers served by one crew round. Every street has its sector
    through its quartier (QuartierSector)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("secteur de collecte")
        verbose_name_plural = _("secteurs de collecte")

    def __str__(self) -> str:
        return self.name


class QuartierSector(models.Model):
    """The sector of one quartier: one row per quartier (the primary key), so a quartier is in exactly one
    sector."""

    quartier = models.OneToOneField(
        Quartier, on_delete=models.CASCADE, primary_key=True, related_name="encombrants_sector"
    )
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="quartiers")

    class Meta:
        ordering = ["sector", "quartier__name"]
        verbose_name = _("quartier du secteur")
        verbose_name_plural = _("quartiers du secteur")

    def __str__(self) -> str:
        return f"{self.quartier} → {self.sector}"


class Config(models.Model):
    """The limits, one row (pk 1), editable by the managers in the admin. Every number is a chosen default
    (docs/town.md: the town publishes none)."""

    pickups_per_day = models.PositiveSmallIntegerField(_("enlèvements par jour et par secteur"), default=25)
    volume_per_day_l = models.PositiveIntegerField(
        _("volume par jour et par secteur (litres)"), default=40_000, help_text=_("40 000 L = 40 m³.")
    )
    max_volume_l = models.PositiveIntegerField(
        _("volume maximum par enlèvement (litres)"), default=3_000, help_text=_("3 000 L = 3 m³.")
    )
    max_items = models.PositiveSmallIntegerField(_("objets au plus par enlèvement"), default=10)
    yearly_quota = models.PositiveSmallIntegerField(_("enlèvements par adresse et par an"), default=4)
    window_days = models.PositiveSmallIntegerField(_("réservation possible jusqu'à (jours)"), default=42)
    cutoff_hour = models.PositiveSmallIntegerField(
        _("heure limite la veille ouvrée"),
        default=12,
        help_text=_("Réserver, modifier ou annuler jusqu'au jour ouvré précédent, à cette heure."),
    )
    missed_report_days = models.PositiveSmallIntegerField(
        _("signalement d'un oubli (jours ouvrés après l'enlèvement)"), default=2
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service des enlèvements"),
        help_text=_("Vide : le premier service actif du type « encombrants »."),
    )
    missed_service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service des enlèvements non effectués"),
        help_text=_("Vide : le service de code « encombrants-non-collecte »."),
    )

    class Meta:
        verbose_name = _("réglages des encombrants")
        verbose_name_plural = _("réglages des encombrants")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="enc_config_singleton"),
            models.CheckConstraint(condition=Q(cutoff_hour__lte=23), name="enc_config_cutoff_hour"),
        ]

    def __str__(self) -> str:
        return str(_("Réglages des encombrants"))

    @property
    def max_volume_display(self) -> str:
        return litres_display(self.max_volume_l)

    @classmethod
    def current(cls) -> "Config":
        config, _created = cls.objects.get_or_create(pk=1)
        return config


class Closure(models.Model):
    """An ad hoc day without collection (strike, crew training, snow), for one sector or all of them.
    Public holidays need no row (requests_app.workdays)."""

    day = models.DateField(_("jour"))
    sector = models.ForeignKey(
        Sector,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("secteur"),
        help_text=_("Vide : tous les secteurs."),
    )
    reason = models.CharField(_("motif"), max_length=200)

    class Meta:
        ordering = ["day"]
        verbose_name = _("jour sans collecte")
        verbose_name_plural = _("jours sans collecte")
        indexes = [
            # The bookable days: closures over the next weeks.
            models.Index(fields=["day"], name="enc_closure_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} : {self.reason}"


class DayCapacity(models.Model):
    """The counter of one collection day in one sector, created when first booked (or by staff to change
    that day's capacity). Both limits are CHECK constraints and are taken by one conditional UPDATE: two
    residents can never share the last place nor the last cubic metres."""

    day = models.DateField(_("jour"))
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="capacities")
    pickups_max = models.PositiveSmallIntegerField(_("enlèvements au plus"))
    pickups_booked = models.PositiveSmallIntegerField(_("enlèvements réservés"), default=0)
    volume_max = models.PositiveIntegerField(_("volume au plus (litres)"))
    volume_booked = models.PositiveIntegerField(_("volume réservé (litres)"), default=0)

    class Meta:
        ordering = ["day", "sector"]
        verbose_name = _("capacité d'un jour")
        verbose_name_plural = _("capacités par jour et par secteur")
        constraints = [
            # Also the index of the bookable days: one sector's counters over the window.
            models.UniqueConstraint(fields=["sector", "day"], name="enc_capacity_unique_sector_day"),
            models.CheckConstraint(
                condition=Q(pickups_booked__lte=F("pickups_max")), name="enc_capacity_pickups_within_max"
            ),
            models.CheckConstraint(
                condition=Q(volume_booked__lte=F("volume_max")), name="enc_capacity_volume_within_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector} {self.day:%d/%m/%Y} ({self.pickups_booked}/{self.pickups_max})"


class Item(models.Model):
    """An object the crews collect, with its usual volume and how many one pickup may hold."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    unit_volume_l = models.PositiveIntegerField(_("volume unitaire (litres)"))
    max_per_pickup = models.PositiveSmallIntegerField(_("au plus par enlèvement"), default=4)
    advice = models.CharField(_("conseil"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("proposé"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("objet collecté")
        verbose_name_plural = _("objets collectés")
        constraints = [
            models.CheckConstraint(condition=Q(unit_volume_l__gte=1), name="enc_item_volume_positive"),
            models.CheckConstraint(condition=Q(max_per_pickup__gte=1), name="enc_item_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def volume_display(self) -> str:
        return litres_display(self.unit_volume_l)


class RefusedItem(models.Model):
    """What the crews do not take, and where to bring it instead."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    destination = models.CharField(_("où l'apporter"), max_length=120)
    advice = models.CharField(_("conseil"), max_length=250, blank=True)
    keywords = models.CharField(
        _("mots-clés"), max_length=250, blank=True, help_text=_("Mots reconnus dans « autre objet ».")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("objet refusé")
        verbose_name_plural = _("objets refusés")

    def __str__(self) -> str:
        return self.name


class PickupStatus(models.TextChoices):
    BOOKED = "booked", _("Prévu")
    COLLECTED = "collected", _("Collecté")
    PARTLY_COLLECTED = "partly_collected", _("Collecté en partie")
    NOT_PRESENTED = "not_presented", _("Objets non sortis")
    NO_ACCESS = "no_access", _("Accès impossible")
    CANCELLED = "cancelled", _("Annulé")


OUTCOMES = (
    PickupStatus.COLLECTED,
    PickupStatus.PARTLY_COLLECTED,
    PickupStatus.NOT_PRESENTED,
    PickupStatus.NO_ACCESS,
)


def outcome_photo_path(instance: "Pickup", filename: str) -> str:
    return f"encombrants/{instance.request_id}/resultat-{filename[-60:]}"


class Pickup(models.Model):
    request = models.OneToOneField(Request, on_delete=models.PROTECT, related_name="pickup")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="pickups"
    )
    day = models.DateField(_("jour d'enlèvement"))
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="pickups")
    capacity = models.ForeignKey(DayCapacity, on_delete=models.PROTECT, related_name="pickups")
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="+", verbose_name=_("voie"))
    street_number = models.CharField(_("numéro"), max_length=10)
    # "<street id>:<number>" (number in capitals, without spaces): the key of the yearly quota.
    address_key = models.CharField(max_length=40)
    # The street's name folded (requests_app Street.search_key) and the number as an integer: the round order.
    street_sort = models.CharField(max_length=120)
    number_sort = models.PositiveIntegerField(default=0)
    location_note = models.CharField(_("où sont les objets"), max_length=250, blank=True)
    volume_l = models.PositiveIntegerField(_("volume (litres)"))
    items_count = models.PositiveSmallIntegerField(_("nombre d'objets"))
    status = models.CharField(
        _("statut"), max_length=20, choices=PickupStatus.choices, default=PickupStatus.BOOKED
    )
    amend_count = models.PositiveSmallIntegerField(default=0)
    reminder3_sent_at = models.DateTimeField(null=True, blank=True)
    reminder1_sent_at = models.DateTimeField(null=True, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome_note = models.CharField(_("remarque de l'équipe"), max_length=250, blank=True)
    outcome_photo = models.FileField(upload_to=outcome_photo_path, max_length=200, blank=True)
    followup = models.OneToOneField(
        Request,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missed_pickup",
        verbose_name=_("signalement d'enlèvement non effectué"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "sector", "street_sort", "number_sort", "street_number", "id"]
        verbose_name = _("enlèvement")
        verbose_name_plural = _("enlèvements")
        constraints = [
            models.CheckConstraint(condition=Q(items_count__gte=1), name="enc_pickup_items_positive"),
        ]
        indexes = [
            # The round sheet: one sector's pickups of one day, in street and number order.
            models.Index(fields=["sector", "day", "street_sort", "number_sort"], name="enc_pickup_round"),
            # The exports of a day or a month, and the dashboards' weeks.
            models.Index(fields=["day"], name="enc_pickup_day"),
            # The reminder sweep: booked pickups whose reminders are not all sent, by day.
            models.Index(
                fields=["day"],
                name="enc_pickup_reminder_due",
                condition=Q(status="booked")
                & (Q(reminder3_sent_at__isnull=True) | Q(reminder1_sent_at__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} – {self.day:%d/%m/%Y}"

    @property
    def is_active(self) -> bool:
        return self.status == PickupStatus.BOOKED

    @property
    def address(self) -> str:
        return f"{self.street_number} {self.street.name}"

    @property
    def volume_display(self) -> str:
        return litres_display(self.volume_l)

    @property
    def document_key(self) -> str:
        # One confirmation per version: an amended pickup gets a new one, the old stays on file.
        return str(self.pk) if not self.amend_count else f"{self.pk}-{self.amend_count}"


class PickupLine(models.Model):
    pickup = models.ForeignKey(Pickup, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField(_("quantité"))
    # Copied at booking: a later change of the catalogue does not change a booked volume.
    unit_volume_l = models.PositiveIntegerField()
    refused = models.PositiveSmallIntegerField(_("refusés par l'équipe"), default=0)

    class Meta:
        ordering = ["pickup", "item__order", "item__name"]
        verbose_name = _("objet à enlever")
        verbose_name_plural = _("objets à enlever")
        constraints = [
            models.UniqueConstraint(fields=["pickup", "item"], name="enc_line_one_per_item"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="enc_line_quantity_positive"),
            models.CheckConstraint(condition=Q(refused__lte=F("quantity")), name="enc_line_refused_within"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item}"

    @property
    def volume_l(self) -> int:
        return self.quantity * self.unit_volume_l


class AddressYear(models.Model):
    """The pickups of one address in one calendar year (of the pickup day), taken by a conditional UPDATE
    (`used < quota`): two bookings for the same address when one remains cannot both pass."""

    address_key = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("quota d'une adresse")
        verbose_name_plural = _("quotas des adresses")
        constraints = [
            models.UniqueConstraint(fields=["address_key", "year"], name="enc_address_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.address_key} {self.year}: {self.used}"
