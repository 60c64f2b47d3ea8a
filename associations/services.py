"""Writes of the associations app. Identifiers are checked with python-stdnum; a dossier is a draft until
it is submitted, which files its spine Request (kind "subvention", owned by this app: every later change of
the request passes this app's `Owner`). Errors are ServiceError with a French message and the field.
Mail that concerns no request (an invitation, a document about to expire) is sent by a Celery task
enqueued on commit (associations.tasks), since the spine's outbox is per request."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

import filetype
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from accounts import roles
from accounts.models import User
from associations import budget as budget_rules
from associations.models import (
    DECIDED,
    Association,
    Axis,
    Campaign,
    DocumentType,
    Dossier,
    DossierStatus,
    DossierVersion,
    FinancialReport,
    Invitation,
    MemberRole,
    Membership,
    Payment,
    PaymentKind,
    ReportStatus,
    VaultDocument,
)
from associations.registration import (
    ADMISSIBLE,
    OPINION,
    PAYMENT,
    REPORT_ACCEPTED,
    REPORT_MORE,
    REPORT_REMINDER,
    REPORT_SUBMITTED,
    RESUBMITTED,
    SERVICE_CODE,
    owner,
)
from requests_app.errors import ServiceError
from requests_app.models import Quartier, Service, Status
from requests_app.services import FilingData, request_event_record, request_submit, request_transition

RNA_PATTERN = re.compile(r"^W\d{9}$")
# Loi 2000-321 art. 10 and décret 2001-495: a convention above 23 000 € a year, in kind included.
CONVENTION_THRESHOLD = Decimal(23000)
MAX_UPLOAD = 10 * 1024 * 1024
UPLOAD_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
REQUIRED_DOCUMENTS = [choice for choice in DocumentType]
INVITATION_SALT = "associations.invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600
ADVANCE_SHARE = Decimal("0.5")  # chosen default: half paid on notification, the rest after the report


# --- Identifiers -------------------------------------------------------------------------------------


def rna_normalise(value: str) -> str:
    cleaned = re.sub(r"\s", "", value or "").upper()
    if not RNA_PATTERN.match(cleaned):
        raise ServiceError(
            "Le numéro RNA commence par W suivi de 9 chiffres (par exemple W623001234) : il figure sur le "
            "récépissé de déclaration en préfecture.",
            field="rna",
            code="rna",
        )
    return cleaned


def siret_normalise(value: str) -> str:
    cleaned = re.sub(r"[\s.]", "", value or "")
    if not cleaned:
        return ""
    try:
        return stdnum_siret.validate(cleaned)
    except StdnumError:
        raise ServiceError(
            "Ce numéro SIRET n'est pas valide : il compte 14 chiffres (SIREN + 5 chiffres) et sa clé de "
            "contrôle doit être juste. Vérifiez-le sur l'avis de situation de l'INSEE.",
            field="siret",
            code="siret",
        ) from None


def iban_normalise(value: str) -> str:
    cleaned = re.sub(r"\s", "", value or "").upper()
    if not cleaned:
        return ""
    try:
        return stdnum_iban.validate(cleaned)
    except StdnumError:
        raise ServiceError(
            "Cet IBAN n'est pas valide (longueur ou clé de contrôle) : recopiez-le depuis le RIB de "
            "l'association, par exemple FR76 3000 6000 0112 3456 7890 189.",
            field="iban",
            code="iban",
        ) from None


# --- The association and its members -----------------------------------------------------------------


@dataclass
class AssociationData:
    name: str
    rna: str
    address: str
    purpose: str
    email: str
    siret: str = ""
    phone: str = ""
    iban: str = ""
    bic: str = ""
    federation: str = ""
    agrements: str = ""
    conventionnee: bool = False


def _association_apply(association: Association, data: AssociationData) -> None:
    for name in ("name", "address", "purpose", "email"):
        if not str(getattr(data, name) or "").strip():
            raise ServiceError("Ce champ est obligatoire.", field=name, code="required")
    association.rna = rna_normalise(data.rna)
    association.siret = siret_normalise(data.siret)
    association.iban = iban_normalise(data.iban)
    association.name = data.name.strip()
    association.address = data.address.strip()
    association.purpose = data.purpose.strip()
    association.email = data.email.strip().lower()
    association.phone = data.phone.strip()
    association.bic = data.bic.strip().upper()
    association.federation = data.federation.strip()
    association.agrements = data.agrements.strip()
    association.conventionnee = data.conventionnee


def _rna_taken() -> ServiceError:
    return ServiceError(
        "Une association avec ce numéro RNA existe déjà sur le portail : demandez à sa présidence de vous "
        "inviter.",
        field="rna",
        code="rna_taken",
    )


def association_create(*, user: User, data: AssociationData) -> Association:
    """The person who creates the association becomes its president and gets the association member role."""
    association = Association()
    _association_apply(association, data)
    try:
        with transaction.atomic():
            association.save()
            Membership.objects.create(association=association, user=user, role=MemberRole.PRESIDENT)
            user.groups.add(Group.objects.get(name=roles.ASSOCIATION_MEMBER))
    except IntegrityError:
        raise _rna_taken() from None
    return association


def association_update(*, association: Association, user: User, data: AssociationData) -> Association:
    membership_get(association=association, user=user)
    _association_apply(association, data)
    try:
        with transaction.atomic():
            association.save()
    except IntegrityError:
        raise _rna_taken() from None
    return association


def membership_get(*, association: Association, user: User) -> Membership:
    membership = Membership.objects.filter(association=association, user=user).first()
    if membership is None:
        raise ServiceError("Vous n'êtes pas membre de cette association.", code="not_member")
    return membership


def _president_only(association: Association, user: User) -> None:
    if membership_get(association=association, user=user).role != MemberRole.PRESIDENT:
        raise ServiceError(
            "Seule la présidence de l'association invite ou retire des membres.", code="not_president"
        )


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "a": invitation.association_id}, salt=INVITATION_SALT)


def invitation_create(*, association: Association, by: User, email: str, role: str) -> Invitation:
    """The president invites someone by email; the link is signed (a tampered link is refused) and works
    once, for 14 days. Sent by a task after commit (the invitation concerns no spine request)."""
    from associations.tasks import invitation_send_task

    _president_only(association, by)
    email = (email or "").strip().lower()
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise ServiceError("Indiquez une adresse électronique valide.", field="email", code="email")
    if role not in MemberRole.values or role == MemberRole.PRESIDENT:
        raise ServiceError("Choisissez un rôle de la liste.", field="role", code="role")
    if Membership.objects.filter(association=association, user__email__iexact=email).exists():
        raise ServiceError("Cette personne est déjà membre de l'association.", field="email", code="member")
    with transaction.atomic():
        invitation = Invitation.objects.create(association=association, email=email, role=role, invited_by=by)
        transaction.on_commit(lambda: invitation_send_task.delay(invitation.pk))
    return invitation


def invitation_from_token(token: str) -> Invitation | None:
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
        return Invitation.objects.select_related("association").get(
            pk=int(data["i"]), association_id=int(data["a"])
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError, Invitation.DoesNotExist):
        return None


def invitation_accept(*, token: str, user: User) -> Membership:
    invitation = invitation_from_token(token)
    if invitation is None:
        raise ServiceError("Ce lien d'invitation n'est pas valide ou a expiré.", code="bad_link")
    if invitation.email.lower() != user.email.lower():
        raise ServiceError(
            f"Cette invitation a été envoyée à {invitation.email} : connectez-vous avec ce compte.",
            code="other_email",
        )
    with transaction.atomic():
        # One use: the conditional UPDATE decides (a second click finds it accepted).
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        existing = Membership.objects.filter(association=invitation.association, user=user).first()
        if existing is not None:
            return existing
        if not claimed:
            raise ServiceError("Cette invitation a déjà été utilisée.", code="used")
        membership = Membership.objects.create(
            association=invitation.association, user=user, role=invitation.role
        )
        user.groups.add(Group.objects.get(name=roles.ASSOCIATION_MEMBER))
    return membership


def member_remove(*, association: Association, by: User, membership: Membership) -> None:
    _president_only(association, by)
    if membership.association_id != association.pk:
        raise ServiceError("Ce membre n'appartient pas à l'association.", code="not_member")
    if membership.role == MemberRole.PRESIDENT:
        raise ServiceError("La présidence ne peut pas se retirer elle-même.", code="president")
    membership.delete()


# --- The document vault ------------------------------------------------------------------------------


def document_upload(
    *, association: Association, user: User, doc_type: str, upload, valid_until: datetime.date | None
) -> VaultDocument:
    membership_get(association=association, user=user)
    if doc_type not in DocumentType.values:
        raise ServiceError("Choisissez le type de pièce.", field="doc_type", code="required")
    if upload is None:
        raise ServiceError("Choisissez le fichier à déposer.", field="file", code="required")
    if valid_until is None:
        raise ServiceError(
            "Indiquez jusqu'à quand la pièce est valable.", field="valid_until", code="required"
        )
    if valid_until < timezone.localdate():
        raise ServiceError(
            "Cette pièce n'est plus valable : déposez une version à jour.",
            field="valid_until",
            code="expired",
        )
    if upload.size > MAX_UPLOAD:
        raise ServiceError("Le fichier dépasse 10 Mo.", field="file", code="too_big")
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in UPLOAD_TYPES:
        raise ServiceError("Déposez un fichier PDF, JPEG ou PNG.", field="file", code="type")
    document = VaultDocument(
        association=association,
        doc_type=doc_type,
        valid_until=valid_until,
        uploaded_by=user,
        filename=f"{doc_type}.{UPLOAD_TYPES[kind.mime]}",
        content_type=kind.mime,
    )
    document.file.save(document.filename, upload, save=False)
    document.save()
    return document


def documents_in_force(association: Association) -> dict[str, VaultDocument]:
    """The newest document of each type (the vault keeps the older ones)."""
    latest: dict[str, VaultDocument] = {}
    for document in association.documents.order_by("doc_type", "-uploaded_at", "-pk"):
        latest.setdefault(document.doc_type, document)
    return latest


def documents_missing(association: Association, *, on: datetime.date) -> list[str]:
    """Labels of required documents missing or no longer valid on the day."""
    latest = documents_in_force(association)
    missing = []
    for doc_type in REQUIRED_DOCUMENTS:
        document = latest.get(doc_type.value)
        if document is None:
            missing.append(f"{doc_type.label} (manquante)")
        elif document.valid_until < on:
            missing.append(f"{doc_type.label} (expirée le {document.valid_until:%d/%m/%Y})")
    return missing


def documents_expiring(*, today: datetime.date, days: int = 30) -> list[int]:
    return list(
        VaultDocument.objects.filter(
            expiry_notified_at__isnull=True,
            valid_until__lte=today + datetime.timedelta(days=days),
            valid_until__gte=today,
        ).values_list("pk", flat=True)
    )


def document_expiry_claim(*, document_id: int) -> bool:
    """Claim the expiry email of one document (a second beat finds it claimed)."""
    return bool(
        VaultDocument.objects.filter(pk=document_id, expiry_notified_at__isnull=True).update(
            expiry_notified_at=timezone.now()
        )
    )


# --- Campaigns ---------------------------------------------------------------------------------------


def campaign_is_open(campaign: Campaign, *, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return campaign.opens_on <= today <= campaign.closes_on


def campaign_create(
    *, year: int, title: str, opens_on, closes_on, axes: list[tuple[str, Decimal]], description: str = ""
) -> Campaign:
    if not title.strip():
        raise ServiceError("Donnez un titre à la campagne.", field="title", code="required")
    if opens_on is None or closes_on is None or opens_on > closes_on:
        raise ServiceError("La clôture doit suivre l'ouverture.", field="closes_on", code="dates")
    if not axes:
        raise ServiceError("Ajoutez au moins un axe avec son enveloppe.", field="axes", code="required")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            year=year, title=title.strip(), opens_on=opens_on, closes_on=closes_on, description=description
        )
        for order, (axis_title, envelope) in enumerate(axes):
            Axis.objects.create(campaign=campaign, title=axis_title, envelope=envelope, order=order)
    return campaign


# --- The dossier -------------------------------------------------------------------------------------


def project_key(title: str) -> str:
    return re.sub(r"\W+", " ", (title or "").lower()).strip()


def _same_project_error() -> ServiceError:
    return ServiceError(
        "Votre association a déjà un dossier pour ce projet dans cette campagne : complétez-le plutôt que "
        "d'en créer un second.",
        field="title",
        code="same_project",
    )


def reports_overdue(association: Association, *, today: datetime.date | None = None) -> list[FinancialReport]:
    today = today or timezone.localdate()
    return list(
        FinancialReport.objects.filter(dossier__association=association, due_on__lt=today)
        .exclude(status=ReportStatus.ACCEPTED)
        .select_related("dossier__request", "dossier__campaign")
    )


def _overdue_check(association: Association, today: datetime.date) -> None:
    overdue = reports_overdue(association, today=today)
    if overdue:
        report = overdue[0]
        raise ServiceError(
            f"Le compte-rendu financier du dossier « {report.dossier.title} » ({report.dossier.reference}, "
            f"campagne {report.dossier.campaign.year}) devait être rendu avant le {report.due_on:%d/%m/%Y} : "
            "déposez-le avant toute nouvelle demande.",
            code="report_overdue",
        )


def dossier_create(*, association: Association, campaign: Campaign, user: User, title: str) -> Dossier:
    membership_get(association=association, user=user)
    today = timezone.localdate()
    if not campaign_is_open(campaign, today=today):
        raise ServiceError(
            f"La campagne « {campaign.title} » est fermée (dépôt du {campaign.opens_on:%d/%m/%Y} au "
            f"{campaign.closes_on:%d/%m/%Y}).",
            code="campaign_closed",
        )
    _overdue_check(association, today)
    if not (title or "").strip():
        raise ServiceError("Donnez un intitulé au projet.", field="title", code="required")
    key = project_key(title)
    if Dossier.objects.filter(association=association, campaign=campaign, project_key=key).exists():
        raise _same_project_error()
    try:
        with transaction.atomic():
            return Dossier.objects.create(
                association=association, campaign=campaign, title=title.strip(), project_key=key
            )
    except IntegrityError:
        raise _same_project_error() from None


@dataclass
class DossierData:
    title: str
    axis_id: int | None = None
    cash: bool = True
    in_kind: bool = False
    renewal: bool = False
    project_based: bool = True
    multi_year: bool = False
    objectives: str = ""
    public: str = ""
    quartier_ids: list[int] = field(default_factory=list)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    place: str = ""
    indicators: str = ""
    hr: dict = field(default_factory=dict)  # {"benevoles": {"count": "3", "etp": "0,5"}, …}
    budget: dict = field(default_factory=dict)  # raw grid
    in_kind_items: list = field(default_factory=list)  # [{"label": …, "value": …}]
    amount_asked: str = ""
    sworn_name: str = ""
    sworn_quality: str = ""
    sworn_on: datetime.date | None = None
    sworn: bool = False


def _hr_parse(raw: dict) -> dict:
    grid = {}
    for code, label in budget_rules.HR_ROWS:
        row = raw.get(code) or {}
        count_text = str(row.get("count", "") or "").strip()
        etp_text = str(row.get("etp", "") or "").strip().replace(",", ".")
        if count_text and not count_text.isdigit():
            raise ServiceError(
                f"« {label} » : indiquez un nombre de personnes entier.",
                field=f"hr_{code}_count",
                code="number",
            )
        try:
            etp = Decimal(etp_text) if etp_text else Decimal(0)
        except ArithmeticError:
            etp = Decimal(-1)
        if not etp.is_finite() or etp < 0 or etp > 10000:
            raise ServiceError(
                f"« {label} » : indiquez les ETP en nombre décimal (par exemple 1,5).",
                field=f"hr_{code}_etp",
                code="number",
            )
        grid[code] = {"count": int(count_text or 0), "etp": str(etp.normalize()) if etp else "0"}
    return grid


def dossier_save(*, dossier: Dossier, user: User, data: DossierData) -> Dossier:
    """Save the draft (or the dossier under correction) as typed; format errors are refused (cents, text
    in an amount), the whole-dossier rules are checked at submission."""
    membership_get(association=dossier.association, user=user)
    if not dossier.is_editable:
        raise ServiceError("Ce dossier est déposé : il ne peut plus être modifié.", code="not_editable")
    if not data.title.strip():
        raise ServiceError("Donnez un intitulé au projet.", field="title", code="required")
    axis = None
    if data.axis_id:
        axis = Axis.objects.filter(pk=data.axis_id, campaign=dossier.campaign).first()
        if axis is None:
            raise ServiceError("Choisissez un axe de la campagne.", field="axis", code="axis")
    grid = budget_rules.budget_parse(data.budget)
    amount = budget_rules.whole_euros(
        data.amount_asked, field="amount_asked", label="Montant demandé à la ville"
    )
    items = []
    for number, item in enumerate(data.in_kind_items, start=1):
        label = str(item.get("label", "")).strip()
        value = budget_rules.whole_euros(
            item.get("value"), field=f"in_kind_{number}_value", label=f"Aide en nature {number}"
        )
        if label or value:
            if not label:
                raise ServiceError(
                    f"Aide en nature {number} : indiquez ce qui est demandé (salle, matériel…).",
                    field=f"in_kind_{number}_label",
                    code="required",
                )
            items.append({"label": label[:200], "value": value})
    if data.starts_on and data.ends_on and data.starts_on > data.ends_on:
        raise ServiceError("La date de fin doit suivre la date de début.", field="ends_on", code="dates")
    key = project_key(data.title)
    if (
        Dossier.objects.filter(association=dossier.association, campaign=dossier.campaign, project_key=key)
        .exclude(pk=dossier.pk)
        .exists()
    ):
        raise _same_project_error()
    dossier.title = data.title.strip()[:200]
    dossier.project_key = key
    dossier.axis = axis
    for name in ("cash", "in_kind", "renewal", "project_based", "multi_year", "sworn"):
        setattr(dossier, name, bool(getattr(data, name)))
    for name in ("objectives", "public", "place", "indicators", "sworn_name", "sworn_quality"):
        setattr(dossier, name, str(getattr(data, name) or "").strip())
    dossier.starts_on, dossier.ends_on, dossier.sworn_on = data.starts_on, data.ends_on, data.sworn_on
    dossier.hr = _hr_parse(data.hr)
    dossier.budget = grid
    dossier.amount_asked = Decimal(amount)
    dossier.in_kind_items = items
    dossier.in_kind_value = Decimal(sum(item["value"] for item in items))
    try:
        with transaction.atomic():
            dossier.save()
            dossier.quartiers.set(Quartier.objects.filter(pk__in=data.quartier_ids))
    except IntegrityError:
        raise _same_project_error() from None
    return dossier


def _complete_check(dossier: Dossier, today: datetime.date) -> None:
    required = [
        ("title", "l'intitulé du projet"),
        ("objectives", "les objectifs"),
        ("public", "le public bénéficiaire"),
        ("place", "le lieu de réalisation"),
        ("indicators", "les indicateurs d'évaluation"),
    ]
    for name, label in required:
        if not getattr(dossier, name).strip():
            raise ServiceError(f"Complétez le projet : {label}.", field=name, code="required")
    if dossier.axis_id is None:
        raise ServiceError("Choisissez l'axe de la campagne.", field="axis", code="required")
    if not dossier.starts_on or not dossier.ends_on:
        raise ServiceError(
            "Indiquez les dates de début et de fin du projet.", field="starts_on", code="required"
        )
    if not (dossier.cash or dossier.in_kind):
        raise ServiceError(
            "Cochez une subvention en numéraire, en nature ou les deux.", field="cash", code="required"
        )
    if dossier.cash and dossier.amount_asked <= 0:
        raise ServiceError("Indiquez le montant demandé à la ville.", field="amount_asked", code="required")
    if dossier.in_kind and not dossier.in_kind_items:
        raise ServiceError(
            "Décrivez et valorisez l'aide en nature demandée.", field="in_kind_1_label", code="required"
        )
    budget_rules.budget_check(dossier.budget, amount_asked=dossier.amount_asked)
    if not (
        dossier.sworn and dossier.sworn_name.strip() and dossier.sworn_quality.strip() and dossier.sworn_on
    ):
        raise ServiceError(
            "Le représentant légal atteste sur l'honneur l'exactitude du dossier : son nom, sa qualité, "
            "la date "
            "et la case à cocher.",
            field="sworn",
            code="sworn",
        )
    missing = documents_missing(dossier.association, on=today)
    if missing:
        raise ServiceError(
            "Pièces obligatoires manquantes ou expirées : " + ", ".join(missing) + ". Déposez-les dans le "
            "coffre-fort de l'association.",
            field="documents",
            code="documents",
        )


def dossier_snapshot(dossier: Dossier) -> dict:
    """What a version keeps, readable as it is (labels, not ids)."""
    return {
        "Intitulé": dossier.title,
        "Axe": dossier.axis.title if dossier.axis_id else "",
        "En numéraire": "oui" if dossier.cash else "non",
        "En nature": "oui" if dossier.in_kind else "non",
        "Renouvellement": "oui" if dossier.renewal else "non",
        "Projet": "oui" if dossier.project_based else "non (fonctionnement global)",
        "Pluriannuelle": "oui" if dossier.multi_year else "non",
        "Objectifs": dossier.objectives,
        "Public": dossier.public,
        "Quartiers": ", ".join(sorted(q.name for q in dossier.quartiers.all())),
        "Début": dossier.starts_on.isoformat() if dossier.starts_on else "",
        "Fin": dossier.ends_on.isoformat() if dossier.ends_on else "",
        "Lieu": dossier.place,
        "Indicateurs": dossier.indicators,
        **{
            f"RH {label}": f"{dossier.hr.get(code, {}).get('count', 0)} pers., "
            f"{dossier.hr.get(code, {}).get('etp', '0')} ETP"
            for code, label in budget_rules.HR_ROWS
        },
        **{budget_rules.LABELS[code]: str(dossier.budget.get(code, 0)) for code in budget_rules.ACCOUNTS},
        "Aide en nature": "; ".join(f"{item['label']} ({item['value']} €)" for item in dossier.in_kind_items),
        "Montant demandé": str(int(dossier.amount_asked)),
        "Représentant légal": f"{dossier.sworn_name}, {dossier.sworn_quality}",
    }


def versions_diff(before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field that changed between two versions."""
    return [
        (name, str(before.get(name, "")), str(after.get(name, "")))
        for name in after
        if str(before.get(name, "")) != str(after.get(name, ""))
    ]


def _version_add(dossier: Dossier) -> DossierVersion:
    dossier.version += 1
    dossier.save(update_fields=["version", "status", "request", "updated_at"])
    return DossierVersion.objects.create(
        dossier=dossier, number=dossier.version, data=dossier_snapshot(dossier)
    )


def _lock(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("association", "campaign", "axis", "request")
        .get(pk=dossier.pk)
    )


def _vault_copies(association: Association) -> list:
    """The vault's documents in force, copied onto the spine request as its attachments (the catalogue's
    service asks for one; the instructor then finds them in the request's thread), within the filing
    form's limit."""
    copies = []
    for document in list(documents_in_force(association).values())[: settings.PORTAL_MAX_FILES]:
        with document.file.open("rb") as handle:
            copies.append(
                SimpleUploadedFile(document.filename, handle.read(), content_type=document.content_type)
            )
    return copies


def dossier_submit(*, dossier: Dossier, user: User, now: datetime.datetime | None = None) -> Dossier:
    """Submit (or resubmit after a correction): every CERFA rule, then the spine request is filed (its
    receipt and the submission email, with the summary PDF, follow after commit)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    membership_get(association=dossier.association, user=user)
    with transaction.atomic():
        locked = _lock(dossier)
        if not locked.is_editable:
            raise ServiceError("Ce dossier est déjà déposé.", code="not_editable")
        resubmission = locked.status == DossierStatus.CORRECTIONS
        if not resubmission:
            if not campaign_is_open(locked.campaign, today=today):
                raise ServiceError(
                    f"La campagne « {locked.campaign.title} » est fermée depuis le "
                    f"{locked.campaign.closes_on:%d/%m/%Y} : le dossier ne peut plus être déposé.",
                    code="campaign_closed",
                )
            _overdue_check(locked.association, today)
        _complete_check(locked, today)
        if resubmission:
            locked.status = DossierStatus.SUBMITTED
            _version_add(locked)
            request_transition(
                request=locked.request,
                to_status=Status.IN_PROGRESS,
                actor=user,
                message="Dossier corrigé et déposé de nouveau.",
                owner=owner(),
            )
            request_event_record(
                request=locked.request,
                kind=RESUBMITTED,
                actor=user,
                payload={"version": locked.version},
                owner=owner(),
            )
            return locked
        service = Service.objects.get(code=SERVICE_CODE)
        files = _vault_copies(locked.association)
        request = request_submit(
            service=service,
            requester=user,
            data=FilingData(
                description=f"Demande de subvention « {locked.title} » – {locked.association.name} "
                f"({locked.campaign.title}) : {budget_rules.euros(locked.amount_asked)} demandés.",
                answers={
                    "association": locked.association.name,
                    "rna": locked.association.rna,
                    "campagne": locked.campaign.title,
                    "montant_demande": int(locked.amount_asked),
                },
                files=files,
            ),
            notify_template="associations/dossier_submitted",
        )
        locked.request = request
        locked.status = DossierStatus.SUBMITTED
        _version_add(locked)
    return locked


# --- Instruction -------------------------------------------------------------------------------------


def is_instructor(user) -> bool:
    """Instructors: agents of the Vie locale espace (Politiques associatives) and every supervisor, manager
    or administrator (chosen default)."""
    if not (user.is_authenticated and user.is_agent):
        return False
    return user.sees_every_espace or user.espaces.filter(code="vielocale").exists()


def _instructing(dossier: Dossier, *allowed: str) -> Dossier:
    locked = _lock(dossier)
    if locked.status not in allowed:
        raise ServiceError(
            f"Action impossible : le dossier est « {locked.get_status_display()} ».", code="status"
        )
    return locked


def dossier_corrections_ask(*, dossier: Dossier, agent: User, message: str) -> Dossier:
    if not message.strip():
        raise ServiceError(
            "Dites à l'association ce qu'elle doit corriger.", field="message", code="required"
        )
    with transaction.atomic():
        locked = _instructing(dossier, DossierStatus.SUBMITTED, DossierStatus.ADMISSIBLE)
        locked.status = DossierStatus.CORRECTIONS
        locked.save(update_fields=["status", "updated_at"])
        request_transition(
            request=locked.request,
            to_status=Status.AWAITING_CITIZEN,
            actor=agent,
            message=message,
            owner=owner(),
        )
    return locked


def dossier_admissibility(*, dossier: Dossier, agent: User, admissible: bool, message: str = "") -> Dossier:
    with transaction.atomic():
        locked = _instructing(dossier, DossierStatus.SUBMITTED)
        if admissible:
            problems = documents_missing(locked.association, on=timezone.localdate())
            if problems:
                raise ServiceError(
                    "Pièces manquantes ou expirées : " + ", ".join(problems) + ".", code="documents"
                )
            locked.status = DossierStatus.ADMISSIBLE
            locked.save(update_fields=["status", "updated_at"])
            if locked.request.status == Status.NEW:
                request_transition(
                    request=locked.request, to_status=Status.IN_PROGRESS, actor=agent, owner=owner()
                )
            request_event_record(request=locked.request, kind=ADMISSIBLE, actor=agent, owner=owner())
        else:
            if not message.strip():
                raise ServiceError(
                    "Expliquez pourquoi le dossier est irrecevable.", field="message", code="required"
                )
            locked.status = DossierStatus.INADMISSIBLE
            locked.save(update_fields=["status", "updated_at"])
            request_transition(
                request=locked.request, to_status=Status.REJECTED, actor=agent, message=message, owner=owner()
            )
    return locked


def dossier_opinion(*, dossier: Dossier, agent: User, opinion: str, proposed_amount) -> Dossier:
    amount = budget_rules.whole_euros(proposed_amount, field="proposed_amount", label="Montant proposé")
    if not opinion.strip():
        raise ServiceError("Rédigez l'avis de l'instructeur.", field="opinion", code="required")
    with transaction.atomic():
        locked = _instructing(dossier, DossierStatus.ADMISSIBLE)
        locked.opinion = opinion.strip()
        locked.proposed_amount = Decimal(amount)
        locked.save(update_fields=["opinion", "proposed_amount", "updated_at"])
        request_event_record(
            request=locked.request,
            kind=OPINION,
            actor=agent,
            public=False,
            payload={"proposed": amount},
            owner=owner(),
        )
    return locked


def year_total(association: Association, year: int, *, exclude: int | None = None) -> Decimal:
    """The association's subsidies decided for a year (campaign year): cash plus valued in kind."""
    rows = Dossier.objects.filter(association=association, campaign__year=year, status__in=DECIDED)
    if exclude:
        rows = rows.exclude(pk=exclude)
    sums = rows.aggregate(cash=Sum("granted_amount"), in_kind=Sum("granted_in_kind"))
    return (sums["cash"] or Decimal(0)) + (sums["in_kind"] or Decimal(0))


def axis_remaining(axis: Axis, *, exclude: int | None = None) -> Decimal:
    granted = Dossier.objects.filter(axis=axis, status__in=DECIDED)
    if exclude:
        granted = granted.exclude(pk=exclude)
    return axis.envelope - (granted.aggregate(total=Sum("granted_amount"))["total"] or Decimal(0))


class OverEnvelope(ServiceError):
    """The decision exceeds what is left of the axis's envelope: the view asks for an explicit
    confirmation."""


def report_due_on(campaign_year: int) -> datetime.date:
    """Six months after the end of the financial year the grant is spent in (the campaign's calendar year,
    chosen default)."""
    return datetime.date(campaign_year + 1, 6, 30)


def _decide(
    locked: Dossier,
    *,
    agent: User,
    outcome: str,
    amount: int,
    in_kind: int,
    number: str,
    on: datetime.date,
    confirm_over_envelope: bool,
    instalments: bool,
    message: str,
) -> Dossier:
    if outcome not in (DossierStatus.GRANTED, DossierStatus.PARTLY, DossierStatus.REFUSED):
        raise ServiceError("Choisissez la décision.", field="outcome", code="required")
    if not number.strip() or on is None:
        raise ServiceError(
            "Indiquez le numéro et la date de la délibération.", field="deliberation_number", code="required"
        )
    if outcome == DossierStatus.REFUSED:
        amount, in_kind = 0, 0
        if not message.strip():
            raise ServiceError(
                "Motivez le refus : le motif figure dans la lettre.", field="message", code="required"
            )
    elif amount <= 0 and in_kind <= 0:
        raise ServiceError("Indiquez le montant accordé.", field="amount", code="required")
    if outcome != DossierStatus.REFUSED and locked.axis_id and not confirm_over_envelope:
        remaining = axis_remaining(locked.axis, exclude=locked.pk)
        if Decimal(amount) > remaining:
            raise OverEnvelope(
                f"Ce montant ({budget_rules.euros(amount)}) dépasse le reste de l'enveloppe de l'axe "
                f"« {locked.axis.title} » ({budget_rules.euros(remaining)}) : "
                "confirmez pour l'accorder quand même.",
                field="confirm_over_envelope",
                code="over_envelope",
            )
    locked.status = outcome
    locked.granted_amount = Decimal(amount)
    locked.granted_in_kind = Decimal(in_kind)
    locked.deliberation_number = number.strip()
    locked.deliberation_on = on
    locked.decided_at = timezone.now()
    if outcome != DossierStatus.REFUSED:
        total = year_total(locked.association, locked.campaign.year, exclude=locked.pk) + amount + in_kind
        locked.convention_required = total > CONVENTION_THRESHOLD
    locked.save()
    if outcome != DossierStatus.REFUSED:
        if amount > 0:
            if instalments:
                advance = (Decimal(amount) * ADVANCE_SHARE).quantize(Decimal(1))
                Payment.objects.create(
                    dossier=locked, kind=PaymentKind.ADVANCE, amount=advance, planned_on=on
                )
                Payment.objects.create(
                    dossier=locked,
                    kind=PaymentKind.BALANCE,
                    amount=Decimal(amount) - advance,
                    planned_on=report_due_on(locked.campaign.year),
                )
            else:
                Payment.objects.create(dossier=locked, kind=PaymentKind.SINGLE, amount=amount, planned_on=on)
        FinancialReport.objects.create(dossier=locked, due_on=report_due_on(locked.campaign.year))
        # The other grants of the year may now cross the threshold too.
        if locked.convention_required:
            Dossier.objects.filter(
                association=locked.association, campaign__year=locked.campaign.year, status__in=DECIDED
            ).update(convention_required=True)
    text = message.strip() or (
        f"Subvention accordée : {budget_rules.euros(amount)}"
        + (f" et une aide en nature valorisée {budget_rules.euros(in_kind)}" if in_kind else "")
        + f" (délibération n° {locked.deliberation_number} du {on:%d/%m/%Y})."
        + " La lettre de décision est jointe."
    )
    request = locked.request
    if request.status == Status.NEW:
        request_transition(
            request=request, to_status=Status.IN_PROGRESS, actor=agent, public=False, owner=owner()
        )
    request_transition(
        request=request,
        to_status=Status.REJECTED if outcome == DossierStatus.REFUSED else Status.RESOLVED,
        actor=agent,
        message=text,
        notify_template="associations/decision",
        owner=owner(),
    )
    return locked


def _decision_inputs(amount, in_kind) -> tuple[int, int]:
    return (
        budget_rules.whole_euros(amount, field="amount", label="Montant accordé"),
        budget_rules.whole_euros(in_kind, field="in_kind", label="Aide en nature accordée"),
    )


def dossier_decide(
    *,
    dossier: Dossier,
    agent: User,
    outcome: str,
    amount="0",
    in_kind="0",
    deliberation_number: str = "",
    deliberation_on: datetime.date | None = None,
    confirm_over_envelope: bool = False,
    instalments: bool = False,
    message: str = "",
) -> Dossier:
    cash, kind = _decision_inputs(amount, in_kind)
    with transaction.atomic():
        locked = _instructing(dossier, DossierStatus.ADMISSIBLE)
        return _decide(
            locked,
            agent=agent,
            outcome=outcome,
            amount=cash,
            in_kind=kind,
            number=deliberation_number,
            on=deliberation_on,
            confirm_over_envelope=confirm_over_envelope,
            instalments=instalments,
            message=message,
        )


def commission_decide(
    *,
    dossiers: list[Dossier],
    agent: User,
    deliberation_number: str,
    deliberation_on: datetime.date | None,
    confirm_over_envelope: bool = False,
) -> list[Dossier]:
    """The commission grants many dossiers at once, each at its proposed amount (partly when below the amount
    asked, refused at 0). All or nothing: one error leaves every dossier as it was."""
    if not dossiers:
        raise ServiceError("Cochez au moins un dossier.", field="dossiers", code="required")
    decided = []
    with transaction.atomic():
        for dossier in sorted(dossiers, key=lambda item: item.pk):
            locked = _instructing(dossier, DossierStatus.ADMISSIBLE)
            if locked.proposed_amount is None:
                raise ServiceError(
                    f"Le dossier « {locked.title} » n'a pas encore de montant proposé.",
                    field="dossiers",
                    code="no_proposal",
                )
            proposed = int(locked.proposed_amount)
            if proposed == 0:
                outcome = DossierStatus.REFUSED
            elif proposed < locked.amount_asked:
                outcome = DossierStatus.PARTLY
            else:
                outcome = DossierStatus.GRANTED
            decided.append(
                _decide(
                    locked,
                    agent=agent,
                    outcome=outcome,
                    amount=proposed,
                    in_kind=int(locked.in_kind_value) if outcome != DossierStatus.REFUSED else 0,
                    number=deliberation_number,
                    on=deliberation_on,
                    confirm_over_envelope=confirm_over_envelope,
                    instalments=proposed > 5000,
                    message="" if proposed else "La commission n'a pas retenu ce projet.",
                )
            )
    return decided


# --- Payments and the compte-rendu financier -----------------------------------------------------------


def payment_mark_paid(*, payment: Payment, agent: User, on: datetime.date | None = None) -> Payment:
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = Payment.objects.select_for_update().select_related("dossier__request").get(pk=payment.pk)
        if locked.paid_on:
            raise ServiceError("Ce versement est déjà effectué.", code="paid")
        if locked.kind == PaymentKind.BALANCE:
            report = FinancialReport.objects.filter(dossier_id=locked.dossier_id).first()
            if report is None or report.status != ReportStatus.ACCEPTED:
                raise ServiceError(
                    "Le solde est bloqué tant que le compte-rendu financier n'est pas accepté.",
                    code="balance_blocked",
                )
        locked.paid_on = on
        locked.save(update_fields=["paid_on"])
        request_event_record(
            request=locked.dossier.request,
            kind=PAYMENT,
            actor=agent,
            payload={"amount": str(locked.amount), "kind": locked.kind},
            owner=owner(),
        )
    return locked


def report_submit(*, report: FinancialReport, user: User, actual: dict, review: str) -> FinancialReport:
    membership_get(association=report.dossier.association, user=user)
    if report.status not in (ReportStatus.EXPECTED, ReportStatus.MORE):
        raise ServiceError("Ce compte-rendu est déjà déposé.", code="status")
    grid = budget_rules.budget_parse(actual)
    if budget_rules.totals(grid)["charges"] == 0:
        raise ServiceError("Indiquez les charges réalisées.", field="budget", code="empty")
    if not review.strip():
        raise ServiceError("Rédigez le bilan qualitatif de l'action.", field="review", code="required")
    with transaction.atomic():
        report.actual = grid
        report.review = review.strip()
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.save()
        request_event_record(request=report.dossier.request, kind=REPORT_SUBMITTED, actor=user, owner=owner())
    return report


def report_review(*, report: FinancialReport, agent: User, accept: bool, note: str = "") -> FinancialReport:
    if report.status != ReportStatus.SUBMITTED:
        raise ServiceError("Ce compte-rendu n'est pas en attente d'examen.", code="status")
    if not accept and not note.strip():
        raise ServiceError("Précisez les compléments attendus.", field="note", code="required")
    with transaction.atomic():
        report.status = ReportStatus.ACCEPTED if accept else ReportStatus.MORE
        report.staff_note = note.strip()
        report.accepted_at = timezone.now() if accept else None
        report.save()
        request_event_record(
            request=report.dossier.request,
            kind=REPORT_ACCEPTED if accept else REPORT_MORE,
            actor=agent,
            payload={"note": note.strip()},
            notify_template=None if accept else "associations/report_more",
            owner=owner(),
        )
    return report


def report_reminders(*, today: datetime.date | None = None) -> int:
    """Reminders 30 days before the due date and on the date, each claimed once on the report row and
    sent through the request's outbox."""
    today = today or timezone.localdate()
    sent = 0
    for column, day in (("reminded_30_at", today + datetime.timedelta(days=30)), ("reminded_due_at", today)):
        ids = FinancialReport.objects.filter(
            **{f"{column}__isnull": True},
            due_on__lte=day,
            status__in=[ReportStatus.EXPECTED, ReportStatus.MORE],
        ).values_list("pk", flat=True)
        for report_id in list(ids):
            with transaction.atomic():
                if not FinancialReport.objects.filter(pk=report_id, **{f"{column}__isnull": True}).update(
                    **{column: timezone.now()}
                ):
                    continue
                report = FinancialReport.objects.select_related("dossier__request").get(pk=report_id)
                request_event_record(
                    request=report.dossier.request,
                    kind=REPORT_REMINDER,
                    payload={"due_on": report.due_on.isoformat()},
                    notify_template="associations/report_reminder",
                    owner=owner(),
                )
                sent += 1
    return sent


def site_url() -> str:
    return settings.SITE_URL
