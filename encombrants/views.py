"""Pages of the encombrants app: the resident's booking steps (advice → address and items → day → summary
and confirmation), the pickup's page by signed link (amend, cancel, missed collection), and the agents'
pages (round sheet per sector and day, outcome, booking/amend/cancel on behalf, CSV export). Views call
selectors and services only; every page works without JavaScript."""

import csv
import datetime

import filetype
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
from encombrants import selectors
from encombrants.days import bookable_days, day_display
from encombrants.documents import confirmation_pdf, pickup_ics, round_pdf
from encombrants.forms import (
    AgentChannelForm,
    AgentContactForm,
    AmendForm,
    ConfirmForm,
    MissedForm,
    OutcomeForm,
    PickupForm,
)
from encombrants.links import manage_path, pickup_from_token
from encombrants.models import Config, Item, Pickup, RefusedItem, litres_display
from encombrants.services import (
    GUICHET_PHONE,
    Contact,
    DayFull,
    address_check,
    basket_check,
    cutoff_passed,
    missed_report_deadline,
    missed_report_open,
    note_check,
    pickup_amend,
    pickup_book,
    pickup_cancel,
    pickup_missed_report,
    pickup_outcome_record,
)
from portal_kit.exports import cell_safe
from requests_app.errors import ServiceError
from requests_app.models import Channel

DRAFT = "encombrants_draft"


def _items() -> list[Item]:
    return list(Item.objects.filter(active=True))


def _parse_day(value: str | None) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
    today = timezone.localdate()
    return day if abs((day - today).days) <= 800 else None


def _day_or_404(value: str) -> datetime.date:
    day = _parse_day(value)
    if day is None:
        raise Http404
    return day


def _add_error(form, exc: ServiceError) -> str:
    """Put a service's refusal on its field; return it when it has no field of the form."""
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
        return ""
    if exc.field == "items" and hasattr(form, "items"):
        form.add_error(None, exc.message)  # shown in the items' fieldset
        return ""
    return exc.message


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _ics_response(pickup: Pickup) -> HttpResponse:
    response = HttpResponse(pickup_ics(pickup), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="encombrants-{pickup.request.reference}.ics"'
    return response


def _day_views(sector, volume_l: int, keep=None) -> list:
    # Sundays are never collection days: left out of the list (said once above it).
    return [view for view in bookable_days(sector, volume_l=volume_l, keep=keep) if view.day.weekday() != 6]


# --- Resident booking ---------------------------------------------------------------------------------


def home(request):
    pickups = selectors.pickups_for_user(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "encombrants/home.html",
        {
            "refused": RefusedItem.objects.all(),
            "items": _items(),
            "config": Config.current(),
            "pickups": [(pickup, manage_path(pickup)) for pickup in pickups],
        },
    )


def _draft(request) -> dict | None:
    return request.session.get(DRAFT)


def _draft_checked(draft: dict):
    """The address and basket of the session's draft, checked again (the catalogue may have changed)."""
    address = address_check(street=draft.get("street"), number=draft.get("number", ""))
    basket = basket_check(quantities=draft.get("quantities", {}))
    return address, basket


@login_required
def start(request):
    items = _items()
    draft = _draft(request) or {}
    initial = {
        "street": draft.get("street"),
        "street_number": draft.get("number"),
        "location_note": draft.get("note"),
    }
    form = PickupForm(
        (request.POST if request.method == "POST" else None),
        items=items,
        initial=initial,
        initial_quantities=draft.get("quantities"),
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            address = address_check(
                street=form.cleaned_data["street"], number=form.cleaned_data["street_number"]
            )
            basket = basket_check(quantities=form.quantities(), other=form.cleaned_data["other"])
            note = note_check(form.cleaned_data["location_note"])
        except ServiceError as exc:
            error = _add_error(form, exc)
        else:
            request.session[DRAFT] = {
                "street": address.street.pk,
                "number": address.number,
                "quantities": {item.code: quantity for item, quantity in basket.lines},
                "note": note,
            }
            return redirect("encombrants:days")
    return render(
        request,
        "encombrants/start.html",
        {"form": form, "error": error, "config": Config.current()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def days(request):
    draft = _draft(request)
    if not draft:
        return redirect("encombrants:start")
    try:
        address, basket = _draft_checked(draft)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("encombrants:start")
    views = _day_views(address.sector, basket.volume_l)
    error = ""
    if request.method == "POST":
        chosen = _parse_day(request.POST.get("jour"))
        view = next((view for view in views if view.day == chosen), None)
        if view is None:
            error = _("Choisissez un jour dans la liste.")
        elif not view.bookable:
            error = _("Ce jour ne peut pas être réservé : %(reason)s") % {"reason": view.reason}
        else:
            draft["day"] = view.value
            request.session[DRAFT] = draft
            return redirect("encombrants:summary")
    return render(
        request,
        "encombrants/days.html",
        {
            "views": views,
            "address": address,
            "basket": basket,
            "error": error,
            "chosen": draft.get("day"),
            "action": reverse("encombrants:days"),
            "back_url": reverse("encombrants:start"),
        },
        status=400 if error else 200,
    )


@login_required
def summary(request):
    draft = _draft(request)
    if not draft or not draft.get("day"):
        return redirect("encombrants:start")
    try:
        address, basket = _draft_checked(draft)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("encombrants:start")
    day = datetime.date.fromisoformat(draft["day"])
    form = ConfirmForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            pickup = pickup_book(
                requester=request.user,
                street=address.street,
                street_number=address.number,
                quantities=draft["quantities"],
                day=day,
                location_note=draft.get("note", ""),
                photo=form.cleaned_data["photo"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except DayFull as exc:
            # Capacity is re-checked here: the day filled meanwhile, back to the days with the reason.
            messages.error(request, exc.message)
            draft.pop("day", None)
            request.session[DRAFT] = draft
            return redirect("encombrants:days")
        except ServiceError as exc:
            if exc.field == "day":
                messages.error(request, exc.message)
                return redirect("encombrants:days")
            if exc.field in ("street", "street_number", "items", "other", "location_note"):
                messages.error(request, exc.message)
                return redirect("encombrants:start")
            error = _add_error(form, exc)
        else:
            request.session.pop(DRAFT, None)
            return redirect("encombrants:confirmation", pickup.request.reference)
    return render(
        request,
        "encombrants/summary.html",
        {
            "form": form,
            "error": error,
            "address": address,
            "basket": basket,
            "day": day_display(day),
            "note": draft.get("note", ""),
            "refused": RefusedItem.objects.all(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def confirmation(request, reference: str):
    pickup = selectors.pickup_get_for_user(user=request.user, reference=reference)
    return render(
        request,
        "encombrants/confirmation.html",
        {"pickup": pickup, "day": day_display(pickup.day), "manage_url": manage_path(pickup)},
    )


# --- The pickup's page by signed link (no login) -----------------------------------------------------------


def _pickup_from_link(request, token: str) -> Pickup | HttpResponse:
    result = pickup_from_token(token)
    if result.expired:
        return render(request, "encombrants/link_invalid.html", {"phone": GUICHET_PHONE}, status=410)
    if result.pickup is None:
        raise Http404
    return result.pickup


def _manage_context(pickup: Pickup, token: str, **extra) -> dict:
    return {
        "pickup": pickup,
        "token": token,
        "day": day_display(pickup.day),
        "too_late": pickup.is_active and cutoff_passed(pickup),
        "missed_open": missed_report_open(pickup),
        "missed_deadline": day_display(missed_report_deadline(pickup)),
        "missed_form": MissedForm(),
        "phone": GUICHET_PHONE,
        **extra,
    }


def manage(request, token: str):
    pickup = _pickup_from_link(request, token)
    if isinstance(pickup, HttpResponse):
        return pickup
    return render(request, "encombrants/manage.html", _manage_context(pickup, token))


def manage_pdf(request, token: str):
    pickup = _pickup_from_link(request, token)
    if isinstance(pickup, HttpResponse):
        return pickup
    return _pdf_response(confirmation_pdf(pickup), f"encombrants-{pickup.request.reference}.pdf")


def manage_ics(request, token: str):
    pickup = _pickup_from_link(request, token)
    if isinstance(pickup, HttpResponse):
        return pickup
    return _ics_response(pickup)


@require_POST
def manage_cancel(request, token: str):
    pickup = _pickup_from_link(request, token)
    if isinstance(pickup, HttpResponse):
        return pickup
    actor = request.user if request.user.is_authenticated and request.user.pk == pickup.user_id else None
    try:
        pickup_cancel(pickup=pickup, actor=actor)
    except ServiceError as exc:
        return render(
            request, "encombrants/manage.html", _manage_context(pickup, token, error=exc.message), status=400
        )
    messages.success(request, _("Votre enlèvement est annulé."))
    return redirect("encombrants:manage", token)


@require_POST
def manage_missed(request, token: str):
    pickup = _pickup_from_link(request, token)
    if isinstance(pickup, HttpResponse):
        return pickup
    form = MissedForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(_("Votre message fait au plus 1 000 caractères."))
        followup = pickup_missed_report(pickup=pickup, details=form.cleaned_data["details"])
    except ServiceError as exc:
        return render(
            request, "encombrants/manage.html", _manage_context(pickup, token, error=exc.message), status=400
        )
    messages.success(
        request,
        _("Merci : votre signalement %(reference)s est transmis aux agents.")
        % {"reference": followup.reference},
    )
    return redirect("encombrants:manage", token)


def _amend(
    request,
    pickup: Pickup,
    *,
    template_extra: dict,
    done_url: str,
    actor=None,
    channel=Channel.WEB,
    channel_form=None,
):
    """The amend page (resident by link, or agent): items and day in one form."""
    items = _items()
    quantities = {line.item.code: line.quantity for line in pickup.lines.select_related("item")}
    form = AmendForm(
        (request.POST if request.method == "POST" else None),
        items=items,
        initial={"location_note": pickup.location_note},
        initial_quantities=quantities,
    )
    error = ""
    volume = pickup.volume_l
    if request.method == "POST" and form.is_valid() and (channel_form is None or channel_form.is_valid()):
        chosen = _parse_day(request.POST.get("jour")) or pickup.day
        try:
            pickup_amend(
                pickup=pickup,
                quantities=form.quantities(),
                day=chosen,
                location_note=form.cleaned_data["location_note"],
                actor=actor,
                channel=channel_form.cleaned_data["channel"] if channel_form is not None else channel,
            )
        except ServiceError as exc:
            if exc.field == "day":
                error = exc.message
            else:
                error = _add_error(form, exc)
        else:
            messages.success(request, _("L'enlèvement est modifié : une nouvelle confirmation est envoyée."))
            return redirect(done_url)
    views = _day_views(pickup.sector, 0, keep=(pickup.day, volume))
    return render(
        request,
        "encombrants/amend.html",
        {
            "pickup": pickup,
            "form": form,
            "channel_form": channel_form,
            "error": error,
            "views": views,
            "chosen": pickup.day.isoformat(),
            "day": day_display(pickup.day),
            "config": Config.current(),
            **template_extra,
        },
        status=400 if request.method == "POST" else 200,
    )


def manage_amend(request, token: str):
    pickup = _pickup_from_link(request, token)
    if isinstance(pickup, HttpResponse):
        return pickup
    if not pickup.is_active or cutoff_passed(pickup):
        return redirect("encombrants:manage", token)
    actor = request.user if request.user.is_authenticated and request.user.pk == pickup.user_id else None
    back = reverse("encombrants:manage", args=[token])
    return _amend(request, pickup, template_extra={"back_url": back}, done_url=back, actor=actor)


# --- Agents ------------------------------------------------------------------------------------------------


def _agent_check(user: User) -> None:
    if not selectors.agent_may_work(user):
        raise Http404


@agent_required
def agent_home(request):
    _agent_check(request.user)
    today = timezone.localdate()
    day = _parse_day(request.GET.get("jour")) or today
    counters = selectors.day_counters(day=day)
    config = Config.current()
    sectors = [
        (
            sector,
            counters[sector.pk].pickups_booked if sector.pk in counters else 0,
            counters[sector.pk].pickups_max if sector.pk in counters else config.pickups_per_day,
            litres_display(counters[sector.pk].volume_booked if sector.pk in counters else 0),
        )
        for sector in selectors.sectors()
    ]
    return render(
        request,
        "encombrants/agent_home.html",
        {"day": day, "day_label": day_display(day), "sectors": sectors, "month": day.strftime("%Y-%m")},
    )


@agent_required
def agent_round(request, sector: str, date: str):
    _agent_check(request.user)
    the_sector = selectors.sector_get(sector)
    day = _day_or_404(date)
    pickups = selectors.round_pickups(sector=the_sector, day=day, user=request.user)
    return render(
        request,
        "encombrants/agent_round.html",
        {
            "sector": the_sector,
            "day": day,
            "day_label": day_display(day),
            "pickups": pickups,
            "volume": litres_display(sum(p.volume_l for p in pickups)),
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
        },
    )


@agent_required
def agent_round_pdf(request, sector: str, date: str):
    _agent_check(request.user)
    the_sector = selectors.sector_get(sector)
    day = _day_or_404(date)
    pickups = selectors.round_pickups(sector=the_sector, day=day, user=request.user)
    return _pdf_response(
        round_pdf(sector=the_sector, day=day, pickups=pickups), f"tournee-{sector}-{day}.pdf"
    )


def _agent_pickup_context(pickup: Pickup, **extra) -> dict:
    return {
        "pickup": pickup,
        "day": day_display(pickup.day),
        "too_late": cutoff_passed(pickup),
        "outcome_form": OutcomeForm(lines=pickup.lines.all()),
        "channel_form": AgentChannelForm(),
        "photos": list(pickup.request.attachments.all()),
        **extra,
    }


@agent_required
def agent_pickup(request, pickup_id: int):
    _agent_check(request.user)
    pickup = selectors.pickup_get_for_agent(user=request.user, pickup_id=pickup_id)
    return render(request, "encombrants/agent_pickup.html", _agent_pickup_context(pickup))


@agent_required
def agent_pickup_pdf(request, pickup_id: int):
    _agent_check(request.user)
    pickup = selectors.pickup_get_for_agent(user=request.user, pickup_id=pickup_id)
    return _pdf_response(confirmation_pdf(pickup), f"encombrants-{pickup.request.reference}.pdf")


@agent_required
def agent_attachment(request, pickup_id: int, pk: int):
    """The resident's photo of a pickup, for the crews (the spine's attachment row, read-only)."""
    _agent_check(request.user)
    pickup = selectors.pickup_get_for_agent(user=request.user, pickup_id=pickup_id)
    attachment = pickup.request.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    response = HttpResponse(attachment.file.read(), content_type=attachment.content_type)
    response["Content-Disposition"] = f'inline; filename="photo-{pickup.request.reference}"'
    return response


@agent_required
def agent_outcome_photo(request, pickup_id: int):
    _agent_check(request.user)
    pickup = selectors.pickup_get_for_agent(user=request.user, pickup_id=pickup_id)
    if not pickup.outcome_photo:
        raise Http404
    data = pickup.outcome_photo.read()
    kind = filetype.guess(data[:8192])
    return HttpResponse(data, content_type=kind.mime if kind else "application/octet-stream")


@agent_required
@require_POST
def agent_outcome(request, pickup_id: int):
    _agent_check(request.user)
    pickup = selectors.pickup_get_for_agent(user=request.user, pickup_id=pickup_id)
    form = OutcomeForm(request.POST, request.FILES, lines=pickup.lines.all())
    if form.is_valid():
        try:
            pickup_outcome_record(
                pickup=pickup,
                agent=request.user,
                outcome=form.cleaned_data["outcome"],
                refused=form.refused(),
                note=form.cleaned_data["note"],
                photo=form.cleaned_data["photo"],
            )
        except ServiceError as exc:
            error = _add_error(form, exc)
        else:
            messages.success(
                request,
                _("Résultat enregistré pour %(reference)s ; la personne est prévenue.")
                % {"reference": pickup.request.reference},
            )
            return redirect("encombrants:agent_round", pickup.sector.code, pickup.day.isoformat())
    else:
        error = ""
    return render(
        request,
        "encombrants/agent_pickup.html",
        _agent_pickup_context(pickup, outcome_form=form, error=error),
        status=400,
    )


@agent_required
@require_POST
def agent_cancel(request, pickup_id: int):
    _agent_check(request.user)
    pickup = selectors.pickup_get_for_agent(user=request.user, pickup_id=pickup_id)
    form = AgentChannelForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError(_("Indiquez comment la personne a demandé l'annulation."))
        pickup_cancel(pickup=pickup, actor=request.user, by_agent=True, channel=form.cleaned_data["channel"])
    except ServiceError as exc:
        return render(
            request,
            "encombrants/agent_pickup.html",
            _agent_pickup_context(pickup, error=exc.message),
            status=400,
        )
    messages.success(request, _("Enlèvement %(reference)s annulé.") % {"reference": pickup.request.reference})
    return redirect("encombrants:agent_pickup", pickup.pk)


@agent_required
def agent_amend(request, pickup_id: int):
    _agent_check(request.user)
    pickup = selectors.pickup_get_for_agent(user=request.user, pickup_id=pickup_id)
    back = reverse("encombrants:agent_pickup", args=[pickup.pk])
    if not pickup.is_active or cutoff_passed(pickup):
        messages.error(request, _("Cet enlèvement ne peut plus être modifié."))
        return redirect(back)
    return _amend(
        request,
        pickup,
        template_extra={"back_url": back, "agent": True},
        done_url=back,
        actor=request.user,
        channel_form=AgentChannelForm(request.POST if request.method == "POST" else None),
    )


@agent_required
def agent_book(request):
    _agent_check(request.user)
    items = _items()
    data = request.POST if request.method == "POST" else None
    form = PickupForm(data, items=items)
    contact_form = AgentContactForm(data)
    error = ""
    if data is not None and form.is_valid() and contact_form.is_valid():
        email = contact_form.cleaned_data["email"].strip().lower()
        requester = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        contact = Contact(
            name=contact_form.cleaned_data["contact_name"],
            email=email,
            phone=contact_form.cleaned_data["contact_phone"],
        )
        try:
            pickup = pickup_book(
                requester=requester,
                street=form.cleaned_data["street"],
                street_number=form.cleaned_data["street_number"],
                quantities=form.quantities(),
                other=form.cleaned_data["other"],
                location_note=form.cleaned_data["location_note"],
                day=_parse_day(request.POST.get("jour")),
                contact=contact,
                channel=contact_form.cleaned_data["channel"],
                created_by=request.user,
                submission_key=contact_form.cleaned_data["submission_key"],
            )
        except ServiceError as exc:
            if exc.field == "day":
                error = exc.message
            elif exc.field and exc.field in contact_form.fields:
                contact_form.add_error(exc.field, exc.message)
            else:
                error = _add_error(form, exc)
        else:
            messages.success(
                request,
                _("Enlèvement %(reference)s réservé le %(day)s.")
                % {"reference": pickup.request.reference, "day": day_display(pickup.day)},
            )
            return redirect("encombrants:agent_pickup", pickup.pk)
    sector_code = request.GET.get("secteur") or request.POST.get("secteur")
    sector = selectors.sectors().filter(code=sector_code).first() or selectors.sectors().first()
    views = _day_views(sector, 0) if sector else []
    return render(
        request,
        "encombrants/agent_book.html",
        {
            "form": form,
            "contact_form": contact_form,
            "error": error,
            "views": views,
            "sector": sector,
            "sectors": selectors.sectors(),
            "chosen": request.POST.get("jour", ""),
            "config": Config.current(),
        },
        status=400 if data is not None else 200,
    )


@agent_required
def agent_export(request):
    """CSV of a day's (?jour=YYYY-MM-DD) or a month's (?mois=YYYY-MM) pickups with their items."""
    _agent_check(request.user)
    day = _parse_day(request.GET.get("jour"))
    if day is not None:
        first = last = day
        name = day.isoformat()
    else:
        try:
            year, month = (int(part) for part in (request.GET.get("mois") or "").split("-"))
            first = datetime.date(year, month, 1)
        except (ValueError, OverflowError):
            raise Http404 from None
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        name = first.strftime("%Y-%m")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="encombrants-{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "jour",
            "secteur",
            "référence",
            "statut",
            "adresse",
            "emplacement",
            "objets",
            "volume (m³)",
            "refusés",
            "canal",
        ]
    )
    for pickup in selectors.pickups_for_export(user=request.user, first=first, last=last):
        lines = list(pickup.lines.all())
        writer.writerow(
            [
                cell_safe(value)
                for value in (
                    pickup.day.isoformat(),
                    pickup.sector.name,
                    pickup.request.reference,
                    pickup.get_status_display(),
                    pickup.address,
                    pickup.location_note,
                    ", ".join(f"{line.quantity} × {line.item.name}" for line in lines),
                    f"{pickup.volume_l / 1000:.2f}".replace(".", ","),
                    ", ".join(f"{line.refused} × {line.item.name}" for line in lines if line.refused),
                    pickup.request.get_channel_display(),
                )
            ]
        )
    return response
