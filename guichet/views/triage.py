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
from requests_app.errors import OwnedKindMove, ServiceError
from requests_app.models import Request
from requests_app.selectors import attachment_get, ownership_of
from requests_app.services import TRANSITIONS


def _allowed(req: Request) -> list[str]:
    return sorted(TRANSITIONS.get(req.status, set()))


def _context(request, req: Request, **forms) -> dict:
    template_id = selectors.id_from(request.GET.get("modele"))
    templates = list(selectors.reply_templates_for(request=req))
    initial_message = ""
    if template_id is not None:
        chosen = next((t for t in templates if t.pk == template_id), None)
        if chosen is not None:
            initial_message = reply_render(template=chosen, request=req, agent=request.user)
    owner = ownership_of(request=req)
    return {
        "req": req,
        # A booking's request follows its booking: agents change it from the agenda, not here.
        "owner": owner,
        "owner_path": owner.agent_path(req) if owner else None,
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


def _form_action(request, req: Request, form, form_name: str, *, invalid: ServiceError, perform, success):
    """The shape of every triage form: check the form, call one service, then back to the request page
    with `success` (a text, or a function of the cleaned data); a refusal shows the page again with the
    form's errors (400) and nothing changed."""
    if not form.is_valid():
        return _refused(request, req, invalid, form_name, form)
    try:
        perform(form.cleaned_data)
    except ServiceError as error:
        return _refused(request, req, error, form_name, form)
    messages.success(request, success(form.cleaned_data) if callable(success) else success)
    return redirect("guichet:request_detail", req.reference)


@_action
def assign(request, req: Request):
    return _form_action(
        request,
        req,
        AssignForm(request.POST, agents=selectors.agents_for_assignment(request=req)),
        "assign_form",
        invalid=ServiceError(_("Choisissez un agent de la liste.")),
        perform=lambda data: services.request_assign(
            request=req, actor=request.user, assignee=data["assignee"]
        ),
        success=_("Attribution enregistrée."),
    )


@_action
def transition(request, req: Request):
    return _form_action(
        request,
        req,
        TransitionForm(request.POST, allowed=_allowed(req)),
        "transition_form",
        invalid=ServiceError(_("Ce changement de statut n'est pas possible.")),
        perform=lambda data: services.request_transition(
            request=req, to_status=data["to_status"], actor=request.user, message=data["message"]
        ),
        success=_("Statut mis à jour ; le demandeur est prévenu."),
    )


@_action
def message(request, req: Request):
    return _form_action(
        request,
        req,
        MessageForm(request.POST),
        "message_form",
        invalid=ServiceError(_("Écrivez votre message."), field="body"),
        perform=lambda data: services.request_message_post(
            request=req,
            author=request.user,
            body=data["body"],
            files=request.FILES.getlist("files"),
            internal=data["internal"],
        ),
        success=lambda data: (
            _("Note interne ajoutée.") if data["internal"] else _("Message envoyé au demandeur.")
        ),
    )


@_action
def change_service(request, req: Request):
    owner = ownership_of(request=req)
    if owner is not None:
        # The page does not offer the move; a forged POST gets the spine's reason, not a form error.
        return _refused(request, req, OwnedKindMove(owner.noun))
    response = _form_action(
        request,
        req,
        ServiceChangeForm(request.POST),
        "service_form",
        invalid=ServiceError(_("Choisissez un service de la liste."), field="service"),
        perform=lambda data: services.request_change_service(
            request=req, actor=request.user, service=data["service"]
        ),
        success=_("Service modifié ; l'échéance a été recalculée."),
    )
    if response.status_code == 302:
        # The request may now belong to another espace than the agent's: back to the queue in that case.
        try:
            selectors.request_get_for_agent(user=request.user, reference=req.reference)
        except Http404:
            return redirect("guichet:queue")
    return response


@_action
def set_priority(request, req: Request):
    return _form_action(
        request,
        req,
        PriorityForm(request.POST),
        "priority_form",
        invalid=ServiceError(_("Priorité inconnue."), field="priority"),
        perform=lambda data: services.request_set_priority(
            request=req, actor=request.user, priority=data["priority"]
        ),
        success=_("Priorité modifiée."),
    )


@_action
def mark_duplicate(request, req: Request):
    def perform(data):
        try:
            original = selectors.request_get_for_agent(
                user=request.user, reference=data["original"].strip().upper()
            )
        except Http404:
            raise ServiceError(
                _("Aucune demande de vos espaces ne porte cette référence."), field="original"
            ) from None
        services.request_mark_duplicate(
            request=req, actor=request.user, original=original, message=data["message"]
        )

    return _form_action(
        request,
        req,
        DuplicateForm(request.POST),
        "duplicate_form",
        invalid=ServiceError(_("Indiquez la référence de la demande d'origine."), field="original"),
        perform=perform,
        success=lambda data: (
            _("Demande close comme doublon de %(ref)s.") % {"ref": data["original"].strip().upper()}
        ),
    )


@agent_required
@require_GET
def receipt(request, reference: str):
    from requests_app.documents import receipt_ensure

    req, _visible = selectors.request_get_filed_or_visible(user=request.user, reference=reference)
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
    # Whatever a resident uploaded never runs in the agent's browser, even opened inline.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
