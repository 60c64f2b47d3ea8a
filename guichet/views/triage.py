"""Triage on the agent's request page: claim, assign, re-file under another service, priority, status with a
reply template, messages and internal notes, duplicates. Each action calls one service; a refusal shows the
service's French message and changes nothing."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet import selectors
from guichet.access import agent_required
from guichet.forms import (
    AssignForm,
    DuplicateForm,
    MessageForm,
    PriorityForm,
    ServiceChangeForm,
    TransitionForm,
)
from guichet.services.replies import reply_render
from requests_app import services
from requests_app.errors import ServiceError
from requests_app.models import Request
from requests_app.selectors import attachment_get
from requests_app.services.workflow import TRANSITIONS


def _allowed(req: Request) -> list[str]:
    return sorted(TRANSITIONS.get(req.status, set()))


def _context(request, req: Request, **forms) -> dict:
    template_id = request.GET.get("modele", "")
    templates = list(selectors.reply_templates_for(request=req))
    initial_message = ""
    if template_id.isdigit():
        chosen = next((t for t in templates if t.pk == int(template_id)), None)
        if chosen is not None:
            initial_message = reply_render(template=chosen, request=req, agent=request.user)
    return {
        "req": req,
        "today": timezone.localdate(),
        "events": selectors.staff_timeline(request=req),
        "attachments": req.attachments.all(),
        "answers": [(f.label, req.answers[f.key]) for f in req.service.fields.all() if f.key in req.answers],
        "reply_templates": templates,
        "transition_form": forms.get("transition_form")
        or TransitionForm(allowed=_allowed(req), initial={"message": initial_message}),
        "message_form": forms.get("message_form") or MessageForm(initial={"body": initial_message}),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            agents=selectors.agents_for_assignment(request=req), initial={"assignee": req.assignee_id}
        ),
        "service_form": forms.get("service_form") or ServiceChangeForm(initial={"service": req.service_id}),
        "priority_form": forms.get("priority_form") or PriorityForm(initial={"priority": req.priority}),
        "duplicate_form": forms.get("duplicate_form") or DuplicateForm(),
        "allowed": _allowed(req),
    }


def _refused(request, req: Request, error: ServiceError, form_name: str | None = None, form=None):
    if form is not None and error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        messages.error(request, error.message)
    context = _context(request, req, **({form_name: form} if form_name else {}))
    return render(request, "guichet/request_detail.html", context, status=400)


@agent_required
@require_GET
def request_detail(request, reference: str):
    req = selectors.request_get_for_agent(user=request.user, reference=reference)
    return render(request, "guichet/request_detail.html", _context(request, req))


def _action(view):
    """POST-only, agents only, and the request must be in the agent's espaces (404 otherwise)."""

    @agent_required
    @require_POST
    def wrapper(request, reference: str, *args, **kwargs):
        req = selectors.request_get_for_agent(user=request.user, reference=reference)
        return view(request, req, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@_action
def claim(request, req: Request):
    try:
        services.request_claim(request=req, agent=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vous avez pris en charge la demande %(ref)s.") % {"ref": req.reference})
    return redirect("guichet:request_detail", req.reference)


@_action
def assign(request, req: Request):
    form = AssignForm(request.POST, agents=selectors.agents_for_assignment(request=req))
    if not form.is_valid():
        return _refused(
            request, req, ServiceError(_("Choisissez un agent de la liste.")), "assign_form", form
        )
    try:
        services.request_assign(request=req, actor=request.user, assignee=form.cleaned_data["assignee"])
    except ServiceError as error:
        return _refused(request, req, error, "assign_form", form)
    messages.success(request, _("Attribution enregistrée."))
    return redirect("guichet:request_detail", req.reference)


@_action
def transition(request, req: Request):
    form = TransitionForm(request.POST, allowed=_allowed(req))
    if not form.is_valid():
        return _refused(
            request,
            req,
            ServiceError(_("Ce changement de statut n'est pas possible.")),
            "transition_form",
            form,
        )
    try:
        services.request_transition(
            request=req,
            to_status=form.cleaned_data["to_status"],
            actor=request.user,
            message=form.cleaned_data["message"],
        )
    except ServiceError as error:
        return _refused(request, req, error, "transition_form", form)
    messages.success(request, _("Statut mis à jour ; le demandeur est prévenu."))
    return redirect("guichet:request_detail", req.reference)


@_action
def message(request, req: Request):
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, req, ServiceError(_("Écrivez votre message."), field="body"), "message_form", form
        )
    try:
        services.request_message_post(
            request=req,
            author=request.user,
            body=form.cleaned_data["body"],
            files=request.FILES.getlist("files"),
            internal=form.cleaned_data["internal"],
        )
    except ServiceError as error:
        return _refused(request, req, error, "message_form", form)
    messages.success(
        request,
        _("Note interne ajoutée.") if form.cleaned_data["internal"] else _("Message envoyé au demandeur."),
    )
    return redirect("guichet:request_detail", req.reference)


@_action
def change_service(request, req: Request):
    form = ServiceChangeForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            req,
            ServiceError(_("Choisissez un service de la liste."), field="service"),
            "service_form",
            form,
        )
    try:
        services.request_change_service(request=req, actor=request.user, service=form.cleaned_data["service"])
    except ServiceError as error:
        return _refused(request, req, error, "service_form", form)
    messages.success(request, _("Service modifié ; l'échéance a été recalculée."))
    # The request may now belong to another espace than the agent's: back to the queue in that case.
    try:
        selectors.request_get_for_agent(user=request.user, reference=req.reference)
    except Http404:
        return redirect("guichet:queue")
    return redirect("guichet:request_detail", req.reference)


@_action
def set_priority(request, req: Request):
    form = PriorityForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, req, ServiceError(_("Priorité inconnue."), field="priority"), "priority_form", form
        )
    services.request_set_priority(request=req, actor=request.user, priority=form.cleaned_data["priority"])
    messages.success(request, _("Priorité modifiée."))
    return redirect("guichet:request_detail", req.reference)


@_action
def mark_duplicate(request, req: Request):
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            req,
            ServiceError(_("Indiquez la référence de la demande d'origine."), field="original"),
            "duplicate_form",
            form,
        )
    try:
        original = selectors.request_get_for_agent(
            user=request.user, reference=form.cleaned_data["original"].strip().upper()
        )
    except Http404:
        return _refused(
            request,
            req,
            ServiceError(_("Aucune demande de vos espaces ne porte cette référence."), field="original"),
            "duplicate_form",
            form,
        )
    try:
        services.request_mark_duplicate(
            request=req, actor=request.user, original=original, message=form.cleaned_data["message"]
        )
    except ServiceError as error:
        return _refused(request, req, error, "duplicate_form", form)
    messages.success(request, _("Demande close comme doublon de %(ref)s.") % {"ref": original.reference})
    return redirect("guichet:request_detail", req.reference)


@agent_required
@require_GET
def receipt(request, reference: str):
    from requests_app.documents import receipt_ensure

    req = selectors.request_get_for_agent(user=request.user, reference=reference)
    document = receipt_ensure(request_id=req.pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=request.GET.get("imprimer") != "1",
        filename=document.filename,
        content_type="application/pdf",
    )


@agent_required
@require_GET
def attachment(request, reference: str, pk: int):
    req = selectors.request_get_for_agent(user=request.user, reference=reference)
    item = attachment_get(request=req, pk=pk, include_internal=True)
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
