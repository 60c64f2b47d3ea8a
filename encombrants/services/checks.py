"""Checks of what a resident or an agent asks for (address, items, note, photo, day): each raises a
ServiceError on its field, in French, before anything is written."""

import datetime
import re
from dataclasses import dataclass, field

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from encombrants.days import (
    closed_reason,
    closures_between,
    cutoff_display,
    cutoff_for,
    day_display,
    window_last,
)
from encombrants.models import (
    Config,
    Item,
    QuartierSector,
    RefusedItem,
    Sector,
    litres_display,
)
from requests_app.errors import AlreadyTaken, ServiceError
from requests_app.models import Street

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
