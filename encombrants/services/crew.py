"""What the crews record at the kerb (the outcome of each pickup) and the resident's report of a missed
collection."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from encombrants.days import (
    day_display,
)
from encombrants.models import (
    Config,
    Pickup,
    PickupStatus,
)
from encombrants.registration import MISSED, owner
from encombrants.services.booking import _is_closed, _lock, _not_active_error
from encombrants.services.checks import GUICHET_PHONE, LOCATION_NOTE_MAX, MISSED_SERVICE, photo_check
from requests_app.errors import ServiceError
from requests_app.models import Channel, Request, Service, Status
from requests_app.services import (
    FilingData,
    request_event_record,
    request_submit,
    request_transition,
)
from requests_app.workdays import add_working_days

OUTCOME_TEXT = {
    PickupStatus.COLLECTED: "Vos encombrants ont été collectés le {day}. Merci !",
    PickupStatus.PARTLY_COLLECTED: (
        "Vos encombrants ont été collectés en partie le {day}. L'équipe n'a pas pu prendre : {refused}."
    ),
    PickupStatus.NOT_PRESENTED: (
        "L'équipe est passée le {day} mais aucun objet n'était sorti. L'enlèvement compte dans le quota "
        "annuel de votre adresse."
    ),
    PickupStatus.NO_ACCESS: "L'équipe est passée le {day} mais n'a pas pu accéder aux objets.",
}


def pickup_outcome_record(
    *,
    pickup: Pickup,
    agent: User,
    outcome: str,
    refused: dict[int, int] | None = None,
    note: str = "",
    photo: UploadedFile | None = None,
    now: datetime.datetime | None = None,
) -> Pickup:
    """What the crew found: collected, partly collected (which items were refused, a photo), not presented,
    no access. The resident is told through the outbox; every outcome counts in the address's quota."""
    now = now or timezone.now()
    if outcome not in [choice.value for choice in PickupStatus] or outcome in (
        PickupStatus.BOOKED,
        PickupStatus.CANCELLED,
    ):
        raise ServiceError("Choisissez le résultat de l'enlèvement.", field="outcome", code="required")
    note = (note or "").strip()
    if len(note) > LOCATION_NOTE_MAX:
        raise ServiceError(
            f"La remarque fait au plus {LOCATION_NOTE_MAX} caractères.", field="note", code="too_long"
        )
    photo = photo_check(photo)
    refused = {int(k): int(v) for k, v in (refused or {}).items() if v}
    with transaction.atomic():
        locked = _lock(pickup)
        if locked.status != PickupStatus.BOOKED:
            raise _not_active_error(locked)
        if locked.day > timezone.localdate(now):
            raise ServiceError("Cet enlèvement n'a pas encore eu lieu.", code="future")
        lines = {line.pk: line for line in locked.lines.select_related("item")}
        refused_names = []
        if outcome == PickupStatus.PARTLY_COLLECTED:
            if not refused:
                raise ServiceError(
                    "Indiquez les objets que l'équipe n'a pas pris.", field="refused", code="required"
                )
            for line_id, quantity in refused.items():
                line = lines.get(line_id)
                if line is None or not 0 < quantity <= line.quantity:
                    raise ServiceError(
                        "Le nombre d'objets refusés dépasse celui des objets prévus.",
                        field="refused",
                        code="refused",
                    )
                line.refused = quantity
                line.save(update_fields=["refused"])
                refused_names.append(f"{quantity} × {line.item.name}")
        locked.status = outcome
        locked.outcome_at = now
        locked.outcome_by = agent
        locked.outcome_note = note
        if photo is not None:
            locked.outcome_photo.save(photo.name.rsplit("/", 1)[-1][-60:], photo, save=False)
        locked.save()
        text = OUTCOME_TEXT[outcome].format(day=day_display(locked.day), refused=", ".join(refused_names))
        if note:
            text += f" Remarque de l'équipe : {note}"
        if outcome in (PickupStatus.NOT_PRESENTED, PickupStatus.NO_ACCESS):
            text += (
                " Si vos objets étaient bien sortis, signalez-le depuis la page de votre enlèvement dans les "
                f"{config_missed_days()} jours ouvrés."
            )
        if not _is_closed(locked.request):
            closing = (
                Status.RESOLVED
                if outcome in (PickupStatus.COLLECTED, PickupStatus.PARTLY_COLLECTED)
                else Status.REJECTED
            )
            request_transition(
                request=locked.request,
                to_status=closing,
                actor=agent,
                message=text,
                notify_template="encombrants/outcome",
                notify_context={"outcome": outcome, "text": text},
                owner=owner(),
            )
    return locked


def config_missed_days() -> int:
    return Config.current().missed_report_days


def missed_report_deadline(pickup: Pickup, config: Config | None = None) -> datetime.date:
    return add_working_days(pickup.day, (config or Config.current()).missed_report_days)


def missed_report_open(pickup: Pickup, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return (
        pickup.status in (PickupStatus.BOOKED, PickupStatus.NOT_PRESENTED, PickupStatus.NO_ACCESS)
        and pickup.followup_id is None
        and pickup.day <= today <= missed_report_deadline(pickup)
    )


def pickup_missed_report(
    *, pickup: Pickup, actor: User | None = None, details: str = "", now: datetime.datetime | None = None
) -> Request:
    """The resident says the crew did not come, within N working days (2 by default) of the pickup day: a
    follow-up request of the « encombrants non collectés » service, linked to the pickup, lands in the
    agents' queue. Once per pickup."""
    now = now or timezone.now()
    config = Config.current()
    details = (details or "").strip()
    if len(details) > 1000:
        raise ServiceError("Votre message fait au plus 1 000 caractères.", field="details", code="too_long")
    service = config.missed_service or Service.objects.filter(code=MISSED_SERVICE, active=True).first()
    if service is None:
        raise ServiceError(
            f"Le signalement en ligne n'est pas ouvert : appelez le Guichet Unique au {GUICHET_PHONE}.",
            code="no_service",
        )
    with transaction.atomic():
        locked = _lock(pickup)
        if locked.followup_id is not None:
            raise ServiceError(
                "Vous avez déjà signalé cet enlèvement : un agent s'en occupe.", code="already"
            )
        today = timezone.localdate(now)
        if locked.status not in (PickupStatus.BOOKED, PickupStatus.NOT_PRESENTED, PickupStatus.NO_ACCESS):
            raise ServiceError(
                f"Cet enlèvement est « {locked.get_status_display().lower()} » : il ne peut pas être signalé "
                "comme non effectué.",
                code="not_missed",
            )
        if locked.day > today:
            raise ServiceError(
                f"L'enlèvement est prévu le {day_display(locked.day)} : vous pourrez le signaler à partir "
                "de ce jour-là.",
                code="too_early",
            )
        deadline = missed_report_deadline(locked, config)
        if today > deadline:
            raise ServiceError(
                f"Un enlèvement non effectué se signale dans les {config.missed_report_days} jours ouvrés "
                f"(au plus tard le {day_display(deadline)}) : "
                f"contactez le Guichet Unique au {GUICHET_PHONE}.",
                code="too_late",
            )
        original = locked.request
        lines = ", ".join(
            f"{line.quantity} × {line.item.name}" for line in locked.lines.select_related("item")
        )
        followup = request_submit(
            service=service,
            requester=locked.user,
            data=FilingData(
                description=(
                    f"Enlèvement {original.reference} du {day_display(locked.day)} non effectué ({lines})."
                    + (f"\n{details}" if details else "")
                ),
                answers={"enlevement": original.reference, "jour": day_display(locked.day)},
                street=locked.street,
                street_number=locked.street_number,
                contact_name=original.contact_name,
                contact_email=original.contact_email,
                contact_phone=original.contact_phone,
            ),
            channel=Channel.WEB,
            created_by=actor or locked.user,
        )
        locked.followup = followup
        locked.save(update_fields=["followup"])
        request_event_record(
            request=original,
            kind=MISSED,
            actor=actor,
            payload={"followup": followup.reference},
            owner=owner(),
        )
    return followup


# --- Reminders ------------------------------------------------------------------------------------------
