"""The dossier (CERFA 12156) for the association's members: the form with its grids, saved as a draft
(the button, or htmx as one types: `dossier_autosave`), submitted, read once submitted; its summary PDF and
the compte-rendu financier."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from associations import budget as budget_rules
from associations import selectors, services
from associations.documents import summary_ensure
from associations.models import DossierVersion
from portal_kit.dates import parse_date
from requests_app.errors import ServiceError
from requests_app.models import Quartier


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


def dossier_context(dossier, *, error=None, post=None):
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
                dossier_context(dossier, error=error, post=request.POST),
                status=400,
            )
        return redirect("associations:dossier", dossier.pk)
    return render(request, "associations/dossier.html", dossier_context(dossier))


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
