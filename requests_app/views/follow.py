"""Following a request: "Mes demandes", the request page, its receipt and attachments, replying, cancelling
and reopening; the same page and helpers serve the account (by reference) and the tracking link (signed
token) variants, which differ only in how the request is found and in the URLs they link to."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal_kit import ratelimit
from requests_app import links, selectors, services
from requests_app.errors import ServiceError
from requests_app.forms import MyRequestsFilterForm, ReopenForm, ReplyForm
from requests_app.models import EventKind, FieldType, Request, Status

# --- "Mes demandes" -----------------------------------------------------------------------------------------

PAGE_SIZE = 20


@login_required
@require_GET
def my_requests(request):
    services_filed = list(selectors.services_of_requester(user=request.user))
    form = MyRequestsFilterForm(request.GET or None, services=services_filed)
    filters = form.filters() if form.is_bound else {}
    page = Paginator(selectors.request_list_for_requester(user=request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    drafts = list(selectors.draft_list_for_requester(user=request.user))
    for draft in drafts:
        draft.expires_on = timezone.localdate(draft.updated_at + timedelta(days=settings.PORTAL_DRAFT_DAYS))
    return render(
        request,
        "requests_app/my_requests.html",
        {
            "form": form,
            "page": page,
            "drafts": drafts,
            "filtered": any(filters.values()) if filters else False,
            "today": timezone.localdate(),
        },
    )


# --- The request page, shared by both ways in -------------------------------------------------------------

# URL name of each page or action: (with an account, through the tracking link).
_URL_NAMES = {
    "detail": ("request_detail", "track"),
    "receipt": ("request_receipt", "track_receipt"),
    "attachment": ("request_attachment", "track_attachment"),
    "reply": ("request_reply", "track_reply"),
    "cancel": ("request_cancel", "track_cancel"),
    "reopen": ("request_reopen", None),
}


@dataclass
class Viewer:
    """Who is looking at a request and how they got there."""

    request: Request
    user: object | None  # the account acting; None through the tracking link
    is_requester: bool  # may reply, cancel, reopen (an agent of the espace only reads)
    token: str = ""  # the tracking token when through the link
    include_internal: bool = False

    def url(self, action: str, *args) -> str | None:
        account_name, track_name = _URL_NAMES[action]
        if self.token:
            return reverse(f"requests_app:{track_name}", args=[self.token, *args]) if track_name else None
        return reverse(f"requests_app:{account_name}", args=[self.request.reference, *args])


def _by_account(http_request, reference: str) -> Viewer:
    user = http_request.user
    request = selectors.request_get_for_user(user=user, reference=reference)
    is_requester = request.requester_id == user.pk
    return Viewer(
        request=request,
        user=user,
        is_requester=is_requester,
        include_internal=not is_requester and user.is_agent,
    )


def _by_token(token: str) -> Viewer:
    request = selectors.request_get_for_tracking(token=token)
    return Viewer(request=request, user=None, is_requester=True, token=token)


def _requester_only(viewer: Viewer) -> None:
    # An agent reading a request of their espace acts from the guichet, not as the requester.
    if not viewer.is_requester:
        raise Http404


STATUS_LABELS = {
    Status.NEW: gettext_lazy("Demande enregistrée"),
    Status.IN_PROGRESS: gettext_lazy("Prise en charge par les services de la Ville"),
    Status.AWAITING_CITIZEN: gettext_lazy("La Ville attend votre réponse"),
    Status.RESOLVED: gettext_lazy("Demande traitée"),
    Status.REJECTED: gettext_lazy("Demande refusée"),
    Status.CANCELLED: gettext_lazy("Demande annulée"),
}


def event_label(event) -> str:
    """The resident's words for a timeline row."""
    payload = event.payload or {}
    if event.kind == EventKind.SUBMITTED:
        return _("Demande déposée")
    if event.kind == EventKind.INFO_REQUESTED:
        return _("La Ville vous demande des informations complémentaires")
    if event.kind == EventKind.STATUS:
        if payload.get("reopened"):
            return _("Demande rouverte")
        if event.old_status == Status.AWAITING_CITIZEN and event.new_status == Status.IN_PROGRESS:
            return _("Votre réponse a été transmise : la demande est de nouveau en cours de traitement")
        return STATUS_LABELS.get(event.new_status, _("Changement de statut"))
    if event.kind == EventKind.MESSAGE:
        message = getattr(event, "message", None)
        return _("Message de la Ville") if message and message.from_staff else _("Votre message")
    if event.kind == EventKind.SERVICE:
        return _("Demande confiée au service « %(service)s »") % {"service": payload.get("to", "")}
    if event.kind == EventKind.DUPLICATE:
        return _("Rattachée à la demande %(reference)s, déjà signalée") % {
            "reference": payload.get("original", "")
        }
    if event.kind == EventKind.ATTACHMENT:
        return _("Pièce jointe ajoutée")
    if event.kind == EventKind.DOCUMENT:
        return _("Document disponible")
    if event.kind == EventKind.LINKED:
        return _("Demande rattachée à votre compte")
    if event.kind == EventKind.ASSIGNED:
        return _("Demande attribuée à un agent")
    if event.kind == EventKind.PRIORITY:
        return _("Priorité modifiée")
    return event.resident_kind_label or event.kind_label


def _answers(request: Request) -> list[tuple[str, str]]:
    rows = []
    for field in request.service.fields.all():
        if field.key not in request.answers:
            continue
        value = request.answers[field.key]
        if field.field_type == FieldType.YES_NO and isinstance(value, bool):
            value = _("Oui") if value else _("Non")
        elif field.field_type == FieldType.DATE and isinstance(value, str):
            try:
                value = date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                pass
        rows.append((field.label, value))
    return rows


def _render_detail(
    http_request, viewer: Viewer, *, reply_form=None, reopen_form=None, action_error="", status=200
):
    request = viewer.request
    timeline, thread = [], []
    for event in selectors.public_timeline(request=request):
        message = getattr(event, "message", None)
        if message is not None and not message.internal:
            for attachment in message.attachments.all():
                attachment.url = viewer.url("attachment", attachment.pk)
            thread.append(message)
        if event.kind != EventKind.MESSAGE:
            timeline.append({"at": event.at, "label": event_label(event)})
    filed_attachments = [a for a in selectors.public_attachments(request=request) if a.message_id is None]
    for attachment in filed_attachments:
        attachment.url = viewer.url("attachment", attachment.pk)
    actions = selectors.requester_actions(request=request)
    may_act = viewer.is_requester
    # A request owned by a domain app (a booking's) follows its own record: the requester cancels or moves
    # it on the app's page, not here (the spine would refuse); the thread stays.
    owner = selectors.ownership_of(request=request)
    domain_url = owner.resident_path(request) if owner is not None and may_act and request.is_open else None
    return render(
        http_request,
        "requests_app/request_detail.html",
        {
            "req": request,
            "viewer": viewer,
            "timeline": timeline,
            "thread": thread,
            "answers": _answers(request),
            "filed_attachments": filed_attachments,
            "can_reply": may_act and actions.can_reply,
            "can_cancel": may_act and owner is None and actions.can_cancel,
            "can_reopen": may_act
            and owner is None
            and actions.can_reopen
            and viewer.url("reopen") is not None,
            "domain_owner": owner,
            "domain_url": domain_url,
            "reopen_until": actions.reopen_until,
            "awaiting": request.status == Status.AWAITING_CITIZEN,
            "reply_form": reply_form or ReplyForm(),
            "reopen_form": reopen_form or ReopenForm(),
            "action_error": action_error,
            "urls": {name: viewer.url(name) for name in ("detail", "receipt", "reply", "cancel", "reopen")},
            "duplicate_of_url": _duplicate_url(viewer),
        },
        status=status,
    )


def _duplicate_url(viewer: Viewer) -> str | None:
    original = viewer.request.duplicate_of
    if original is None or not original.reference:
        return None
    if viewer.user is not None and (original.requester_id == viewer.user.pk or viewer.include_internal):
        return reverse("requests_app:request_detail", args=[original.reference])
    if (
        viewer.token
        and original.requester_id is None
        and original.contact_email == viewer.request.contact_email
    ):
        return reverse("requests_app:track", args=[links.tracking_token(original)])
    return None  # someone else's request: its reference is shown, its page is not theirs to open


def _receipt(viewer: Viewer):
    from requests_app.documents import receipt_ensure

    document = receipt_ensure(request_id=viewer.request.pk)
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _attachment(viewer: Viewer, pk: int):
    attachment = selectors.attachment_get(
        request=viewer.request, pk=pk, include_internal=viewer.include_internal
    )
    try:
        handle = attachment.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    # Served as a download with its sniffed type, never rendered by the browser as a page of ours.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# Replying stores a message (and up to PORTAL_MAX_FILES files) and shows it to an agent: a fixed window per
# request and per sender (the account, or the connection through the tracking link) keeps one resident, or
# a leaked link, from flooding a request or the agents' queue. Both counters move on every attempt.
REPLY_LIMIT_PER_REQUEST = 10
REPLY_LIMIT_PER_SENDER = 10
REPLY_WINDOW_SECONDS = 600


def _reply_within_limits(http_request, viewer: Viewer) -> bool:
    sender = (
        f"user:{viewer.user.pk}" if viewer.user is not None else f"ip:{ratelimit.client_ip(http_request)}"
    )
    request_ok = ratelimit.hit(
        scope="reply-request",
        identity=str(viewer.request.pk),
        limit=REPLY_LIMIT_PER_REQUEST,
        window=REPLY_WINDOW_SECONDS,
    )
    sender_ok = ratelimit.hit(
        scope="reply-sender", identity=sender, limit=REPLY_LIMIT_PER_SENDER, window=REPLY_WINDOW_SECONDS
    )
    return request_ok and sender_ok


def _reply(http_request, viewer: Viewer):
    _requester_only(viewer)
    form = ReplyForm(http_request.POST, http_request.FILES)
    if not _reply_within_limits(http_request, viewer):
        form.is_valid()  # bound and cleaned, so that the page shows what was typed with the refusal
        form.add_error(
            None,
            _(
                "Vous avez envoyé beaucoup de messages en peu de temps. "
                "Patientez quelques minutes avant d'écrire de nouveau."
            ),
        )
        return _render_detail(http_request, viewer, reply_form=form, status=429)
    if form.is_valid():
        try:
            services.request_message_post(
                request=viewer.request,
                author=viewer.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
                as_requester=True,
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(http_request, _("Votre message a été envoyé à la Ville."))
            return redirect(viewer.url("detail") + "#echanges")
    return _render_detail(http_request, viewer, reply_form=form, status=400)


def _cancel(http_request, viewer: Viewer):
    _requester_only(viewer)
    try:
        services.request_cancel(request=viewer.request, actor=viewer.user, as_requester=True)
    except ServiceError as error:
        return _render_detail(http_request, viewer, action_error=error.message, status=400)
    messages.success(http_request, _("Votre demande a été annulée."))
    return redirect(viewer.url("detail"))


def _reopen(http_request, viewer: Viewer):
    _requester_only(viewer)
    form = ReopenForm(http_request.POST)
    if form.is_valid():
        try:
            services.request_reopen(
                request=viewer.request,
                actor=viewer.user,
                message=form.cleaned_data["message"],
                as_requester=True,
            )
        except ServiceError as error:
            return _render_detail(
                http_request, viewer, reopen_form=form, action_error=error.message, status=400
            )
        messages.success(
            http_request, _("Votre demande est rouverte : les services de la Ville la reprennent.")
        )
        return redirect(viewer.url("detail"))
    return _render_detail(http_request, viewer, reopen_form=form, status=400)


# --- With an account --------------------------------------------------------------------------------------


@login_required
@require_GET
def request_detail(request, reference):
    return _render_detail(request, _by_account(request, reference))


@login_required
@require_GET
def request_receipt(request, reference):
    return _receipt(_by_account(request, reference))


@login_required
@require_GET
def request_attachment(request, reference, pk):
    return _attachment(_by_account(request, reference), pk)


@login_required
@require_POST
def request_reply(request, reference):
    return _reply(request, _by_account(request, reference))


@login_required
@require_POST
def request_cancel(request, reference):
    return _cancel(request, _by_account(request, reference))


@login_required
@require_POST
def request_reopen(request, reference):
    return _reopen(request, _by_account(request, reference))


# --- Through the tracking link (no account) ---------------------------------------------------------------


@require_GET
def track(request, token):
    return _render_detail(request, _by_token(token))


@require_GET
def track_receipt(request, token):
    return _receipt(_by_token(token))


@require_GET
def track_attachment(request, token, pk):
    return _attachment(_by_token(token), pk)


@require_POST
def track_reply(request, token):
    return _reply(request, _by_token(token))


@require_POST
def track_cancel(request, token):
    return _cancel(request, _by_token(token))


@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    """GET shows a button; only the POST confirms: mail scanners follow links, they do not submit forms.
    Once used, the link only says so: it never hands out the tracking link again (a forwarded email, a
    shared computer's history), which was emailed with the submission anyway (issue #20)."""
    filing = selectors.request_get_for_confirmation(token=token)
    error = ""
    if request.method == "POST" and filing.status == Status.DRAFT:
        try:
            filed = services.request_confirm_email(request=filing)
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _(
                    "Votre demande est enregistrée sous la référence %(reference)s. "
                    "Gardez ce lien pour la suivre."
                )
                % {"reference": filed.reference},
            )
            return redirect(links.request_path(filed))
    return render(
        request,
        "requests_app/confirm_email.html",
        {
            "filing": filing,
            "already": filing.status != Status.DRAFT,
            "error": error,
        },
        status=400 if error else 200,
    )
