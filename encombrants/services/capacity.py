"""The day's capacity (pickups and litres) and the yearly quota of an address, taken and given back by
conditional UPDATEs on counter rows under CHECK constraints: the database settles races."""

import datetime

from django.db.models import F

from encombrants.days import (
    day_display,
)
from encombrants.models import (
    AddressYear,
    Config,
    DayCapacity,
    Sector,
    litres_display,
)
from encombrants.registration import KIND
from encombrants.services.checks import DayFull
from requests_app.errors import ServiceError
from requests_app.models import Service


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
