"""Appointments (PACS, ID card and passport): agendas, their opening periods and closures, seat counters
per slot and bookings. A booking extends a spine Request (OneToOne): the reference, the status timeline,
the messages and the documents are the spine's; this app adds when, where, for how many people, and the
ANTS pré-demande number. Every write goes through appointments.services."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from requests_app.models import OpeningPeriod, Request, Service, Site


class Motif(models.TextChoices):
    CNI = "cni", _("Carte nationale d'identité")
    PASSEPORT = "passeport", _("Passeport")
    CNI_PASSEPORT = "cni_passeport", _("Carte d'identité et passeport")
    RETRAIT = "retrait", _("Retrait d'un titre (carte ou passeport)")
    PACS = "pacs", _("Enregistrement d'un PACS")


class Agenda(models.Model):
    """What can be booked for one motif at one site, and how."""

    motif = models.CharField(_("motif"), max_length=20, choices=Motif.choices)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="agendas", verbose_name=_("site"))
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="agendas",
        verbose_name=_("service du catalogue"),
        help_text=_("Chaque rendez-vous est une demande de ce service (rdv-cni-passeport, rdv-pacs)."),
    )
    slot_minutes = models.PositiveSmallIntegerField(_("durée d'un créneau (minutes)"), default=20)
    seats = models.PositiveSmallIntegerField(
        _("guichets en parallèle"),
        default=2,
        help_text=_("Nombre de personnes reçues en même temps sur un créneau."),
    )
    max_people = models.PositiveSmallIntegerField(
        _("personnes par rendez-vous (maximum)"),
        default=1,
        help_text=_("Chaque personne occupe une place du créneau (un guichet chacune)."),
    )
    min_delay_hours = models.PositiveSmallIntegerField(
        _("délai minimum de réservation (heures)"),
        default=24,
        help_text=_("Un créneau ne peut être réservé en ligne qu'au moins ce nombre d'heures à l'avance."),
    )
    max_delay_days = models.PositiveSmallIntegerField(_("réservation possible jusqu'à (jours)"), default=60)
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("annulation en ligne jusqu'à (heures avant)"), default=24
    )
    ants_required = models.BooleanField(_("numéro de pré-demande ANTS obligatoire"), default=False)
    documents = models.TextField(
        _("pièces à apporter"),
        blank=True,
        help_text=_("Une pièce par ligne : elles figurent sur la convocation."),
    )
    instructions = models.TextField(_("informations pratiques"), blank=True)
    active = models.BooleanField(_("ouvert à la réservation"), default=True)

    class Meta:
        ordering = ["site__order", "motif"]
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")
        constraints = [
            models.UniqueConstraint(fields=["motif", "site"], name="agenda_one_per_motif_site"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="agenda_seats_positive"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="agenda_slot_minutes_min"),
            models.CheckConstraint(
                condition=Q(max_people__gte=1) & Q(max_people__lte=F("seats")), name="agenda_max_people_fits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_motif_display()} – {self.site.name}"

    def document_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.documents.splitlines() if line.strip(" -•\t")]

    @property
    def is_pacs(self) -> bool:
        return self.motif == Motif.PACS


class AgendaOpening(models.Model):
    """An opening period of one agenda. An agenda with none follows its site's opening hours."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="openings")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=OpeningPeriod.Weekday.choices)
    opens = models.TimeField(_("début"))
    closes = models.TimeField(_("fin"))

    class Meta:
        ordering = ["agenda", "weekday", "opens"]
        verbose_name = _("plage de rendez-vous")
        verbose_name_plural = _("plages de rendez-vous (vide : horaires du site)")
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="agenda_opening_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """An ad hoc closure entered by staff (training, strike, works): no slot overlapping it is offered.
    Public holidays are closures too, from the `holidays` package, without a row here."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="closures", verbose_name=_("site"))
    agenda = models.ForeignKey(
        Agenda,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("agenda"),
        help_text=_("Vide : tous les agendas du site."),
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    reason = models.CharField(_("motif de la fermeture"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("fermeture exceptionnelle")
        verbose_name_plural = _("fermetures exceptionnelles")
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="closure_ordered"),
        ]
        indexes = [
            # Slot generation: the closures of a site overlapping the month or day shown.
            models.Index(fields=["site", "ends_at"], name="closure_site_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.site} : {self.reason}"


class Slot(models.Model):
    """The seat counter of one slot, created on demand when the slot is first booked (slots themselves are
    generated from the opening periods, never stored for the whole future). `booked <= seats` is a
    database constraint and seats are taken by one conditional UPDATE: two people can never hold the
    same last seat, whatever the number of web processes."""

    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    seats = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")
        constraints = [
            # Also the index of the month calendar: the counters of one agenda over a date range.
            models.UniqueConstraint(fields=["agenda", "starts_at"], name="slot_unique_agenda_start"),
            models.CheckConstraint(condition=Q(booked__lte=F("seats")), name="slot_booked_within_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.agenda} {self.starts_at:%Y-%m-%d %H:%M} ({self.booked}/{self.seats})"

    @property
    def free(self) -> int:
        return max(0, self.seats - self.booked)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Réservé")
    HONOURED = "honoured", _("Honoré")
    NO_SHOW = "no_show", _("Absent")
    CANCELLED_BY_USER = "cancelled_by_user", _("Annulé par l'usager")
    CANCELLED_BY_SERVICE = "cancelled_by_service", _("Annulé par le service")


class Booking(models.Model):
    request = models.OneToOneField(Request, on_delete=models.PROTECT, related_name="booking")
    agenda = models.ForeignKey(Agenda, on_delete=models.PROTECT, related_name="bookings")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    # Copied from the slot and agenda: the day view, the reminder sweep and the figures filter on them.
    starts_at = models.DateTimeField(_("début"))
    motif = models.CharField(_("motif"), max_length=20, choices=Motif.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    people = models.PositiveSmallIntegerField(_("personnes"), default=1)
    ants_number = models.CharField(_("numéro de pré-demande ANTS"), max_length=10, blank=True)
    # PACS: both partners' identities and contacts, as entered.
    partners = models.JSONField(_("partenaires"), default=list, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        constraints = [
            models.CheckConstraint(condition=Q(people__gte=1), name="booking_people_positive"),
        ]
        indexes = [
            # The agents' day view: one agenda's bookings over a day, in time order.
            models.Index(fields=["agenda", "starts_at"], name="booking_agenda_start"),
            # The reminder sweep (beat): booked appointments not yet reminded, by start.
            models.Index(
                fields=["starts_at"],
                name="booking_reminder_due",
                condition=Q(status="booked", reminder_sent_at__isnull=True),
            ),
            # "One future booking per motif": a resident's active bookings.
            models.Index(fields=["user", "motif"], name="booking_user_active", condition=Q(status="booked")),
            # The dashboards' weekly figures per motif.
            models.Index(fields=["motif", "starts_at"], name="booking_motif_start"),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} – {self.get_motif_display()} {self.starts_at:%d/%m/%Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED

    @property
    def convocation_key(self) -> str:
        # One convocation per date: a rescheduled booking gets a new one, the old stays on file.
        return str(self.pk) if not self.reschedule_count else f"{self.pk}-{self.reschedule_count}"
