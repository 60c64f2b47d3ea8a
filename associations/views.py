"""Pages of the associations app: the association's space (members only, others 404), the dossier form
with its grids, the public campaign calendar and open data, and the instructors' pages. Every form works
without JavaScript; views call selectors and services only."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from associations import budget as budget_rules
from associations import forms, selectors, services
from associations.documents import convention_ensure, decision_ensure, summary_ensure
from associations.models import Campaign, DocumentType, DossierStatus, DossierVersion, Membership
from portal_kit.dates import parse_date
from portal_kit.exports import SafeWriter, row_safe
from requests_app.errors import ServiceError
from requests_app.models import Quartier


def _error(form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# --- Public pages ---------------------------------------------------------------------------------------


def home(request):
    return render(
        request,
        "associations/home.html",
        {
            "associations": selectors.associations_of(request.user),
            "open_campaigns": selectors.campaigns_open(),
            "is_instructor": services.is_instructor(request.user),
        },
    )


def campaigns(request):
    return render(
        request,
        "associations/campaigns.html",
        {"campaigns": selectors.campaigns_public(), "today": timezone.localdate()},
    )


# The SCDL "subventions" schema, version 2.1.1 (schema.data.gouv.fr/scdl/subventions/2.1.1), in its order.
OPEN_DATA_FIELDS = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]
# The grantor's SIRET in the SCDL schema. Chosen default, to confirm with the INSEE directory: a
# commune's SIREN is 21 + its INSEE code (62119) + a check digit; the establishment number is assumed.
TOWN_SIRET = "21620119000017"


def open_data_rows(year: int) -> list[dict]:
    rows = []
    for dossier in selectors.granted_for_year(year):
        payments = list(dossier.payments.all())
        total_budget = budget_rules.totals(dossier.budget)["charges"]
        rows.append(
            {
                "nomAttribuant": "Commune de Béthune",
                "idAttribuant": TOWN_SIRET,
                "dateConvention": dossier.deliberation_on.isoformat() if dossier.deliberation_on else "",
                "referenceDecision": dossier.deliberation_number,
                "nomBeneficiaire": dossier.association.name,
                "idBeneficiaire": dossier.association.siret,
                "rnaBeneficiaire": dossier.association.rna,
                "objet": dossier.title,
                "montant": f"{dossier.granted_amount:.2f}",
                "nature": "aide en numéraire" if dossier.granted_amount else "aide en nature",
                "conditionsVersement": "échelonné" if len(payments) > 1 else "unique",
                "datesPeriodeVersement": "_".join(p.planned_on.isoformat() for p in payments),
                "idRAE": "",
                "notificationUE": "non",
                "pourcentageSubvention": (
                    f"{(dossier.granted_amount / total_budget):.2f}"
                    if total_budget and dossier.granted_amount
                    else ""
                ),
                "dispositifAide": dossier.campaign.title,
            }
        )
    return rows


def open_data(request, year: int):
    return render(
        request,
        "associations/open_data.html",
        {"year": year, "rows": open_data_rows(year), "fields": OPEN_DATA_FIELDS},
    )


def open_data_csv(request, year: int):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subventions-bethune-{year}.csv"'
    writer = SafeWriter(response, delimiter=",")
    writer.writerow(OPEN_DATA_FIELDS)
    for row in open_data_rows(year):
        writer.writerow([row[name] for name in OPEN_DATA_FIELDS])
    return response


# --- The association's space ----------------------------------------------------------------------------


def _association_data(cleaned) -> services.AssociationData:
    return services.AssociationData(
        **{
            name: cleaned.get(name) or ("" if name != "conventionnee" else False)
            for name in forms.AssociationForm.base_fields
        }
    )


@login_required
def association_new(request):
    form = forms.AssociationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            association = services.association_create(
                user=request.user, data=_association_data(form.cleaned_data)
            )
        except ServiceError as error:
            _error(form, error)
        else:
            messages.success(request, _("Association enregistrée : déposez maintenant ses pièces."))
            return redirect("associations:association", association.pk)
    return render(request, "associations/association_form.html", {"form": form})


@login_required
def association_edit(request, pk: int):
    association, _membership = selectors.association_get_for_member(user=request.user, pk=pk)
    initial = {name: getattr(association, name) for name in forms.AssociationForm.base_fields}
    form = forms.AssociationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.association_update(
                association=association, user=request.user, data=_association_data(form.cleaned_data)
            )
        except ServiceError as error:
            _error(form, error)
        else:
            messages.success(request, _("Fiche de l'association mise à jour."))
            return redirect("associations:association", association.pk)
    return render(request, "associations/association_form.html", {"form": form, "association": association})


def _association_context(request, association, membership, **extra):
    in_force = services.documents_in_force(association)
    today = timezone.localdate()
    bound_dossier_form = extra.pop("dossier_form", None)
    open_campaigns = list(selectors.campaigns_open(today))
    dossier_forms = [
        (
            campaign,
            bound_dossier_form
            if bound_dossier_form is not None and bound_dossier_form.campaign_id == campaign.pk
            else forms.NewDossierForm(auto_id=f"id_c{campaign.pk}_%s"),
        )
        for campaign in open_campaigns
    ]
    if bound_dossier_form is not None and bound_dossier_form.campaign_id not in {
        c.pk for c in open_campaigns
    }:
        # Refused for a campaign no longer open: its form stays on the page with the message.
        dossier_forms.append((bound_dossier_form.campaign, bound_dossier_form))
    return {
        "association": association,
        "membership": membership,
        "is_president": membership.role == "president",
        "members": association.memberships.select_related("user"),
        "documents": [(doc_type, in_force.get(doc_type.value)) for doc_type in DocumentType],
        "today": today,
        "dossiers": association.dossiers.select_related("campaign", "request").order_by("-created_at"),
        # One "new dossier" form per open campaign, each with ids of its own; a refused one shows its errors.
        "dossier_forms": dossier_forms,
        "overdue": services.reports_overdue(association, today=today),
        "invite_form": extra.pop("invite_form", None) or forms.InvitationForm(),
        "document_form": extra.pop("document_form", None) or forms.DocumentForm(),
        **extra,
    }


@login_required
def association(request, pk: int):
    association, membership = selectors.association_get_for_member(user=request.user, pk=pk)
    return render(
        request, "associations/association.html", _association_context(request, association, membership)
    )


@login_required
@require_POST
def member_invite(request, pk: int):
    association, membership = selectors.association_get_for_member(user=request.user, pk=pk)
    form = forms.InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                association=association,
                by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ServiceError as error:
            _error(form, error)
        else:
            messages.success(
                request, _("Invitation envoyée à %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("associations:association", pk)
    return render(
        request,
        "associations/association.html",
        _association_context(request, association, membership, invite_form=form),
        status=400,
    )


@login_required
@require_POST
def member_remove(request, pk: int, membership_id: int):
    association, _membership = selectors.association_get_for_member(user=request.user, pk=pk)
    target = get_object_or_404(Membership, pk=membership_id, association=association)
    try:
        services.member_remove(association=association, by=request.user, membership=target)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Membre retiré de l'association."))
    return redirect("associations:association", pk)


@login_required
@require_POST
def document_add(request, pk: int):
    association, membership = selectors.association_get_for_member(user=request.user, pk=pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(
                association=association,
                user=request.user,
                doc_type=form.cleaned_data["doc_type"],
                upload=form.cleaned_data["file"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except ServiceError as error:
            _error(form, error)
        else:
            messages.success(request, _("Pièce déposée."))
            return redirect("associations:association", pk)
    return render(
        request,
        "associations/association.html",
        _association_context(request, association, membership, document_form=form),
        status=400,
    )


@login_required
def invitation(request, token: str):
    found = services.invitation_from_token(token)
    if found is None:
        return render(request, "associations/invitation_invalid.html", status=404)
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Vous êtes membre de %(name)s.") % {"name": membership.association.name}
            )
            return redirect("associations:association", membership.association_id)
    return render(request, "associations/invitation.html", {"invitation": found})


@login_required
@require_POST
def dossier_new(request, pk: int, campaign_id: int):
    association, membership = selectors.association_get_for_member(user=request.user, pk=pk)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    form = forms.NewDossierForm(request.POST, auto_id=f"id_c{campaign.pk}_%s")
    form.campaign_id, form.campaign = campaign.pk, campaign
    if form.is_valid():
        try:
            dossier = services.dossier_create(
                association=association,
                campaign=campaign,
                user=request.user,
                title=form.cleaned_data["title"],
            )
        except ServiceError as error:
            _error(form, error)
        else:
            return redirect("associations:dossier", dossier.pk)
    return render(
        request,
        "associations/association.html",
        _association_context(request, association, membership, dossier_form=form),
        status=400,
    )


# --- The dossier ------------------------------------------------------------------------------------------


def _date(value: str):
    return parse_date(value) if value else None


def _dossier_data(post) -> services.DossierData:
    def flag(name):
        return post.get(name) in ("on", "oui", "1", "true")

    return services.DossierData(
        title=post.get("title", ""),
        axis_id=int(post["axis"]) if post.get("axis", "").isdigit() else None,
        cash=flag("cash"),
        in_kind=flag("in_kind"),
        renewal=post.get("renewal") == "oui",
        project_based=post.get("project_based", "oui") == "oui",
        multi_year=post.get("multi_year") == "oui",
        objectives=post.get("objectives", ""),
        public=post.get("public", ""),
        quartier_ids=[int(v) for v in post.getlist("quartiers") if v.isdigit()],
        starts_on=_date(post.get("starts_on", "")),
        ends_on=_date(post.get("ends_on", "")),
        place=post.get("place", ""),
        indicators=post.get("indicators", ""),
        hr={
            code: {"count": post.get(f"hr_{code}_count", ""), "etp": post.get(f"hr_{code}_etp", "")}
            for code, _label in budget_rules.HR_ROWS
        },
        budget={f"b_{code}": post.get(f"b_{code}", "") for code in budget_rules.ACCOUNTS},
        in_kind_items=[
            {"label": post.get(f"in_kind_{n}_label", ""), "value": post.get(f"in_kind_{n}_value", "")}
            for n in (1, 2, 3)
        ],
        amount_asked=post.get("amount_asked", ""),
        sworn_name=post.get("sworn_name", ""),
        sworn_quality=post.get("sworn_quality", ""),
        sworn_on=_date(post.get("sworn_on", "")),
        sworn=flag("sworn"),
    )


def _dossier_context(dossier, *, error=None, post=None):
    grid = budget_rules.grid_rows(
        post and {c: post.get(f"b_{c}", "") for c in budget_rules.ACCOUNTS} or dossier.budget
    )
    versions = list(DossierVersion.objects.filter(dossier=dossier).order_by("number"))
    items = list(dossier.in_kind_items) + [{"label": "", "value": ""}] * 3
    return {
        "dossier": dossier,
        "error": error,
        "grid": grid,
        "hr_rows": [(code, label, dossier.hr.get(code, {})) for code, label in budget_rules.HR_ROWS],
        "in_kind_rows": [(n, items[n - 1]) for n in (1, 2, 3)],
        "axes": dossier.campaign.axes.all(),
        "quartiers": Quartier.objects.order_by("name"),
        "chosen_quartiers": set(dossier.quartiers.values_list("pk", flat=True)),
        "versions": versions,
        "diff": services.versions_diff(versions[-2].data, versions[-1].data) if len(versions) > 1 else [],
        "payments": dossier.payments.all(),
        "report": getattr(dossier, "report", None) if dossier.pk else None,
        "missing": services.documents_missing(dossier.association, on=timezone.localdate()),
    }


@login_required
def dossier(request, pk: int):
    dossier = selectors.dossier_get_for_member(user=request.user, pk=pk)
    if request.method == "POST":
        if not dossier.is_editable:
            raise Http404
        try:
            services.dossier_save(dossier=dossier, user=request.user, data=_dossier_data(request.POST))
            if request.POST.get("action") == "submit":
                services.dossier_submit(dossier=dossier, user=request.user)
                messages.success(
                    request,
                    _(
                        "Dossier déposé : l'accusé de réception et le récapitulatif vous sont "
                        "envoyés par courriel."
                    ),
                )
            else:
                messages.success(request, _("Brouillon enregistré."))
        except ServiceError as error:
            dossier.refresh_from_db()
            return render(
                request,
                "associations/dossier.html",
                _dossier_context(dossier, error=error, post=request.POST),
                status=400,
            )
        return redirect("associations:dossier", dossier.pk)
    return render(request, "associations/dossier.html", _dossier_context(dossier))


@login_required
@require_POST
def dossier_autosave(request, pk: int):
    """The draft saved as the member types (htmx posts the whole form after a pause): answers the small
    status fragment the form shows, never a page. Without JavaScript, "Enregistrer le brouillon" does the
    same through `dossier`. A refused draft keeps the last saved one and says why (200: htmx swaps only
    successful answers)."""
    dossier = selectors.dossier_get_for_member(user=request.user, pk=pk)
    if not dossier.is_editable:
        raise Http404
    try:
        services.dossier_save(dossier=dossier, user=request.user, data=_dossier_data(request.POST))
    except ServiceError as error:
        return render(request, "associations/_draft_status.html", {"error": error})
    return render(
        request, "associations/_draft_status.html", {"saved_at": timezone.localtime().strftime("%H:%M")}
    )


@login_required
def dossier_pdf(request, pk: int):
    dossier = selectors.dossier_get_for_member(user=request.user, pk=pk)
    if not dossier.request_id:
        raise Http404
    document = summary_ensure(dossier_id=dossier.pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type="application/pdf",
    )


@login_required
def report(request, pk: int):
    dossier = selectors.dossier_get_for_member(user=request.user, pk=pk)
    report = getattr(dossier, "report", None)
    if report is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.report_submit(
                report=report,
                user=request.user,
                actual={c: request.POST.get(f"b_{c}", "") for c in budget_rules.ACCOUNTS},
                review=request.POST.get("review", ""),
            )
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, _("Compte-rendu financier déposé."))
            return redirect("associations:dossier", dossier.pk)
    actual = (
        {c: request.POST.get(f"b_{c}", "") for c in budget_rules.ACCOUNTS}
        if request.method == "POST"
        else report.actual
    )
    return render(
        request,
        "associations/report.html",
        {
            "dossier": dossier,
            "report": report,
            "error": error,
            "grid": budget_rules.grid_rows(dossier.budget, actual),
            "review": request.POST.get("review", report.review),
        },
        status=400 if error else 200,
    )


# --- Instruction ------------------------------------------------------------------------------------------


def _instructor(request):
    if not services.is_instructor(request.user):
        raise Http404


def instruction(request):
    _instructor(request)
    return render(request, "associations/instruction.html", {"campaigns": selectors.campaigns_public()})


def instruction_campaign(request, pk: int):
    _instructor(request)
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
            _error(form, error)
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
    _instructor(request)
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
    _instructor(request)
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
                _error(form, error)
                if error.code == "status":
                    # The dossier moved on (another instructor, another tab): the action's form may no longer
                    # be on the page, so the message goes at its top.
                    messages.error(request, error.message)
            else:
                messages.success(request, _("Enregistré."))
                return redirect("associations:instruction_dossier", pk)
        bound[action] = form
    context = _dossier_context(dossier)
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
    _instructor(request)
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
