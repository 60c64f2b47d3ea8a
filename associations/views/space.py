"""The association's space: declare and edit the association, its members and invitations, its document
vault, a new dossier. Members only (associations.selectors.association_get_for_member: others 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from associations import forms, selectors, services
from associations.models import Campaign, DocumentType, Membership
from associations.views.common import form_error
from requests_app.errors import ServiceError


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
            form_error(form, error)
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
            form_error(form, error)
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
            form_error(form, error)
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
            form_error(form, error)
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
            form_error(form, error)
        else:
            return redirect("associations:dossier", dossier.pk)
    return render(
        request,
        "associations/association.html",
        _association_context(request, association, membership, dossier_form=form),
        status=400,
    )
