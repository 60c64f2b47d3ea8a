"""Booking, amending and cancelling a pickup: the spine request filed or moved with the app's Owner, and
the capacity and the quota taken or given back in the same transaction."""

import datetime
import re
import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from encombrants.days import (
    cutoff_display,
    cutoff_for,
    day_display,
)
from encombrants.models import (
    Config,
    Pickup,
    PickupLine,
    PickupStatus,
)
from encombrants.registration import AMENDED, owner
from encombrants.services.capacity import (
    _capacity_release,
    _capacity_take,
    _full_error,
    _quota_release,
    _quota_take,
    capacity_ensure,
    pickup_service,
    quota_ensure,
)
from encombrants.services.checks import (
    GUICHET_PHONE,
    Basket,
    Contact,
    address_check,
    basket_check,
    day_check,
    note_check,
    photo_check,
)
from requests_app.errors import ServiceError
from requests_app.models import Channel, Request, Status, Street
from requests_app.services import (
    FilingData,
    request_event_record,
    request_submit,
    request_transition,
)


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
