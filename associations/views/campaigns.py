"""The instructors' pages to create and edit a campaign (title, year, dates, axes with their envelopes as a
grid) without the admin. Instructors only (associations.views.common.instructor_required), others 404.
Bad input: a French message, nothing saved (the service checks everything before it writes, in one
transaction)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from associations import forms, services
from associations.models import Campaign
from associations.views.common import form_error, instructor_required
from requests_app.errors import ServiceError


def _rows(formset) -> list[services.AxisRow]:
    return [
        services.AxisRow(
            axis_id=form.cleaned_data.get("axis_id"),
            title=form.cleaned_data.get("title", ""),
            envelope=form.cleaned_data.get("envelope", ""),
        )
        for form in formset.forms
        if form.is_valid()
    ]


def campaign_form(request, pk: int | None = None):
    instructor_required(request)
    campaign = get_object_or_404(Campaign, pk=pk) if pk is not None else None
    if campaign is not None:
        initial = {
            "title": campaign.title,
            "year": campaign.year,
            "opens_on": campaign.opens_on,
            "closes_on": campaign.closes_on,
            "description": campaign.description,
        }
        axes_initial = [
            {"axis_id": axis.pk, "title": axis.title, "envelope": f"{axis.envelope:.0f}"}
            for axis in campaign.axes.all()
        ]
    else:
        initial, axes_initial = {}, []
    form = forms.CampaignForm(request.POST or None, initial=initial)
    formset = forms.AxisFormSet(request.POST or None, initial=axes_initial, prefix="axes")
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                if campaign is None:
                    rows = _rows(formset)
                    if any(row.axis_id for row in rows):
                        raise ServiceError(
                            "Un axe de la grille n'appartient pas à cette campagne.", field="axes"
                        )
                    campaign = services.campaign_create(
                        year=data["year"],
                        title=data["title"],
                        opens_on=data["opens_on"],
                        closes_on=data["closes_on"],
                        description=data["description"],
                        axes=[(row.title, row.envelope) for row in rows],
                    )
                    messages.success(request, _("Campagne créée."))
                else:
                    services.campaign_update(
                        campaign=campaign,
                        year=data["year"],
                        title=data["title"],
                        opens_on=data["opens_on"],
                        closes_on=data["closes_on"],
                        description=data["description"],
                        axes=_rows(formset),
                    )
                    messages.success(request, _("Campagne enregistrée."))
            except ServiceError as error:
                form_error(form, error)
            else:
                return redirect("associations:instruction_campaign", campaign.pk)
        elif form.is_valid():
            form.add_error(None, _("Vérifiez la grille des axes : une ligne est mal remplie."))
        status = 400
    return render(
        request,
        "associations/campaign_form.html",
        {"form": form, "formset": formset, "campaign": campaign},
        status=status,
    )
