"""The dossier (CERFA 12156): created, saved as a draft, checked complete, submitted as a spine request,
its versions kept for the correction loop."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from associations import budget as budget_rules
from associations.models import (
    Association,
    Axis,
    Campaign,
    Dossier,
    DossierStatus,
    DossierVersion,
    FinancialReport,
    ReportStatus,
)
from associations.registration import (
    RESUBMITTED,
    SERVICE_CODE,
    owner,
)
from associations.services.campaigns import campaign_is_open
from associations.services.tiers import membership_get
from associations.services.vault import documents_in_force, documents_missing
from requests_app.errors import ServiceError
from requests_app.models import Quartier, Service, Status
from requests_app.services import FilingData, request_event_record, request_submit, request_transition


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
