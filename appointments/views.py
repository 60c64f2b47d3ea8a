"""Pages of the appointments app: the resident's booking steps (motif → site → day → slot → details),
the cancel/move pages reached by the signed link, and the agents' day view. Views call selectors and
services only; every page works without JavaScript."""

import datetime
from functools import wraps

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import agent_required
from accounts.models import User
from appointments import selectors
from appointments.documents import day_sheet_pdf
from appointments.forms import AgentBookingForm, BookingDetailsForm, CancelByServiceForm, SlotForm
from appointments.links import booking_from_token, manage_path
from appointments.models import Agenda, Booking, Motif
from appointments.services import (
    GUICHET_PHONE,
    Contact,
    SlotTaken,
    active_booking_for,
    booking_cancel,
    booking_cancel_by_service,
    booking_create,
    booking_mark_honoured,
    booking_mark_no_show,
    booking_reschedule,
    cutoff_passed,
    when_display,
)
from appointments.slots import (
    day_slots,
    local,
    month_calendar,
    nearest_free,
    parse_day,
    parse_slot,
    window,
)
from requests_app.errors import ServiceError
from requests_app.models import Channel

# (shown, read out) for the calendar's column headers, Monday first.
WEEKDAYS = [
    ("lun.", "lundi"),
    ("mar.", "mardi"),
    ("mer.", "mercredi"),
    ("jeu.", "jeudi"),
    ("ven.", "vendredi"),
    ("sam.", "samedi"),
    ("dim.", "dimanche"),
]


def verified_login_required(view):
    """Booking needs an account whose email address is verified: the convocation is sent there."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not EmailAddress.objects.filter(
            user=request.user, email__iexact=request.user.email, verified=True
        ).exists():
            messages.error(
                request, _("Confirmez d'abord votre adresse électronique : la convocation y sera envoyée.")
            )
            return redirect("account_email")
        return view(request, *args, **kwargs)

    return wrapper


def _motif(value: str) -> Motif:
    try:
        return Motif(value)
    except ValueError:
        raise Http404 from None


def _day(value: str) -> datetime.date:
    """The day in a page's URL; malformed or out of range (slots.INPUT_RANGE) is a 404."""
    day = parse_day(value)
    if day is None:
        raise Http404
    return day


def _month(value: str | None, *, first: datetime.date, last: datetime.date) -> datetime.date:
    """The month asked (?mois=2026-03), kept within the booking window; a malformed one is the first."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        asked = datetime.date(year, month, 1)
    except (ValueError, OverflowError):
        asked = first.replace(day=1)
    return min(max(asked, first.replace(day=1)), last.replace(day=1))


def _shift(month: datetime.date, by: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + by
    return datetime.date(index // 12, index % 12 + 1, 1)


def _calendar_context(agenda: Agenda, month_value: str | None, day_url) -> dict:
    now = timezone.now()
    earliest, last_day = window(agenda, now)
    month = _month(month_value, first=local(earliest).date(), last=last_day)
    weeks = month_calendar(agenda, month.year, month.month, now=now)
    previous = _shift(month, -1)
    following = _shift(month, 1)
    return {
        "agenda": agenda,
        "month": month,
        "weeks": [[(cell, day_url(cell.day) if cell.available else "") for cell in week] for week in weeks],
        "weekdays": WEEKDAYS,
        "previous_month": previous if previous >= local(earliest).date().replace(day=1) else None,
        "next_month": following if following <= last_day else None,
        "any_free": any(cell.available for week in weeks for cell in week),
        "last_day": last_day,
    }


# --- Resident booking ---------------------------------------------------------------------------------


def home(request):
    upcoming = selectors.bookings_upcoming_for_user(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "appointments/home.html",
        {
            "motifs": selectors.motifs_available(),
            "upcoming": upcoming,
        },
    )


@verified_login_required
def sites(request, motif: str):
    motif = _motif(motif)
    agendas = list(selectors.agendas_for_motif(motif))
    if not agendas:
        raise Http404
    existing = active_booking_for(user=request.user, motif=motif)
    return render(
        request, "appointments/sites.html", {"motif": motif, "agendas": agendas, "existing": existing}
    )


@verified_login_required
def month(request, motif: str, site: str):
    agenda = selectors.agenda_get(motif=_motif(motif), site_code=site)
    context = _calendar_context(
        agenda,
        request.GET.get("mois"),
        lambda day: reverse("appointments:day", args=[motif, site, day.isoformat()]),
    )
    context["month_url"] = reverse("appointments:month", args=[motif, site])
    return render(request, "appointments/month.html", context)


@verified_login_required
def day(request, motif: str, site: str, date: str):
    agenda = selectors.agenda_get(motif=_motif(motif), site_code=site)
    the_day = _day(date)
    slots = day_slots(agenda, the_day)
    form = SlotForm(slots=slots)
    return render(
        request,
        "appointments/day.html",
        {
            "agenda": agenda,
            "day": the_day,
            "form": form,
            "has_slots": bool(form.fields["creneau"].choices),
            "action": reverse("appointments:details", args=[motif, site]),
            "back_url": reverse("appointments:month", args=[motif, site]) + f"?mois={the_day:%Y-%m}",
        },
    )


def _nearest_links(agenda: Agenda, around: datetime.datetime, people: int, url) -> list[tuple[str, str]]:
    return [(when_display(view.starts_at), url(view)) for view in nearest_free(agenda, around, people=people)]


@verified_login_required
def details(request, motif: str, site: str):
    agenda = selectors.agenda_get(motif=_motif(motif), site_code=site)
    data = request.POST if request.method == "POST" else None
    form = BookingDetailsForm(data, agenda=agenda, initial={"creneau": request.GET.get("creneau", "")})
    starts_at = parse_slot(request.POST.get("creneau") if data else request.GET.get("creneau", ""))
    if starts_at is None:
        messages.error(request, _("Choisissez d'abord un jour puis un créneau."))
        return redirect("appointments:month", motif, site)
    nearest: list[tuple[str, str]] = []
    error = ""
    if data is not None and form.is_valid():
        try:
            booking = booking_create(
                agenda=agenda,
                starts_at=starts_at,
                requester=request.user,
                data=form.booking_data(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except SlotTaken as exc:
            error = exc.message
            nearest = _nearest_links(
                agenda,
                exc.starts_at,
                exc.people,
                lambda view: reverse("appointments:details", args=[motif, site]) + f"?creneau={view.value}",
            )
        except ServiceError as exc:
            if exc.field and exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                error = exc.message
        else:
            return redirect("appointments:confirmation", booking.request.reference)
    status = 400 if data is not None else 200
    return render(
        request,
        "appointments/details.html",
        {
            "agenda": agenda,
            "form": form,
            "when": when_display(starts_at),
            "error": error,
            "nearest": nearest,
            "back_url": reverse("appointments:day", args=[motif, site, local(starts_at).date().isoformat()]),
        },
        status=status,
    )


@verified_login_required
def confirmation(request, reference: str):
    booking = selectors.booking_get_for_user(user=request.user, reference=reference)
    return render(
        request,
        "appointments/confirmation.html",
        {
            "booking": booking,
            "when": when_display(booking.starts_at),
            "manage_url": manage_path(booking),
            "documents": booking.agenda.document_list(),
        },
    )


# --- Cancel and move through the signed link (no login) ---------------------------------------------------


def _booking_from_link(request, token: str) -> Booking | HttpResponse:
    result = booking_from_token(token)
    if result.expired:
        return render(request, "appointments/link_invalid.html", {"phone": GUICHET_PHONE}, status=410)
    if result.booking is None:
        raise Http404
    return result.booking


def _manage_context(booking: Booking, token: str, **extra) -> dict:
    return {
        "booking": booking,
        "token": token,
        "when": when_display(booking.starts_at),
        "too_late": cutoff_passed(booking),
        "phone": GUICHET_PHONE,
        "documents": booking.agenda.document_list(),
        **extra,
    }


def manage(request, token: str):
    booking = _booking_from_link(request, token)
    if isinstance(booking, HttpResponse):
        return booking
    return render(request, "appointments/manage.html", _manage_context(booking, token))


@require_POST
def manage_cancel(request, token: str):
    booking = _booking_from_link(request, token)
    if isinstance(booking, HttpResponse):
        return booking
    try:
        booking = booking_cancel(booking=booking)
    except ServiceError as exc:
        return render(
            request,
            "appointments/manage.html",
            _manage_context(booking, token, error=exc.message),
            status=400,
        )
    return render(
        request,
        "appointments/cancelled.html",
        {
            "booking": booking,
            "when": when_display(booking.starts_at),
            "rebook_url": reverse("appointments:sites", args=[booking.motif]),
        },
    )


def move_month(request, token: str):
    booking = _booking_from_link(request, token)
    if isinstance(booking, HttpResponse):
        return booking
    if not booking.is_active or cutoff_passed(booking):
        return redirect("appointments:manage", token)
    context = _calendar_context(
        booking.agenda,
        request.GET.get("mois"),
        lambda day: reverse("appointments:move_day", args=[token, day.isoformat()]),
    )
    context.update(
        booking=booking,
        token=token,
        when=when_display(booking.starts_at),
        month_url=reverse("appointments:move_month", args=[token]),
    )
    return render(request, "appointments/month.html", context)


def move_day(request, token: str, date: str):
    booking = _booking_from_link(request, token)
    if isinstance(booking, HttpResponse):
        return booking
    if not booking.is_active or cutoff_passed(booking):
        return redirect("appointments:manage", token)
    the_day = _day(date)
    slots = [view for view in day_slots(booking.agenda, the_day) if view.free >= booking.people]
    error, nearest = "", []
    form = SlotForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            booking_reschedule(booking=booking, starts_at=parse_slot(form.cleaned_data["creneau"]))
        except SlotTaken as exc:
            error = exc.message
            nearest = [
                (
                    when_display(view.starts_at),
                    reverse("appointments:move_day", args=[token, local(view.starts_at).date().isoformat()]),
                )
                for view in nearest_free(booking.agenda, exc.starts_at, people=exc.people)
            ]
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("Votre rendez-vous est déplacé : une nouvelle convocation vous est envoyée par courriel."),
            )
            return redirect("appointments:manage", token)
    return render(
        request,
        "appointments/day.html",
        {
            "agenda": booking.agenda,
            "day": the_day,
            "form": form,
            "has_slots": bool(form.fields["creneau"].choices),
            "booking": booking,
            "when": when_display(booking.starts_at),
            "action": "",
            "method": "post",
            "error": error,
            "nearest": nearest,
            "back_url": reverse("appointments:move_month", args=[token]) + f"?mois={the_day:%Y-%m}",
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Agents ------------------------------------------------------------------------------------------------


@agent_required
def agent_home(request):
    agendas = list(selectors.agendas_for_agents(user=request.user))
    agenda_id, day_value = request.GET.get("agenda"), request.GET.get("jour")
    if agenda_id and day_value:
        the_day = parse_day(day_value)
        chosen = next((agenda for agenda in agendas if str(agenda.pk) == agenda_id), None)
        if chosen is not None and the_day is not None:
            return redirect("appointments:agent_day", chosen.pk, the_day.isoformat())
        messages.error(
            request,
            _("Choisissez un de vos agendas et une date valide (à moins de deux ans d'aujourd'hui)."),
        )
    return render(
        request, "appointments/agent_home.html", {"agendas": agendas, "today": timezone.localdate()}
    )


def _agent_day_context(agenda: Agenda, the_day: datetime.date) -> dict:
    bookings = selectors.bookings_for_day(agenda=agenda, day=the_day)
    # Agents may book within the minimum delay (someone at the counter now), never in the past.
    free = [view for view in day_slots(agenda, the_day, ignore_min_delay=True) if view.free > 0]
    return {
        "agenda": agenda,
        "day": the_day,
        "bookings": bookings,
        "free_slots": free,
        "documents": agenda.document_list(),
        "cancel_form": CancelByServiceForm(),
        "previous_day": the_day - datetime.timedelta(days=1),
        "next_day": the_day + datetime.timedelta(days=1),
    }


@agent_required
def agent_day(request, agenda_id: int, date: str):
    agenda = selectors.agenda_get_for_agent(user=request.user, agenda_id=agenda_id)
    return render(request, "appointments/agent_day.html", _agent_day_context(agenda, _day(date)))


@agent_required
def agent_day_pdf(request, agenda_id: int, date: str):
    agenda = selectors.agenda_get_for_agent(user=request.user, agenda_id=agenda_id)
    the_day = _day(date)
    pdf = day_sheet_pdf(
        agenda=agenda, day=the_day, bookings=selectors.bookings_for_day(agenda=agenda, day=the_day)
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="rendez-vous-{agenda.site.code}-{agenda.motif}-{the_day}.pdf"'
    )
    return response


@agent_required
@require_POST
def agent_booking_action(request, booking_id: int):
    booking = selectors.booking_get_for_agent(user=request.user, booking_id=booking_id)
    action = request.POST.get("action")
    back = reverse(
        "appointments:agent_day", args=[booking.agenda_id, local(booking.starts_at).date().isoformat()]
    )
    try:
        if action == "honoured":
            booking_mark_honoured(booking=booking, agent=request.user)
            messages.success(
                request,
                _("Rendez-vous de %(name)s marqué honoré.") % {"name": booking.request.requester_name},
            )
        elif action == "no_show":
            booking_mark_no_show(booking=booking, agent=request.user)
            messages.success(
                request,
                _("Rendez-vous de %(name)s marqué absent.") % {"name": booking.request.requester_name},
            )
        elif action == "cancel":
            form = CancelByServiceForm(request.POST)
            if not form.is_valid():
                raise ServiceError(_("Indiquez la raison de l'annulation : elle est envoyée à la personne."))
            booking_cancel_by_service(booking=booking, agent=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Rendez-vous annulé ; la personne est prévenue par courriel."))
        else:
            raise ServiceError(_("Action inconnue."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(back)


@agent_required
def agent_book(request, agenda_id: int):
    agenda = selectors.agenda_get_for_agent(user=request.user, agenda_id=agenda_id)
    data = request.POST if request.method == "POST" else None
    form = AgentBookingForm(data, agenda=agenda, initial={"creneau": request.GET.get("creneau", "")})
    starts_at = parse_slot(request.POST.get("creneau") if data else request.GET.get("creneau", ""))
    if starts_at is None:
        if data is None:
            raise Http404
        # A posted slot that is no slot (tampered, or a date out of range): said in French, nothing saved.
        messages.error(
            request, _("Ce créneau n'existe pas : choisissez un créneau libre dans le planning du jour.")
        )
        return redirect("appointments:agent_home")
    error, nearest = "", []
    if data is not None and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        requester = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        contact = Contact(
            name=form.cleaned_data["contact_name"], email=email, phone=form.cleaned_data["contact_phone"]
        )
        try:
            booking = booking_create(
                agenda=agenda,
                starts_at=starts_at,
                requester=requester,
                data=form.booking_data(contact),
                channel=form.cleaned_data["channel"],
                created_by=request.user,
                submission_key=form.cleaned_data["submission_key"],
            )
        except SlotTaken as exc:
            error = exc.message
            nearest = _nearest_links(
                agenda,
                exc.starts_at,
                exc.people,
                lambda view: reverse("appointments:agent_book", args=[agenda.pk]) + f"?creneau={view.value}",
            )
        except ServiceError as exc:
            if exc.field and exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                error = exc.message
        else:
            messages.success(
                request,
                _("Rendez-vous %(reference)s réservé pour %(name)s le %(when)s.")
                % {
                    "reference": booking.request.reference,
                    "name": booking.request.requester_name,
                    "when": when_display(booking.starts_at),
                },
            )
            return redirect("appointments:agent_day", agenda.pk, local(booking.starts_at).date().isoformat())
    return render(
        request,
        "appointments/agent_book.html",
        {
            "agenda": agenda,
            "form": form,
            "when": when_display(starts_at),
            "error": error,
            "nearest": nearest,
            "channels": Channel,
            "back_url": reverse(
                "appointments:agent_day", args=[agenda.pk, local(starts_at).date().isoformat()]
            ),
        },
        status=400 if data is not None else 200,
    )
