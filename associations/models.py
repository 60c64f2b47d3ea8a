"""Associations and their subsidy dossiers (issue 17). An association ("tiers") has members (user accounts
with a role), a document vault whose validity dates every dossier reuses, and dossiers filed in a staff
campaign. A submitted dossier extends a spine Request of kind "subvention" (OneToOne): the reference, the
thread, the receipt and the outbox are the spine's; this app adds the CERFA 12156 content, the instruction,
the decision, the payment schedule and the compte-rendu financier (CERFA 15059). Every write goes through
associations.services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from requests_app.models import Quartier, Request

MONEY = {"max_digits": 12, "decimal_places": 2}


class Association(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    rna = models.CharField(_("numéro RNA"), max_length=10, unique=True, help_text=_("W suivi de 9 chiffres."))
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, help_text=_("14 chiffres."))
    address = models.CharField(_("adresse du siège"), max_length=250)
    purpose = models.TextField(_("objet"))
    email = models.EmailField(_("adresse électronique"))
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    federation = models.CharField(_("fédération ou réseau"), max_length=200, blank=True)
    agrements = models.CharField(_("agréments administratifs"), max_length=300, blank=True)
    conventionnee = models.BooleanField(_("conventionnée avec la ville"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        constraints = [
            models.CheckConstraint(condition=Q(rna__regex=r"^W[0-9]{9}$"), name="association_rna_format"),
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    PRESIDENT = "president", _("Président·e")
    TREASURER = "tresorier", _("Trésorier·e")
    SECRETARY = "secretaire", _("Secrétaire")
    MEMBER = "membre", _("Membre")


class Membership(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="association_memberships"
    )
    role = models.CharField(_("rôle"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["association", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "user"], name="membership_once"),
            # One president: the person who invites and removes members.
            models.UniqueConstraint(
                fields=["association"], condition=Q(role="president"), name="membership_one_president"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.association})"


class Invitation(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(_("rôle"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} → {self.association_id}"


class DocumentType(models.TextChoices):
    STATUTS = "statuts", _("Statuts")
    DIRIGEANTS = "dirigeants", _("Liste des dirigeants")
    RIB = "rib", _("RIB")
    COMPTES = "comptes", _("Derniers comptes approuvés")
    RAPPORT = "rapport", _("Rapport d'activité")
    ASSURANCE = "assurance", _("Attestation d'assurance")
    CER = "cer", _("Contrat d'engagement républicain signé")


def vault_path(instance: "VaultDocument", filename: str) -> str:
    import uuid

    return f"associations/{instance.association_id}/{uuid.uuid4().hex}"


class VaultDocument(models.Model):
    """One document of the vault ("dites-le nous une fois"); the newest of a type is the one in force."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("pièce"), max_length=12, choices=DocumentType.choices)
    file = models.FileField(upload_to=vault_path, max_length=200)
    filename = models.CharField(max_length=120)
    content_type = models.CharField(max_length=80)
    valid_until = models.DateField(_("valable jusqu'au"))
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expiry_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["doc_type", "-uploaded_at"]
        indexes = [
            # The expiry sweep: documents not yet announced, by validity date.
            models.Index(
                fields=["valid_until"], condition=Q(expiry_notified_at__isnull=True), name="vault_expiry_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} ({self.valid_until})"


class Campaign(models.Model):
    year = models.PositiveSmallIntegerField(_("année"))
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"))
    commission_on = models.DateField(_("date de la commission"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "opens_on"]
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__lte=models.F("closes_on")), name="campaign_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Axis(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="axes")
    title = models.CharField(_("axe"), max_length=200)
    envelope = models.DecimalField(_("enveloppe (€)"), **MONEY)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign", "order", "title"]
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        constraints = [models.CheckConstraint(condition=Q(envelope__gte=0), name="axis_envelope_positive")]

    def __str__(self) -> str:
        return self.title


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé")
    CORRECTIONS = "corrections", _("Corrections demandées")
    ADMISSIBLE = "admissible", _("Recevable, en instruction")
    INADMISSIBLE = "inadmissible", _("Irrecevable")
    GRANTED = "granted", _("Accordé")
    PARTLY = "partly", _("Accordé partiellement")
    REFUSED = "refused", _("Refusé")


DECIDED = (DossierStatus.GRANTED, DossierStatus.PARTLY)


class Dossier(models.Model):
    """A CERFA 12156 request. Until submission it is a draft without a spine request."""

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="dossiers")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="dossiers")
    axis = models.ForeignKey(Axis, on_delete=models.PROTECT, null=True, blank=True, related_name="dossiers")
    request = models.OneToOneField(
        Request, on_delete=models.PROTECT, null=True, blank=True, related_name="dossier"
    )
    status = models.CharField(max_length=14, choices=DossierStatus.choices, default=DossierStatus.DRAFT)
    # The four CERFA choices.
    cash = models.BooleanField(_("en numéraire"), default=True)
    in_kind = models.BooleanField(_("en nature"), default=False)
    renewal = models.BooleanField(_("renouvellement"), default=False)
    project_based = models.BooleanField(_("projet (sinon fonctionnement global)"), default=True)
    multi_year = models.BooleanField(_("pluriannuelle"), default=False)
    # The project.
    title = models.CharField(_("intitulé du projet"), max_length=200)
    project_key = models.CharField(max_length=200, editable=False)
    objectives = models.TextField(_("objectifs"), blank=True)
    public = models.TextField(_("public bénéficiaire"), blank=True)
    quartiers = models.ManyToManyField(Quartier, blank=True, related_name="+", verbose_name=_("quartiers"))
    starts_on = models.DateField(_("date de début"), null=True, blank=True)
    ends_on = models.DateField(_("date de fin"), null=True, blank=True)
    place = models.CharField(_("lieu de réalisation"), max_length=200, blank=True)
    indicators = models.TextField(_("indicateurs d'évaluation"), blank=True)
    # Grids: {"benevoles": {"count": n, "etp": "0.5"}, ...} and {"60": 1200, "74_commune": 5000, ...}.
    hr = models.JSONField(default=dict, blank=True)
    budget = models.JSONField(default=dict, blank=True)
    in_kind_items = models.JSONField(default=list, blank=True)  # [{"label": "Salle", "value": 800}]
    amount_asked = models.DecimalField(_("montant demandé à la ville (€)"), default=0, **MONEY)
    in_kind_value = models.DecimalField(_("aide en nature demandée, valorisée (€)"), default=0, **MONEY)
    # The sworn statement.
    sworn_name = models.CharField(_("nom du représentant légal"), max_length=150, blank=True)
    sworn_quality = models.CharField(_("qualité"), max_length=100, blank=True)
    sworn_on = models.DateField(_("date de l'attestation"), null=True, blank=True)
    sworn = models.BooleanField(_("attestation sur l'honneur"), default=False)
    # Instruction and decision.
    version = models.PositiveSmallIntegerField(default=0)
    opinion = models.TextField(_("avis de l'instructeur"), blank=True)
    proposed_amount = models.DecimalField(_("montant proposé (€)"), null=True, blank=True, **MONEY)
    granted_amount = models.DecimalField(_("montant accordé (€)"), null=True, blank=True, **MONEY)
    granted_in_kind = models.DecimalField(_("aide en nature accordée, valorisée (€)"), default=0, **MONEY)
    deliberation_number = models.CharField(_("numéro de délibération"), max_length=40, blank=True)
    deliberation_on = models.DateField(_("date de la délibération"), null=True, blank=True)
    convention_required = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A second dossier for the same project in the same campaign is refused (drafts included).
            models.UniqueConstraint(
                fields=["association", "campaign", "project_key"], name="dossier_one_per_project_campaign"
            ),
            models.CheckConstraint(condition=Q(amount_asked__gte=0), name="dossier_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.association})"

    @property
    def reference(self) -> str:
        return self.request.reference if self.request_id else ""

    @property
    def is_editable(self) -> bool:
        return self.status in (DossierStatus.DRAFT, DossierStatus.CORRECTIONS)


class DossierVersion(models.Model):
    """The dossier as submitted each time: the correction loop keeps every version."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    data = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="dossier_version_once")]

    def __str__(self) -> str:
        return f"v{self.number}"


class PaymentKind(models.TextChoices):
    SINGLE = "single", _("Versement unique")
    ADVANCE = "advance", _("Avance")
    BALANCE = "balance", _("Solde")


class Payment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField(_("montant (€)"), **MONEY)
    planned_on = models.DateField(_("date prévue"))
    paid_on = models.DateField(_("versé le"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "planned_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class ReportStatus(models.TextChoices):
    EXPECTED = "expected", _("Attendu")
    SUBMITTED = "submitted", _("Déposé")
    MORE = "more", _("Compléments demandés")
    ACCEPTED = "accepted", _("Accepté")


class FinancialReport(models.Model):
    """The compte-rendu financier (CERFA 15059) of a granted dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="report")
    due_on = models.DateField(_("à rendre avant le"))
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.EXPECTED)
    actual = models.JSONField(default=dict, blank=True)
    review = models.TextField(_("bilan qualitatif"), blank=True)
    staff_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    reminded_30_at = models.DateTimeField(null=True, blank=True)
    reminded_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Overdue and reminder sweeps: reports not accepted, by due date.
            models.Index(fields=["due_on"], condition=~Q(status="accepted"), name="report_open_due"),
        ]

    def __str__(self) -> str:
        return f"CRF {self.dossier_id} ({self.due_on})"
