"""Writes of the appointments app. A booking is a spine Request (filed by requests_app.services with the
agenda's service) extended by a Booking row; every change of a booking moves the request along the
spine's status machine, which appends the events.

Seats are taken by one conditional UPDATE (`booked = booked + n WHERE booked <= seats - n`) whose row
count decides who won, under a CHECK (booked <= seats): the database, not a check-then-write, makes
double booking impossible. A booking changes under a row lock on itself (cancel and reschedule at once
cannot both release a seat)."""

import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone

from accounts.models import User
from appointments.models import Agenda, Booking, BookingStatus, Motif, Slot
from appointments.registration import REMINDER, owner
from appointments.slots import local, slot_check
from requests_app.errors import AlreadyTaken, ServiceError
from requests_app.models import Channel, Request, Status
from requests_app.services import (
    FilingData,
    request_event_record,
    request_message_post,
    request_requester_notify,
    request_submit,
    request_transition,
)

# The State's pré-demande number: 10 characters, capital letters and digits (e.g. on the ANTS receipt).
ANTS_PATTERN = re.compile(r"^[A-Z0-9]{10}$")
ANTS_EXAMPLE = "A1B2C3D4E5"
# Where residents who are too late to cancel online are sent (000:1547).
GUICHET_PHONE = "03 21 63 00 00"
PACS_MIN_AGE = 18


class SlotTaken(AlreadyTaken):
    """The slot filled up between the moment it was shown and the booking: the view offers the nearest."""

    def __init__(self, message: str, *, starts_at: datetime.datetime, people: int):
        super().__init__(message, field="slot", code="slot_taken")
        self.starts_at = starts_at
        self.people = people


@dataclass
class Contact:
    """Who the booking is for when there is no account (an agent at the counter or on the phone)."""

    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class Partner:
    last_name: str
    first_name: str
    birth_date: datetime.date | None
    email: str = ""
    phone: str = ""

    def as_dict(self) -> dict:
        return {
            "last_name": self.last_name.strip(),
            "first_name": self.first_name.strip(),
            "birth_date": self.birth_date.isoformat() if self.birth_date else "",
            "email": self.email.strip().lower(),
            "phone": self.phone.strip(),
        }


@dataclass
class BookingData:
    people: int = 1
    ants_number: str = ""
    partners: list[Partner] = field(default_factory=list)
    contact: Contact = field(default_factory=Contact)


def when_display(moment: datetime.datetime) -> str:
    """« lundi 30 mars 2026 à 09:00 », in Europe/Paris."""
    moment = local(moment)
    return f"{formats.date_format(moment, 'l j F Y')} à {moment:%H:%M}"


def ants_normalise(value: str) -> str:
    """The ANTS number as the State prints it: spaces and dashes dropped, letters in capitals."""
    cleaned = re.sub(r"[\s-]", "", value or "").upper()
    if not ANTS_PATTERN.match(cleaned):
        raise ServiceError(
            f"Le numéro de pré-demande ANTS compte 10 caractères, lettres et chiffres (par exemple "
            f"{ANTS_EXAMPLE}) : vérifiez le numéro reçu après votre pré-demande en ligne.",
            field="ants_number",
            code="ants_format",
        )
    return cleaned


def _partners_check(partners: list[Partner], *, on: datetime.date) -> list[dict]:
    if len(partners) != 2:
        raise ServiceError("Indiquez l'identité des deux partenaires.", field="partners", code="required")
    result = []
    for number, partner in enumerate(partners, start=1):
        if not partner.last_name.strip() or not partner.first_name.strip() or partner.birth_date is None:
            raise ServiceError(
                f"Indiquez le nom, le prénom et la date de naissance du partenaire {number}.",
                field=f"partner{number}_last_name",
                code="required",
            )
        if not (partner.email.strip() or partner.phone.strip()):
            raise ServiceError(
                f"Indiquez une adresse électronique ou un téléphone du partenaire {number}.",
                field=f"partner{number}_email",
                code="required",
            )
        born = partner.birth_date
        adult_on = (
            born.replace(year=born.year + PACS_MIN_AGE)
            if not (born.month == 2 and born.day == 29)
            else (datetime.date(born.year + PACS_MIN_AGE, 3, 1))
        )
        if adult_on > on:
            raise ServiceError(
                f"Le partenaire {number} doit être majeur à la date du rendez-vous.",
                field=f"partner{number}_birth_date",
                code="minor",
            )
        result.append(partner.as_dict())
    return result


def _data_check(agenda: Agenda, data: BookingData, *, day: datetime.date) -> tuple[str, list[dict]]:
    if not 1 <= data.people <= agenda.max_people:
        raise ServiceError(
            f"Un rendez-vous concerne de 1 à {agenda.max_people} personne(s).", field="people", code="people"
        )
    ants = ants_normalise(data.ants_number) if agenda.ants_required or data.ants_number.strip() else ""
    partners = _partners_check(data.partners, on=day) if agenda.is_pacs else []
    return ants, partners


def slot_ensure(*, agenda: Agenda, starts_at: datetime.datetime, ends_at: datetime.datetime) -> Slot:
    """The seat counter of a slot, created on first use in its own short transaction (committed before
    the booking transaction, so racing bookings all update one committed row). Concurrent creators
    meet on the unique constraint; get_or_create then reads the winner's row."""
    slot, _created = Slot.objects.get_or_create(
        agenda=agenda, starts_at=starts_at, defaults={"ends_at": ends_at, "seats": agenda.seats}
    )
    return slot


def _seats_take(slot: Slot, people: int) -> bool:
    # The race is settled here: the row count of this UPDATE says whether the seats were still free.
    return bool(
        Slot.objects.filter(pk=slot.pk, booked__lte=F("seats") - people).update(booked=F("booked") + people)
    )


def _seats_release(slot_id: int, people: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gte=people).update(booked=F("booked") - people)


def _taken_message(people: int) -> str:
    if people > 1:
        return (
            f"Ce créneau n'a plus {people} places libres : il vient d'être réservé par d'autres personnes. "
            "Choisissez l'un des créneaux libres les plus proches."
        )
    return (
        "Ce créneau vient d'être réservé par quelqu'un d'autre. Choisissez l'un des créneaux libres les "
        "plus proches."
    )


def active_booking_for(*, user: User, motif: str, now: datetime.datetime | None = None) -> Booking | None:
    now = now or timezone.now()
    return (
        Booking.objects.filter(user=user, motif=motif, status=BookingStatus.BOOKED, starts_at__gt=now)
        .select_related("agenda__site", "request")
        .first()
    )


def _already_booked_error(existing: Booking) -> ServiceError:
    return ServiceError(
        f"Vous avez déjà un rendez-vous « {existing.get_motif_display()} » le "
        f"{when_display(existing.starts_at)} ({existing.request.reference}). "
        "Annulez-le ou déplacez-le avant d'en prendre un autre : un seul rendez-vous à venir par motif.",
        code="already_booked",
    )


def booking_create(
    *,
    agenda: Agenda,
    starts_at: datetime.datetime,
    requester: User | None,
    data: BookingData,
    channel: str = Channel.WEB,
    created_by: User | None = None,
    submission_key: uuid.UUID | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book a slot: validate, take the seats (the database decides), file the spine request (which sends
    the confirmation with the convocation and the .ics after commit) and add the Booking row.

    A resident holds at most one future booking per motif. "Future" depends on the clock, which a partial
    unique index cannot express, so the check runs under a row lock on the user: two tabs booking at once
    queue on that lock and the second sees the first's booking."""
    now = now or timezone.now()
    if submission_key is not None:
        existing = Booking.objects.filter(request__submission_key=submission_key).first()
        if existing is not None:
            return existing
    if not agenda.active:
        raise ServiceError("Cet agenda n'est plus ouvert à la réservation.", code="inactive")
    by_agent = channel != Channel.WEB
    slot_start, slot_end = slot_check(agenda, starts_at, now=now, ignore_min_delay=by_agent)
    ants, partners = _data_check(agenda, data, day=slot_start.date())
    if requester is None and not (data.contact.name.strip() and (data.contact.email or data.contact.phone)):
        raise ServiceError(
            "Indiquez le nom de la personne et une adresse électronique ou un téléphone.",
            field="contact_name",
            code="required",
        )
    slot = slot_ensure(agenda=agenda, starts_at=slot_start, ends_at=slot_end)
    when = when_display(slot_start)
    answers = {
        "motif": agenda.get_motif_display(),
        "rendez_vous": when,
        "site": agenda.site.name,
        "personnes": data.people,
    }
    if ants:
        answers["ants"] = ants
    if partners:
        answers["partenaires"] = partners
    filing = FilingData(
        description=f"Rendez-vous « {agenda.get_motif_display()} » le {when} – {agenda.site.name}.",
        answers=answers,
        contact_name=data.contact.name,
        contact_email=data.contact.email,
        contact_phone=data.contact.phone,
    )
    try:
        with transaction.atomic():
            if requester is not None:
                User.objects.select_for_update().filter(pk=requester.pk).first()
                existing = active_booking_for(user=requester, motif=agenda.motif, now=now)
                if existing is not None:
                    raise _already_booked_error(existing)
            if not _seats_take(slot, data.people):
                raise SlotTaken(_taken_message(data.people), starts_at=slot_start, people=data.people)
            request = request_submit(
                service=agenda.service,
                requester=requester,
                data=filing,
                channel=channel,
                site=agenda.site,
                created_by=created_by or requester,
                submission_key=submission_key,
                notify_template="appointments/booking_confirmed",
            )
            return Booking.objects.create(
                request=request,
                agenda=agenda,
                slot=slot,
                starts_at=slot_start,
                motif=agenda.motif,
                user=requester,
                people=data.people,
                ants_number=ants,
                partners=partners,
            )
    except IntegrityError:
        # The same form posted twice at once: the submission key's unique constraint stopped the second.
        if submission_key is not None:
            existing = Booking.objects.filter(request__submission_key=submission_key).first()
            if existing is not None:
                return existing
        raise


def _lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("request", "agenda__site", "user")
        .get(pk=booking.pk)
    )


def cutoff_passed(booking: Booking, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return now >= booking.starts_at - datetime.timedelta(hours=booking.agenda.cancel_cutoff_hours)


def _cutoff_error(booking: Booking) -> ServiceError:
    return ServiceError(
        f"Il est trop tard pour modifier ce rendez-vous en ligne (au plus tard "
        f"{booking.agenda.cancel_cutoff_hours} heures avant) : "
        f"contactez le Guichet Unique au {GUICHET_PHONE}.",
        code="cutoff",
    )


def _not_active_error(booking: Booking) -> ServiceError:
    return ServiceError(
        f"Ce rendez-vous n'est plus actif ({booking.get_status_display().lower()}) : il ne peut plus être "
        "modifié.",
        code="not_active",
    )


def _spine_move(
    request: Request,
    *,
    to_status: str,
    actor: User | None,
    message: str = "",
    public: bool = True,
    as_requester: bool = False,
) -> Request:
    """Move the booking's request on the spine, unless it is already closed. The request is owned by this
    app (registration.py): the spine accepts its status changes only from the holder of the app's `Owner`."""
    if request.status in (Status.RESOLVED, Status.REJECTED, Status.CANCELLED):
        return request
    return request_transition(
        request=request,
        to_status=to_status,
        actor=actor,
        message=message,
        public=public,
        as_requester=as_requester,
        owner=owner(),
    )


def booking_cancel(
    *, booking: Booking, actor: User | None = None, now: datetime.datetime | None = None
) -> Booking:
    """Cancelled by the person (signed link or their account) until the cut-off; the seats are free at
    once. The request is cancelled on the spine."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(booking)
        if locked.status != BookingStatus.BOOKED:
            raise _not_active_error(locked)
        if locked.starts_at <= now:
            raise ServiceError("Ce rendez-vous est passé : il ne peut plus être annulé.", code="past")
        if cutoff_passed(locked, now=now):
            raise _cutoff_error(locked)
        locked.status = BookingStatus.CANCELLED_BY_USER
        locked.status_changed_at = now
        locked.save(update_fields=["status", "status_changed_at"])
        _seats_release(locked.slot_id, locked.people)
        request = locked.request
        if request.status == Status.NEW:
            # The person's own cancellation: no staff response, no generic email, no message needed.
            _spine_move(request, to_status=Status.CANCELLED, actor=actor or locked.user, as_requester=True)
        else:
            # The request was taken up on the spine before (older data): the requester may no longer cancel
            # it there, so the booking's cancellation (its cut-off already checked) is recorded for them.
            _spine_move(
                request,
                to_status=Status.CANCELLED,
                actor=None,
                message=f"Rendez-vous du {when_display(locked.starts_at)} annulé par la personne.",
            )
    return locked


def booking_cancel_by_service(
    *, booking: Booking, agent: User, reason: str, now: datetime.datetime | None = None
) -> Booking:
    """Cancelled by the town (an absent agent, a closure): the person is emailed with the reason and a
    link to book again. On the spine the request is rejected with the reason as the closing message; the
    email is the app's own (with the rebooking link) rather than the spine's generic one."""
    reason = reason.strip()
    if not reason:
        raise ServiceError(
            "Indiquez la raison de l'annulation : elle est envoyée à la personne.",
            field="reason",
            code="required",
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(booking)
        if locked.status != BookingStatus.BOOKED:
            raise _not_active_error(locked)
        locked.status = BookingStatus.CANCELLED_BY_SERVICE
        locked.status_changed_at = now
        locked.save(update_fields=["status", "status_changed_at"])
        _seats_release(locked.slot_id, locked.people)
        request = locked.request
        message = (
            f"Votre rendez-vous du {when_display(locked.starts_at)} est annulé par le service : {reason} "
            "Nous vous prions de nous en excuser ; vous pouvez prendre un nouveau rendez-vous en ligne."
        )
        if request.status not in (Status.RESOLVED, Status.REJECTED, Status.CANCELLED):
            # A public change of status (the resident's timeline shows it) told by the booking's own email,
            # which carries the link to book again.
            request_transition(
                request=request,
                to_status=Status.REJECTED,
                actor=agent,
                message=message,
                notify_template="appointments/booking_cancelled",
                notify_context={"reason": reason},
                owner=owner(),
            )
    return locked


def _agent_mark(booking: Booking, *, agent: User, status: str, now: datetime.datetime | None) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(booking)
        if locked.status != BookingStatus.BOOKED:
            raise _not_active_error(locked)
        if local(locked.starts_at).date() > timezone.localdate(now):
            raise ServiceError("Ce rendez-vous n'a pas encore eu lieu.", code="future")
        locked.status = status
        locked.status_changed_at = now
        locked.save(update_fields=["status", "status_changed_at"])
        when = when_display(locked.starts_at)
        if status == BookingStatus.HONOURED:
            text = (
                f"Votre PACS a été enregistré le {when}. Félicitations !"
                if locked.motif == Motif.PACS
                else f"Vous avez été reçu(e) au Guichet Unique le {when}. Votre dossier est transmis."
            )
            _spine_move(locked.request, to_status=Status.RESOLVED, actor=agent, message=text)
        else:
            text = (
                f"Vous ne vous êtes pas présenté(e) à votre rendez-vous du {when}. Vous pouvez prendre un "
                "nouveau rendez-vous en ligne ou au Guichet Unique."
            )
            _spine_move(locked.request, to_status=Status.REJECTED, actor=agent, message=text)
    return locked


def booking_mark_honoured(*, booking: Booking, agent: User, now: datetime.datetime | None = None) -> Booking:
    return _agent_mark(booking, agent=agent, status=BookingStatus.HONOURED, now=now)


def booking_mark_no_show(*, booking: Booking, agent: User, now: datetime.datetime | None = None) -> Booking:
    """No-show: the seat stays counted (the slot was lost), the request is closed as rejected."""
    return _agent_mark(booking, agent=agent, status=BookingStatus.NO_SHOW, now=now)


def booking_reschedule(
    *,
    booking: Booking,
    starts_at: datetime.datetime,
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Move a booking to another slot of its agenda, until the cut-off: the new seats are taken first (the
    database decides), then the old ones are freed, in one transaction. The move is written in the
    request's thread and a new convocation is emailed."""
    now = now or timezone.now()
    if booking.status != BookingStatus.BOOKED:
        raise _not_active_error(booking)
    if cutoff_passed(booking, now=now):
        raise _cutoff_error(booking)
    agenda = booking.agenda
    slot_start, slot_end = slot_check(agenda, starts_at, now=now)
    if slot_start == booking.starts_at:
        raise ServiceError(
            "C'est déjà l'heure de votre rendez-vous : choisissez un autre créneau.",
            field="slot",
            code="same",
        )
    slot = slot_ensure(agenda=agenda, starts_at=slot_start, ends_at=slot_end)
    with transaction.atomic():
        locked = _lock(booking)
        if locked.status != BookingStatus.BOOKED:
            raise _not_active_error(locked)
        if cutoff_passed(locked, now=now):
            raise _cutoff_error(locked)
        if not _seats_take(slot, locked.people):
            raise SlotTaken(_taken_message(locked.people), starts_at=slot_start, people=locked.people)
        _seats_release(locked.slot_id, locked.people)
        before = locked.starts_at
        locked.slot = slot
        locked.starts_at = slot_start
        locked.reschedule_count += 1
        locked.reminder_sent_at = None
        locked.save(update_fields=["slot", "starts_at", "reschedule_count", "reminder_sent_at"])
        request = locked.request
        message = request_message_post(
            request=request,
            author=actor or locked.user,
            as_requester=True,
            body=f"Rendez-vous déplacé du {when_display(before)} au {when_display(slot_start)}.",
        )
        if request.requester_email:
            request_requester_notify(
                event=message.event, template="appointments/booking_rescheduled", owner=owner()
            )
    return locked


def reminders_due(
    *, now: datetime.datetime | None = None, before: datetime.timedelta | None = None
) -> list[int]:
    """Booked appointments starting within the next 48 hours whose reminder is not sent yet (the partial
    index booking_reminder_due serves this)."""
    now = now or timezone.now()
    before = before or datetime.timedelta(hours=48)
    return list(
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + before,
        )
        .order_by("starts_at")
        .values_list("pk", flat=True)
    )


def booking_remind(*, booking_id: int, now: datetime.datetime | None = None) -> str:
    """Queue one reminder at most, through the spine's outbox: the conditional UPDATE claiming
    reminder_sent_at decides who queues it (two beats at once: one wins), and the event and its outbox row
    are written in the same transaction, so a worker that dies afterwards loses nothing (the outbox sweep
    sends it). Never for a cancelled or past booking."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Booking.objects.filter(
            pk=booking_id, status=BookingStatus.BOOKED, reminder_sent_at__isnull=True, starts_at__gt=now
        ).update(reminder_sent_at=now)
        if not claimed:
            return "skipped"
        booking = Booking.objects.select_related("request__requester").get(pk=booking_id)
        if not booking.request.requester_email:
            return "no_email"
        request_event_record(
            request=booking.request,
            kind=REMINDER,
            payload={"booking": booking.pk, "starts_at": booking.starts_at.isoformat()},
            notify_template="appointments/booking_reminder",
            owner=owner(),
        )
    return "queued"


def agenda_seats_sync(*, agenda: Agenda, now: datetime.datetime | None = None) -> int:
    """After staff change an agenda's seats: future counters follow, never below what is already booked
    (the CHECK constraint would refuse it; those bookings are kept and the agents told in the admin)."""
    now = now or timezone.now()
    updated = 0
    with transaction.atomic():
        for slot in Slot.objects.select_for_update().filter(agenda=agenda, starts_at__gt=now).order_by("pk"):
            seats = max(agenda.seats, slot.booked)
            if seats != slot.seats:
                slot.seats = seats
                slot.save(update_fields=["seats"])
                updated += 1
    return updated
