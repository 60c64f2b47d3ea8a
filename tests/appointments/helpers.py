import datetime

from appointments.services import BookingData, Partner, booking_create

ANTS = "A1B2C3D4E5"


def book(agenda, user, start: datetime.datetime, **kwargs):
    data = kwargs.pop("data", None) or BookingData(
        people=kwargs.pop("people", 1), ants_number=kwargs.pop("ants_number", ANTS)
    )
    return booking_create(agenda=agenda, starts_at=start, requester=user, data=data, **kwargs)


def partners(birth_2=datetime.date(1992, 5, 4)) -> list[Partner]:
    return [
        Partner(
            last_name="Dupont",
            first_name="Jean",
            birth_date=datetime.date(1990, 1, 2),
            email="jean@example.fr",
        ),
        Partner(last_name="Martin", first_name="Claire", birth_date=birth_2, phone="06 12 34 56 78"),
    ]
