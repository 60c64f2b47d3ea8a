"""The instructors' pages: campaigns, the dossiers of a campaign with filters, totals and the commission
step, the XLSX export, one dossier with the association's history and the instruction actions, the PDFs.
Instructors only (associations.views.common.instructor_required), others 404."""

import io

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from associations import forms, selectors, services
from associations.documents import convention_ensure, decision_ensure, summary_ensure
from associations.models import Campaign, DossierStatus
from associations.views.common import form_error, instructor_required
from associations.views.dossier import dossier_context
from portal_kit.exports import row_safe
from requests_app.errors import ServiceError


def instruction(request):
    instructor_required(request)
    return render(request, "associations/instruction.html", {"campaigns": selectors.campaigns_public()})


def instruction_campaign(request, pk: int):
    instructor_required(request)
    campaign = get_object_or_404(Campaign, pk=pk)
    status = request.GET.get("statut", "")
    axis = request.GET.get("axe", "")
    query = request.GET.get("q", "")[:100]
    form = forms.CommissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ids = [int(v) for v in request.POST.getlist("dossiers") if v.isdigit()]
        chosen = list(selectors.campaign_dossiers(campaign).filter(pk__in=ids))
        try:
            decided = services.commission_decide(
                dossiers=chosen,
                agent=request.user,
                deliberation_number=form.cleaned_data["deliberation_number"],
                deliberation_on=form.cleaned_data["deliberation_on"],
                confirm_over_envelope=form.cleaned_data["confirm_over_envelope"],
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("%(count)d dossiers décidés en commission.") % {"count": len(decided)}
            )
            return redirect("associations:instruction_campaign", pk)
    return render(
        request,
        "associations/instruction_campaign.html",
        {
            "campaign": campaign,
            "dossiers": selectors.campaign_dossiers(
                campaign,
                status=status if status in DossierStatus.values else "",
                axis_id=int(axis) if axis.isdigit() else None,
                query=query,
            ),
            "totals": selectors.campaign_totals(campaign),
            "statuses": [c for c in DossierStatus.choices if c[0] != DossierStatus.DRAFT],
            "status": status,
            "axis": axis,
            "query": query,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def instruction_export(request, pk: int):
    instructor_required(request)
    from openpyxl import Workbook

    campaign = get_object_or_404(Campaign, pk=pk)
    book = Workbook()
    sheet = book.active
    sheet.title = "Dossiers"
    sheet.append(
        [
            "Référence",
            "Association",
            "RNA",
            "Projet",
            "Axe",
            "Statut",
            "Demandé",
            "Proposé",
            "Accordé",
            "En nature",
            "Avis",
        ]
    )
    for d in selectors.campaign_dossiers(campaign):
        sheet.append(
            row_safe(
                [
                    d.reference,
                    d.association.name,
                    d.association.rna,
                    d.title,
                    d.axis.title if d.axis else "",
                    d.get_status_display(),
                    int(d.amount_asked),
                    int(d.proposed_amount) if d.proposed_amount is not None else None,
                    int(d.granted_amount) if d.granted_amount is not None else None,
                    int(d.in_kind_value),
                    d.opinion,
                ]
            )
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="commission-{campaign.year}-{campaign.pk}.xlsx"'
    return response


ACTIONS = {
    "corrections": forms.CorrectionsForm,
    "admissibility": forms.AdmissibilityForm,
    "opinion": forms.OpinionForm,
    "decision": forms.DecisionForm,
    "report": forms.ReportReviewForm,
}


def _act(request, dossier, action, form):
    data = form.cleaned_data
    if action == "corrections":
        services.dossier_corrections_ask(dossier=dossier, agent=request.user, message=data["message"])
    elif action == "admissibility":
        services.dossier_admissibility(
            dossier=dossier,
            agent=request.user,
            admissible=data["admissible"] == "oui",
            message=data["message"],
        )
    elif action == "opinion":
        services.dossier_opinion(
            dossier=dossier,
            agent=request.user,
            opinion=data["opinion"],
            proposed_amount=data["proposed_amount"],
        )
    elif action == "decision":
        services.dossier_decide(
            dossier=dossier,
            agent=request.user,
            outcome=data["outcome"],
            amount=data["amount"] or "0",
            in_kind=data["in_kind"] or "0",
            deliberation_number=data["deliberation_number"],
            deliberation_on=data["deliberation_on"],
            confirm_over_envelope=data["confirm_over_envelope"],
            instalments=data["instalments"],
            message=data["message"],
        )
    elif action == "report":
        services.report_review(
            report=dossier.report, agent=request.user, accept=data["accept"] == "oui", note=data["note"]
        )


def instruction_dossier(request, pk: int):
    instructor_required(request)
    from associations.models import Dossier, Payment

    dossier = get_object_or_404(
        Dossier.objects.select_related("association", "campaign", "axis", "request").exclude(
            status=DossierStatus.DRAFT
        ),
        pk=pk,
    )
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "payment":
            payment = get_object_or_404(Payment, pk=request.POST.get("payment") or 0, dossier=dossier)
            try:
                services.payment_mark_paid(payment=payment, agent=request.user)
            except ServiceError as error:
                messages.error(request, error.message)
            return redirect("associations:instruction_dossier", pk)
        if action not in ACTIONS:
            raise Http404
        form = ACTIONS[action](request.POST, auto_id=f"id_{action}_%s")
        if form.is_valid():
            try:
                _act(request, dossier, action, form)
            except ServiceError as error:
                form_error(form, error)
                if error.code == "status":
                    # The dossier moved on (another instructor, another tab): the action's form may no longer
                    # be on the page, so the message goes at its top.
                    messages.error(request, error.message)
            else:
                messages.success(request, _("Enregistré."))
                return redirect("associations:instruction_dossier", pk)
        bound[action] = form
    context = dossier_context(dossier)
    context.update(
        {
            # One page, several forms with a "message" field: ids of their own, so that each label points at
            # its field.
            "forms": {
                name: bound.get(name) or form_class(auto_id=f"id_{name}_%s")
                for name, form_class in ACTIONS.items()
            },
            "history": selectors.association_history(dossier.association),
            "year_total": services.year_total(dossier.association, dossier.campaign.year),
            "overdue": services.reports_overdue(dossier.association),
        }
    )
    return render(request, "associations/instruction_dossier.html", context, status=400 if bound else 200)


def instruction_pdf(request, pk: int, document: str):
    instructor_required(request)
    from associations.models import Dossier

    dossier = get_object_or_404(Dossier.objects.exclude(request=None), pk=pk)
    if document == "recapitulatif":
        stored = summary_ensure(dossier_id=dossier.pk)
    elif document == "decision" and dossier.decided_at:
        stored = decision_ensure(dossier_id=dossier.pk)
    elif document == "convention" and dossier.convention_required and dossier.granted_amount:
        stored = convention_ensure(dossier_id=dossier.pk)
    else:
        raise Http404
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.filename, content_type="application/pdf"
    )
