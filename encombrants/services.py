"""Writes of the encombrants app. A pickup is a spine Request (filed by requests_app.services with the
encombrants service) extended by a Pickup row and its lines; every change moves the request along the
spine's status machine or records one of this app's events, with the app's `Owner`.

Races are settled by the database:
- the day's capacity (pickups and litres) is taken by one conditional UPDATE on the (day, sector) counter
  row, under two CHECK constraints: its row count says who won the last place or the last m³;
- the yearly quota of an address is taken the same way on its (address, year) row (`used < quota`);
- a pickup changes under a row lock on itself (cancel and amend at once cannot both release its place).
Counter rows are created before the booking transaction, in their own short one, so racing bookings all
update one committed row."""

import datetime
import re
import uuid
from dataclasses import dataclass, field

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts.models import User
from encombrants.days import (
    closed_reason,
    closures_between,
    cutoff_display,
    cutoff_for,
    day_display,
    window_last,
)
from encombrants.models import (
    AddressYear,
    Config,
    DayCapacity,
    Item,
    Pickup,
    PickupLine,
    PickupStatus,
    QuartierSector,
    RefusedItem,
    Sector,
    litres_display,
)
from encombrants.registration import AMENDED, KIND, MISSED, REMINDER, owner
from requests_app.errors import AlreadyTaken, ServiceError
from requests_app.models import Channel, Request, Service, Status, Street
from requests_app.services import (
    FilingData,
    request_event_record,
    request_submit,
    request_transition,
)
from requests_app.workdays import add_working_days

GUICHET_PHONE = "03 21 63 00 00"  # 000:1547
LOCATION_NOTE_MAX = 250
NUMBER_PATTERN = re.compile(r"^(\d{1,4})\s*(BIS|TER|QUATER|[A-Z])?$")
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic"}
MISSED_SERVICE = "encombrants-non-collecte"


class DayFull(AlreadyTaken):
    """The day filled up (places or m³) between the moment it was shown and the booking: back to the days."""

    def __init__(self, message: str, *, day: datetime.date):
        super().__init__(message, field="day", code="day_full")
        self.day = day


@dataclass
class Contact:
    """Who the pickup is for when there is no account (an agent on the phone or at the counter)."""

    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Address:
    street: Street
    number: str
    sector: Sector

    @property
    def key(self) -> str:
        return f"{self.street.pk}:{self.number.replace(' ', '')}"

    @property
    def display(self) -> str:
        return f"{self.number} {self.street.name}"


@dataclass
class Basket:
    """The items of a pickup, checked: [(item, quantity)], their volume and count."""

    lines: list[tuple[Item, int]] = field(default_factory=list)

    @property
    def volume_l(self) -> int:
        return sum(item.unit_volume_l * quantity for item, quantity in self.lines)

    @property
    def count(self) -> int:
        return sum(quantity for _item, quantity in self.lines)

    @property
    def volume_display(self) -> str:
        return litres_display(self.volume_l)


def fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


# --- Checks (no writes) ---------------------------------------------------------------------------------


def address_check(*, street: Street | int | str | None, number: str) -> Address:
    """A street of Béthune (the spine's list) and a number; the sector follows from the street's quartier."""
    if not isinstance(street, Street):
        try:
            street = Street.objects.select_related("quartier").get(pk=int(street)) if street else None
        except (TypeError, ValueError, Street.DoesNotExist):
            street = None
    if street is None:
        raise ServiceError(
            "Cette adresse n'est pas à Béthune : choisissez votre voie dans la liste des voies de la ville.",
            field="street",
            code="outside",
        )
    cleaned = re.sub(r"\s+", " ", (number or "").strip().upper())
    match = NUMBER_PATTERN.match(cleaned)
    if not match:
        raise ServiceError(
            "Indiquez le numéro dans la voie, par exemple 12 ou 12 bis.", field="street_number", code="number"
        )
    number = match.group(1) + (f" {match.group(2)}" if match.group(2) else "")
    link = QuartierSector.objects.select_related("sector").filter(quartier_id=street.quartier_id).first()
    if link is None:
        raise ServiceError(
            f"Cette voie n'est rattachée à aucun secteur de collecte : appelez le Guichet Unique au "
            f"{GUICHET_PHONE}.",
            field="street",
            code="no_sector",
        )
    return Address(street=street, number=number, sector=link.sector)


def refused_for(text: str) -> RefusedItem | None:
    """The refused item a free text names ("pneus de voiture" → Pneus), by its keywords or its name."""
    words = set(re.findall(r"[a-z0-9]+", fold(text)))
    folded = fold(text)
    for refused in RefusedItem.objects.all():
        keys = {fold(k) for k in refused.keywords.split()} | {fold(refused.code)}
        if words & keys or fold(refused.name) in folded:
            return refused
    return None


def _refused_error(refused: RefusedItem, *, field: str) -> ServiceError:
    advice = f" {refused.advice}" if refused.advice else ""
    return ServiceError(
        f"« {refused.name} » ne sont pas collectés avec les encombrants : apportez-les en "
        f"{refused.destination}.{advice}",
        field=field,
        code="refused",
    )


def basket_check(*, quantities: dict[str, int], other: str = "", config: Config | None = None) -> Basket:
    """The items asked: each from the catalogue, within its maximum, and the whole within the per-pickup
    limits. A refused item (by its code, or named in « autre objet ») is refused with where to take it."""
    config = config or Config.current()
    other = (other or "").strip()
    if other:
        refused = refused_for(other)
        if refused is not None:
            raise _refused_error(refused, field="other")
        raise ServiceError(
            f"« {other[:60]} » n'est pas dans la liste des objets collectés : choisissez l'objet le plus "
            f"proche dans la liste, ou appelez le Guichet Unique au {GUICHET_PHONE}.",
            field="other",
            code="unknown_item",
        )
    wanted = {code: quantity for code, quantity in quantities.items() if quantity}
    catalogue = {item.code: item for item in Item.objects.filter(code__in=wanted, active=True)}
    basket = Basket()
    for code, quantity in wanted.items():
        item = catalogue.get(code)
        if item is None:
            refused = RefusedItem.objects.filter(code=code).first()
            if refused is not None:
                raise _refused_error(refused, field="items")
            raise ServiceError(
                "Un objet demandé n'est plus proposé : choisissez dans la liste.",
                field="items",
                code="unknown",
            )
        if not isinstance(quantity, int) or quantity < 0:
            raise ServiceError(
                f"Indiquez un nombre de « {item.name} » (0 ou plus).", field=f"item_{code}", code="quantity"
            )
        if quantity > item.max_per_pickup:
            raise ServiceError(
                f"Au plus {item.max_per_pickup} « {item.name} » par enlèvement "
                f"(vous en indiquez {quantity}).",
                field=f"item_{code}",
                code="item_max",
            )
        basket.lines.append((item, quantity))
    basket.lines.sort(key=lambda line: (line[0].order, line[0].name))
    if not basket.lines:
        raise ServiceError("Indiquez au moins un objet à enlever.", field="items", code="required")
    if basket.count > config.max_items:
        raise ServiceError(
            f"Un enlèvement compte au plus {config.max_items} objets (vous en indiquez {basket.count}) : "
            "réservez un autre jour pour le reste.",
            field="items",
            code="too_many_items",
        )
    if basket.volume_l > config.max_volume_l:
        raise ServiceError(
            f"Un enlèvement fait au plus {litres_display(config.max_volume_l)} (vos objets font "
            f"{basket.volume_display}) : réservez un autre jour pour le reste.",
            field="items",
            code="too_much_volume",
        )
    return basket


def note_check(note: str) -> str:
    note = (note or "").strip()
    if len(note) > LOCATION_NOTE_MAX:
        raise ServiceError(
            f"Indiquez où seront les objets en {LOCATION_NOTE_MAX} caractères au plus (vous en avez écrit "
            f"{len(note)}).",
            field="location_note",
            code="too_long",
        )
    return note


def photo_check(photo: UploadedFile | None, *, field: str = "photo") -> UploadedFile | None:
    """A photo judged by its content (like the spine's uploads), not its name: a PDF or a renamed file is
    refused. Size and name are checked again by the spine when it stores the file."""
    if photo is None:
        return None
    name = (photo.name or "photo").rsplit("/", 1)[-1][:200]
    if photo.size > settings.PORTAL_MAX_UPLOAD_BYTES:
        raise ServiceError(
            f"« {name} » pèse {filesizeformat(photo.size)} : la taille maximale est de "
            f"{filesizeformat(settings.PORTAL_MAX_UPLOAD_BYTES)}.",
            field=field,
            code="too_big",
        )
    head = photo.read(8192)
    photo.seek(0)
    kind = filetype.guess(head) if head else None
    if kind is None or kind.mime not in PHOTO_TYPES:
        raise ServiceError(
            f"« {name} » n'est pas une photo : choisissez une image JPEG, PNG, WebP, GIF ou HEIC.",
            field=field,
            code="not_image",
        )
    return photo


def day_check(
    *, day: datetime.date | None, sector: Sector, now: datetime.datetime, config: Config
) -> datetime.date:
    """A collection day of the sector, after the cut-off and within the window (capacity aside)."""
    if day is None:
        raise ServiceError("Choisissez un jour d'enlèvement.", field="day", code="required")
    today = timezone.localdate(now)
    if day <= today:
        raise ServiceError("Ce jour est passé : choisissez un jour à venir.", field="day", code="past")
    last = window_last(config, today)
    if day > last:
        raise ServiceError(
            f"Les enlèvements se réservent au plus {config.window_days // 7} semaines à l'avance : "
            f"choisissez un jour jusqu'au {day_display(last)}.",
            field="day",
            code="beyond_window",
        )
    reason = closed_reason(day, closures_between(sector, day, day))
    if reason:
        raise ServiceError(
            f"{day_display(day).capitalize()} : {reason[0].lower()}{reason[1:]} Choisissez un autre jour.",
            field="day",
            code="closed",
        )
    cutoff = cutoff_for(day, config)
    if now >= cutoff:
        raise ServiceError(
            f"Il est trop tard pour le {day_display(day)} : on réserve au plus tard le "
            f"{cutoff_display(cutoff)}. Choisissez un autre jour.",
            field="day",
            code="cutoff",
        )
    return day


def pickup_service(config: Config) -> Service:
    service = config.service or Service.objects.filter(kind=KIND, active=True).order_by("pk").first()
    if service is None:
        raise ServiceError("Le service des encombrants n'est pas ouvert.", code="no_service")
    return service


# --- Counters -------------------------------------------------------------------------------------------


def capacity_ensure(*, sector: Sector, day: datetime.date, config: Config) -> DayCapacity:
    """The counter of a day, created on first use with the configured capacity. Concurrent creators meet
    on the unique constraint; get_or_create then reads the winner's row."""
    row, _created = DayCapacity.objects.get_or_create(
        sector=sector,
        day=day,
        defaults={"pickups_max": config.pickups_per_day, "volume_max": config.volume_per_day_l},
    )
    return row


def _capacity_take(row_id: int, *, pickups: int, volume_l: int) -> bool:
    # The race is settled here: the row count of this UPDATE says whether the place and m³ were still free.
    return bool(
        DayCapacity.objects.filter(
            pk=row_id,
            pickups_booked__lte=F("pickups_max") - pickups,
            volume_booked__lte=F("volume_max") - volume_l,
        ).update(pickups_booked=F("pickups_booked") + pickups, volume_booked=F("volume_booked") + volume_l)
    )


def _capacity_release(row_id: int, *, pickups: int, volume_l: int) -> None:
    DayCapacity.objects.filter(pk=row_id).update(
        pickups_booked=F("pickups_booked") - pickups, volume_booked=F("volume_booked") - volume_l
    )


def _full_error(row_id: int, *, volume_l: int) -> DayFull:
    row = DayCapacity.objects.get(pk=row_id)
    if row.pickups_booked >= row.pickups_max:
        message = (
            f"Le {day_display(row.day)} vient d'être complet : plus aucun enlèvement possible ce jour. "
            "Choisissez un autre jour."
        )
    else:
        left = max(row.volume_max - row.volume_booked, 0)
        message = (
            f"Le {day_display(row.day)} n'a plus assez de place : il reste {litres_display(left)}, "
            f"vos objets font {litres_display(volume_l)}. Choisissez un autre jour."
        )
    return DayFull(message, day=row.day)


def quota_ensure(*, address_key: str, year: int) -> AddressYear:
    row, _created = AddressYear.objects.get_or_create(address_key=address_key, year=year)
    return row


def _quota_take(row: AddressYear, *, quota: int) -> None:
    # Two bookings for one address when one pickup remains: this UPDATE lets one through.
    if AddressYear.objects.filter(pk=row.pk, used__lt=quota).update(used=F("used") + 1):
        return
    raise ServiceError(
        f"Cette adresse a déjà {quota} enlèvements en {row.year} (au plus {quota} par an) : une nouvelle "
        f"réservation sera possible pour un enlèvement à partir du 1er janvier {row.year + 1}.",
        field="street",
        code="quota",
    )


def _quota_release(address_key: str, year: int) -> None:
    AddressYear.objects.filter(address_key=address_key, year=year, used__gt=0).update(used=F("used") - 1)


# --- Booking --------------------------------------------------------------------------------------------


def _number_sort(number: str) -> int:
    digits = re.match(r"\d+", number)
    return int(digits.group()) if digits else 0


def _lines_create(pickup: Pickup, basket: Basket) -> None:
    PickupLine.objects.bulk_create(
        [
            PickupLine(pickup=pickup, item=item, quantity=quantity, unit_volume_l=item.unit_volume_l)
            for item, quantity in basket.lines
        ]
    )


def _items_text(basket: Basket) -> str:
    return ", ".join(f"{quantity} × {item.name}" for item, quantity in basket.lines)


def pickup_book(
    *,
    requester: User | None,
    street: Street | int | str | None,
    street_number: str,
    quantities: dict[str, int],
    day: datetime.date | None,
    other: str = "",
    location_note: str = "",
    photo: UploadedFile | None = None,
    contact: Contact | None = None,
    channel: str = Channel.WEB,
    created_by: User | None = None,
    submission_key: uuid.UUID | None = None,
    now: datetime.datetime | None = None,
) -> Pickup:
    """Book a pickup: check everything, take the address's yearly quota and the day's place and m³ (the
    database decides), file the spine request (the confirmation email with its PDF and .ics goes out
    after commit), then add the Pickup and its lines. Nothing is written when anything is refused."""
    now = now or timezone.now()
    if submission_key is not None:
        existing = Pickup.objects.filter(request__submission_key=submission_key).first()
        if existing is not None:
            return existing
    config = Config.current()
    service = pickup_service(config)
    address = address_check(street=street, number=street_number)
    basket = basket_check(quantities=quantities, other=other, config=config)
    note = note_check(location_note)
    photo = photo_check(photo)
    day = day_check(day=day, sector=address.sector, now=now, config=config)
    contact = contact or Contact()
    if requester is None and not (contact.name.strip() and (contact.email.strip() or contact.phone.strip())):
        raise ServiceError(
            "Indiquez le nom de la personne et une adresse électronique ou un téléphone.",
            field="contact_name",
            code="required",
        )
    capacity = capacity_ensure(sector=address.sector, day=day, config=config)
    quota = quota_ensure(address_key=address.key, year=day.year)
    answers = {
        "jour": day_display(day),
        "secteur": address.sector.name,
        "objets": _items_text(basket),
        "volume": basket.volume_display,
    }
    if note:
        answers["emplacement"] = note
    filing = FilingData(
        description=f"Enlèvement d'encombrants le {day_display(day)} : {_items_text(basket)}.",
        answers=answers,
        street=address.street,
        street_number=address.number,
        contact_name=contact.name,
        contact_email=contact.email,
        contact_phone=contact.phone,
        files=[photo] if photo is not None else [],
    )
    try:
        with transaction.atomic():
            _quota_take(quota, quota=config.yearly_quota)
            if not _capacity_take(capacity.pk, pickups=1, volume_l=basket.volume_l):
                raise _full_error(capacity.pk, volume_l=basket.volume_l)
            try:
                request = request_submit(
                    service=service,
                    requester=requester,
                    data=filing,
                    channel=channel,
                    created_by=created_by or requester,
                    submission_key=submission_key,
                    notify_template="encombrants/confirmed",
                )
            except ServiceError as exc:
                if exc.field == "files":
                    exc.field = "photo"
                raise
            pickup = Pickup.objects.create(
                request=request,
                user=requester,
                day=day,
                sector=address.sector,
                capacity=capacity,
                street=address.street,
                street_number=address.number,
                address_key=address.key,
                street_sort=address.street.search_key,
                number_sort=_number_sort(address.number),
                location_note=note,
                volume_l=basket.volume_l,
                items_count=basket.count,
            )
            _lines_create(pickup, basket)
            return pickup
    except IntegrityError:
        # The same form posted twice at once: the submission key's unique constraint stopped the second.
        if submission_key is not None:
            existing = Pickup.objects.filter(request__submission_key=submission_key).first()
            if existing is not None:
                return existing
        raise


# --- Changes --------------------------------------------------------------------------------------------


def _lock(pickup: Pickup) -> Pickup:
    return (
        Pickup.objects.select_for_update(of=("self",))
        .select_related("request", "street", "sector", "user")
        .get(pk=pickup.pk)
    )


def cutoff_passed(
    pickup: Pickup, *, now: datetime.datetime | None = None, config: Config | None = None
) -> bool:
    now = now or timezone.now()
    return now >= cutoff_for(pickup.day, config or Config.current())


def _not_active_error(pickup: Pickup) -> ServiceError:
    return ServiceError(
        f"Cet enlèvement n'est plus prévu ({pickup.get_status_display().lower()}) : il ne peut plus être "
        "modifié.",
        code="not_active",
    )


def _cutoff_error(pickup: Pickup, config: Config) -> ServiceError:
    return ServiceError(
        f"Il est trop tard pour modifier ou annuler cet enlèvement en ligne (au plus tard le "
        f"{cutoff_display(cutoff_for(pickup.day, config))}) : "
        f"contactez le Guichet Unique au {GUICHET_PHONE}.",
        code="cutoff",
    )


def _is_closed(request: Request) -> bool:
    return request.status in (Status.RESOLVED, Status.REJECTED, Status.CANCELLED)


def pickup_amend(
    *,
    pickup: Pickup,
    quantities: dict[str, int],
    day: datetime.date | None = None,
    other: str = "",
    location_note: str | None = None,
    actor: User | None = None,
    channel: str = Channel.WEB,
    now: datetime.datetime | None = None,
) -> Pickup:
    """Change the items or the day until the cut-off. On the same day the pickup keeps its place (only the
    difference in m³ is taken or given back); on another day the new place is taken first, then the old
    one freed, in one transaction. The resident gets a new confirmation."""
    now = now or timezone.now()
    config = Config.current()
    if pickup.status != PickupStatus.BOOKED:
        raise _not_active_error(pickup)
    if cutoff_passed(pickup, now=now, config=config):
        raise _cutoff_error(pickup, config)
    basket = basket_check(quantities=quantities, other=other, config=config)
    note = note_check(location_note) if location_note is not None else None
    new_day = day or pickup.day
    moving = new_day != pickup.day
    if moving:
        day_check(day=new_day, sector=pickup.sector, now=now, config=config)
        capacity = capacity_ensure(sector=pickup.sector, day=new_day, config=config)
        if new_day.year != pickup.day.year:
            quota = quota_ensure(address_key=pickup.address_key, year=new_day.year)
    with transaction.atomic():
        locked = _lock(pickup)
        if locked.status != PickupStatus.BOOKED:
            raise _not_active_error(locked)
        if cutoff_passed(locked, now=now, config=config):
            raise _cutoff_error(locked, config)
        before_day, before_volume = locked.day, locked.volume_l
        if moving:
            if new_day.year != before_day.year:
                _quota_take(quota, quota=config.yearly_quota)
                _quota_release(locked.address_key, before_day.year)
            if not _capacity_take(capacity.pk, pickups=1, volume_l=basket.volume_l):
                raise _full_error(capacity.pk, volume_l=basket.volume_l)
            _capacity_release(locked.capacity_id, pickups=1, volume_l=before_volume)
            locked.capacity = capacity
            locked.day = new_day
            locked.reminder3_sent_at = locked.reminder1_sent_at = None
        else:
            delta = basket.volume_l - before_volume
            if delta > 0 and not _capacity_take(locked.capacity_id, pickups=0, volume_l=delta):
                raise _full_error(locked.capacity_id, volume_l=basket.volume_l)
            if delta < 0:
                _capacity_release(locked.capacity_id, pickups=0, volume_l=-delta)
        locked.volume_l = basket.volume_l
        locked.items_count = basket.count
        if note is not None:
            locked.location_note = note
        locked.amend_count += 1
        locked.save()
        locked.lines.all().delete()
        _lines_create(locked, basket)
        request_event_record(
            request=locked.request,
            kind=AMENDED,
            actor=actor,
            payload={
                "channel": channel,
                "day_before": before_day.isoformat(),
                "day": new_day.isoformat(),
                "items": _items_text(basket),
                "volume": basket.volume_display,
            },
            notify_template="encombrants/amended",
            owner=owner(),
        )
    return locked


def pickup_cancel(
    *,
    pickup: Pickup,
    actor: User | None = None,
    by_agent: bool = False,
    channel: str = Channel.WEB,
    now: datetime.datetime | None = None,
) -> Pickup:
    """Cancelled by the resident until the cut-off (an agent on their behalf until the day before): the
    place, the m³ and the quota are given back at once; the request is cancelled on the spine."""
    now = now or timezone.now()
    config = Config.current()
    with transaction.atomic():
        locked = _lock(pickup)
        if locked.status != PickupStatus.BOOKED:
            raise _not_active_error(locked)
        if locked.day <= timezone.localdate(now):
            raise ServiceError(
                "Cet enlèvement a lieu aujourd'hui ou est passé : il ne peut plus être annulé.", code="past"
            )
        if not by_agent and cutoff_passed(locked, now=now, config=config):
            raise _cutoff_error(locked, config)
        locked.status = PickupStatus.CANCELLED
        locked.save(update_fields=["status"])
        _capacity_release(locked.capacity_id, pickups=1, volume_l=locked.volume_l)
        _quota_release(locked.address_key, locked.day.year)
        request = locked.request
        if _is_closed(request):
            return locked
        text = f"Enlèvement du {day_display(locked.day)} annulé"
        if by_agent:
            request_transition(
                request=request,
                to_status=Status.CANCELLED,
                actor=actor,
                message=f"{text} à votre demande ({Channel(channel).label.lower()}).",
                owner=owner(),
            )
        elif request.status == Status.NEW:
            request_transition(
                request=request,
                to_status=Status.CANCELLED,
                actor=actor or locked.user,
                as_requester=True,
                owner=owner(),
            )
        else:
            request_transition(
                request=request,
                to_status=Status.CANCELLED,
                actor=None,
                message=f"{text} par la personne.",
                owner=owner(),
            )
    return locked


# --- Crews ----------------------------------------------------------------------------------------------

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


def reminders_due(*, now: datetime.datetime | None = None) -> list[tuple[int, int]]:
    """(pickup id, days before) of the reminders to queue now: 3 days before (when the pickup is 2 or 3 days
    away) and 1 day before (the day before). Only booked pickups (never a cancelled one)."""
    today = timezone.localdate(now or timezone.now())
    rows = Pickup.objects.filter(
        status=PickupStatus.BOOKED, day__gt=today, day__lte=today + datetime.timedelta(days=3)
    ).values_list("pk", "day", "reminder3_sent_at", "reminder1_sent_at")
    due = []
    for pk, day, sent3, sent1 in rows.order_by("day", "pk"):
        days = (day - today).days
        if days == 1 and sent1 is None:
            due.append((pk, 1))
        elif days > 1 and sent3 is None:
            due.append((pk, 3))
    return due


def pickup_remind(*, pickup_id: int, days: int, now: datetime.datetime | None = None) -> str:
    """Queue one reminder at most, through the spine's outbox: the conditional UPDATE claiming the reminder
    column decides who queues it (two beats at once: one wins); the event and its outbox row are written
    in the same transaction. Never for a cancelled or past pickup."""
    now = now or timezone.now()
    column = "reminder1_sent_at" if days == 1 else "reminder3_sent_at"
    with transaction.atomic():
        claimed = Pickup.objects.filter(
            pk=pickup_id,
            status=PickupStatus.BOOKED,
            day__gt=timezone.localdate(now),
            **{f"{column}__isnull": True},
        ).update(**{column: now})
        if not claimed:
            return "skipped"
        pickup = Pickup.objects.select_related("request__requester").get(pk=pickup_id)
        if not pickup.request.requester_email:
            return "no_email"
        request_event_record(
            request=pickup.request,
            kind=REMINDER,
            payload={"pickup": pickup.pk, "day": pickup.day.isoformat(), "days": days},
            notify_template="encombrants/reminder",
            notify_context={"days": days},
            owner=owner(),
        )
    return "queued"
