"""Walk-in visitors: register an arrival, the waiting screen of a site (polled by htmx every 15 s, with an
"Actualiser" link without JavaScript), call the next visitor of an espace, close a visit or mark it left.
Agents only: everyone else gets 404."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.access import agent_espace_ids, agent_required
from guichet.forms_visits import VisitArrivalForm, VisitCallForm, VisitCloseForm
from guichet.models import VisitStatus
from guichet.selectors_visits import (
    visit_espaces_for,
    visit_get,
    visit_site_get,
    visit_site_list,
    visits_waiting,
)
from guichet.services.visits import visit_call_next, visit_close, visit_mark_left, visit_register
from requests_app.errors import ServiceError


def _service_error_to_form(form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _screen_url(site_code: str) -> str:
    return reverse("guichet:visit_screen", args=[site_code])


@agent_required
@require_GET
def visit_index(request: HttpRequest) -> HttpResponse:
    return render(request, "guichet/visits/index.html", {"sites": visit_site_list()})


@agent_required
@require_http_methods(["GET", "POST"])
def visit_register_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = VisitArrivalForm(request.POST)
        if form.is_valid():
            try:
                visit = visit_register(
                    site=form.cleaned_data["site"],
                    espace=form.cleaned_data["espace"],
                    reason=form.cleaned_data["reason"],
                    visitor_name=form.cleaned_data["visitor_name"],
                    registered_by=request.user,
                )
            except ServiceError as error:
                _service_error_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Arrivée enregistrée : ticket n° %(ticket)s pour l'espace %(espace)s.")
                    % {"ticket": visit.ticket, "espace": visit.espace.name},
                )
                return redirect(_screen_url(visit.site.code))
    else:
        site = visit_site_list().filter(code=request.GET.get("site", "")).first()
        form = VisitArrivalForm(initial={"site": site} if site else None)
    return render(
        request, "guichet/visits/register.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _screen_context(request: HttpRequest, site) -> dict:
    waiting = visits_waiting(site=site, user=request.user)
    espace_ids = agent_espace_ids(request.user)
    return {
        "site": site,
        "waiting": waiting,
        "waiting_count": sum(1 for item in waiting if item.visit.status == VisitStatus.WAITING),
        "sites": visit_site_list(),
        "statuses": VisitStatus,
        # "Terminer" only on the visits of the espaces the agent receives (the others' page is a 404).
        "receives_every_espace": espace_ids is None,
        "received_espace_ids": espace_ids or [],
    }


@agent_required
@require_GET
def visit_screen(request: HttpRequest, site_code: str) -> HttpResponse:
    site = visit_site_get(code=site_code)
    context = _screen_context(request, site)
    context["call_form"] = VisitCallForm(espaces=visit_espaces_for(user=request.user))
    return render(request, "guichet/visits/screen.html", context)


@agent_required
@require_GET
def visit_screen_list(request: HttpRequest, site_code: str) -> HttpResponse:
    """The waiting list alone: what htmx fetches every 15 seconds."""
    site = visit_site_get(code=site_code)
    return render(request, "guichet/visits/_waiting_list.html", _screen_context(request, site))


@agent_required
@require_POST
def visit_call_next_view(request: HttpRequest, site_code: str) -> HttpResponse:
    site = visit_site_get(code=site_code)
    form = VisitCallForm(request.POST, espaces=visit_espaces_for(user=request.user))
    if form.is_valid():
        espace = form.cleaned_data["espace"]
        try:
            visit = visit_call_next(
                site=site, espace=espace, agent=request.user, counter=form.cleaned_data["counter"]
            )
        except ServiceError as error:
            _service_error_to_form(form, error)
        else:
            if visit is None:
                messages.info(
                    request, _("Personne n'attend pour l'espace %(espace)s.") % {"espace": espace.name}
                )
            else:
                messages.success(
                    request,
                    _("Ticket n° %(ticket)s appelé (%(espace)s) : recevez le visiteur, puis terminez.")
                    % {"ticket": visit.ticket, "espace": espace.name},
                )
                return redirect("guichet:visit_close", pk=visit.pk)
            return redirect(_screen_url(site.code))
    context = _screen_context(request, site)
    context["call_form"] = form
    return render(request, "guichet/visits/screen.html", context, status=400)


@agent_required
@require_http_methods(["GET", "POST"])
def visit_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    if request.method == "POST":
        form = VisitCloseForm(request.POST)
        if form.is_valid():
            try:
                visit_close(
                    visit=visit,
                    agent=request.user,
                    outcome=form.cleaned_data["outcome"],
                    request_reference=form.cleaned_data["request_reference"],
                    note=form.cleaned_data["note"],
                )
            except ServiceError as error:
                _service_error_to_form(form, error)
            else:
                messages.success(
                    request, _("Visite du ticket n° %(ticket)s terminée.") % {"ticket": visit.ticket}
                )
                return redirect(_screen_url(visit.site.code))
    else:
        form = VisitCloseForm()
    return render(
        request,
        "guichet/visits/close.html",
        {"visit": visit, "form": form},
        status=400 if form.is_bound else 200,
    )


@agent_required
@require_POST
def visit_left_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get(user=request.user, pk=pk)
    try:
        visit_mark_left(visit=visit, agent=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Ticket n° %(ticket)s : visiteur parti sans être reçu.") % {"ticket": visit.ticket}
        )
    return redirect(_screen_url(visit.site.code))
