"""The spine: one Request per démarche, whatever the channel, with its events, messages and files.
Every write goes through requests_app.services; nothing here queries in save()."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from requests_app.models.catalogue import Service
from requests_app.models.reference import Espace, Quartier, Site, Street
from requests_app.registry import registry


class Channel(models.TextChoices):
    WEB = "web", _("En ligne")
    GUICHET = "guichet", _("Guichet")
    PHONE = "phone", _("Téléphone")
    MAIL = "mail", _("Courrier")
    EMAIL = "email", _("Courriel")
    API = "api", _("API / partenaire")


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    NEW = "new", _("Nouvelle")
    IN_PROGRESS = "in_progress", _("En cours de traitement")
    AWAITING_CITIZEN = "awaiting_citizen", _("En attente de votre réponse")
    RESOLVED = "resolved", _("Traitée")
    REJECTED = "rejected", _("Refusée")
    CANCELLED = "cancelled", _("Annulée")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.AWAITING_CITIZEN)
CLOSED_STATUSES = (Status.RESOLVED, Status.REJECTED, Status.CANCELLED)


class Priority(models.IntegerChoices):
    LOW = 1, _("Basse")
    NORMAL = 2, _("Normale")
    HIGH = 3, _("Haute")
    URGENT = 4, _("Urgente")


class ReferenceCounter(models.Model):
    """One row per year; `last` is incremented by one UPDATE … RETURNING inside the filing
    transaction, so two concurrent filings can never share a number and none is reused."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de références")

    def __str__(self) -> str:
        return f"{self.year} : {self.last}"


class Request(models.Model):
    # Drafts have no reference: numbers are handed out at submission only, so none is wasted.
    reference = models.CharField(_("référence"), max_length=20, unique=True, null=True, blank=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="requests", verbose_name=_("service")
    )
    # Copied from the service at filing and on service change: the queue filters on it without a join.
    espace = models.ForeignKey(
        Espace, on_delete=models.PROTECT, related_name="requests", verbose_name=_("espace")
    )
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="requests", verbose_name=_("site")
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Denormalised from status (new, in progress, awaiting the resident): the open-work partial
    # indexes use it.
    is_open = models.BooleanField(default=False)
    priority = models.PositiveSmallIntegerField(
        _("priorité"), choices=Priority.choices, default=Priority.NORMAL
    )

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("demandeur"),
    )
    # Contact snapshot taken at filing: the only identity of someone without an account, and what the
    # agent saw at the time for someone with one.
    contact_name = models.CharField(_("nom du demandeur"), max_length=200, blank=True)
    contact_email = models.EmailField(_("adresse électronique"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("voie")
    )
    street_number = models.CharField(_("numéro"), max_length=10, blank=True)
    address_details = models.CharField(_("précisions sur le lieu"), max_length=200, blank=True)
    quartier = models.ForeignKey(
        Quartier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quartier"),
    )

    description = models.TextField(_("description"), blank=True)
    answers = models.JSONField(_("réponses"), default=dict, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("agent en charge"),
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("doublon de"),
    )

    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("première réponse le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)

    # The form's one-time token: a second POST of the same form finds this row instead of filing twice.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Secret of the tracking link of someone without an account (the link is signed, this makes it revocable).
    tracking_key = models.UUIDField(default=uuid.uuid4, editable=False)
    # Anonymous filings wait in draft until the email address is confirmed.
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demande")
        verbose_name_plural = _("demandes")
        indexes = [
            # "Mes demandes": a resident's requests, newest first.
            models.Index(fields=["requester", "-created_at"], name="req_requester_created"),
            # The guichet's open tabs (mine, awaiting, overdue, all open): open work only, a small share.
            # The included columns let the tab counts be an index-only scan of the agent's espaces.
            models.Index(
                fields=["espace", "due_date", "id"],
                name="req_open_espace_due",
                include=["assignee", "status"],
                condition=Q(is_open=True),
            ),
            # The default tab, "à prendre": open and unassigned, by due date, for one espace or for all.
            models.Index(
                fields=["espace", "due_date", "id"],
                name="req_totake_espace_due",
                condition=Q(is_open=True, assignee__isnull=True),
            ),
            models.Index(
                fields=["due_date", "id"],
                name="req_totake_due",
                condition=Q(is_open=True, assignee__isnull=True),
            ),
            models.Index(
                fields=["assignee", "due_date", "id"], name="req_open_assignee_due", condition=Q(is_open=True)
            ),
            # Supervisors' open tabs (every espace), by due date.
            models.Index(fields=["due_date", "id"], name="req_open_due", condition=Q(is_open=True)),
            # The guichet's closed and all tabs, and the dashboards' weekly volumes.
            models.Index(fields=["espace", "-created_at"], name="req_espace_created"),
            # Supervisors' closed tab (every espace), newest first.
            models.Index(fields=["-created_at"], name="req_created"),
            # Search by email at the counter ("do you already have a request?").
            models.Index(fields=["contact_email"], name="req_contact_email"),
            # Purge of expired drafts (beat): drafts only.
            models.Index(fields=["updated_at"], name="req_draft_updated", condition=Q(status="draft")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reference__isnull=False),
                name="request_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=(Q(is_open=True) & Q(status__in=["new", "in_progress", "awaiting_citizen"]))
                | (Q(is_open=False) & ~Q(status__in=["new", "in_progress", "awaiting_citizen"])),
                name="request_is_open_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"brouillon n° {self.pk}"

    @property
    def requester_name(self) -> str:
        if self.requester_id and self.requester.get_full_name():
            return self.requester.get_full_name()
        return self.contact_name

    @property
    def requester_email(self) -> str:
        return self.requester.email if self.requester_id else self.contact_email

    @property
    def address_display(self) -> str:
        if not self.street_id:
            return ""
        return " ".join(part for part in (self.street_number, self.street.name) if part) + ", 62400 Béthune"


class EventKind(models.TextChoices):
    CREATED = "created", _("Brouillon créé")
    SUBMITTED = "submitted", _("Demande déposée")
    STATUS = "status", _("Changement de statut")
    MESSAGE = "message", _("Message")
    NOTE = "note", _("Note interne")
    ATTACHMENT = "attachment", _("Pièce jointe ajoutée")
    ASSIGNED = "assigned", _("Attribution")
    SERVICE = "service", _("Changement de service")
    PRIORITY = "priority", _("Changement de priorité")
    DUPLICATE = "duplicate", _("Marquée comme doublon")
    INFO_REQUESTED = "info_requested", _("Informations demandées")
    LINKED = "linked", _("Rattachée à un compte")
    DOCUMENT = "document", _("Document produit")
    ANONYMISED = "anonymised", _("Données personnelles anonymisées")


def _label(label, event: "RequestEvent") -> str:
    return str(label(event) if callable(label) else label)


class RequestEvent(models.Model):
    """Appended, never edited: the resident's timeline (public rows) and the audit trail (all rows).
    `kind` is one of the spine's EventKind or one a domain app registered ("appointments.reminder",
    requests_app.registry): the column is open, so an app adds its kinds without a spine migration."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=50)
    old_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    new_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=True, help_text=_("Visible par le demandeur."))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [models.Index(fields=["request", "at"], name="event_request_at")]

    def __str__(self) -> str:
        return f"{self.kind_label} ({self.at:%d/%m/%Y %H:%M})"

    @property
    def kind_label(self) -> str:
        """The agents' words for the kind (the audit trail); the resident's are in the timeline's view."""
        if self.kind in EventKind.values:
            return str(EventKind(self.kind).label)
        registered = registry.event_kind(self.kind)
        if registered is None:
            return self.kind
        return _label(registered.agent_label or registered.resident_label, self)

    @property
    def resident_kind_label(self) -> str | None:
        """A registered kind's resident wording; None for the spine's own kinds."""
        registered = registry.event_kind(self.kind)
        return _label(registered.resident_label, self) if registered else None


class Message(models.Model):
    """A message between the requester and the town, or an internal note (never shown to the requester)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="messages")
    event = models.OneToOneField(RequestEvent, on_delete=models.CASCADE, related_name="message")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_staff = models.BooleanField(default=False)
    internal = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["request", "created_at"], name="message_request_created")]

    def __str__(self) -> str:
        return self.body[:60]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Unguessable and free of the uploaded name (which may carry anything): served only through a view.
    return f"pieces/{instance.request_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.original_name
