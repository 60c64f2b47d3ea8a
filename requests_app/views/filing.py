"""Filing a démarche: the form (resident with a verified address, or someone without an account when the
service allows it), drafts, the confirmation page, and the page that asks to check one's emails."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal_kit import ratelimit
from requests_app import selectors, services
from requests_app.errors import ServiceError
from requests_app.forms import FilingForm

# Filing without an account sends an email to an address anyone can type: a fixed window per hour, per
# connection and per address, keeps the portal from being used to flood someone's mailbox.
ANONYMOUS_LIMIT_PER_IP = 5
ANONYMOUS_LIMIT_PER_EMAIL = 3
ANONYMOUS_WINDOW_SECONDS = 3600
_SENT_EMAIL_SESSION_KEY = "requests_app.anonymous_sent_email"


def _submission_key(post) -> uuid.UUID | None:
    try:
        return uuid.UUID(post.get("submission_key", ""))
    except ValueError:
        return None


def _anonymous_within_limits(request, email: str) -> bool:
    # Both counters move on every attempt, so neither a new address nor a new connection resets the other.
    ip_ok = ratelimit.hit(
        scope="file-ip",
        identity=ratelimit.client_ip(request),
        limit=ANONYMOUS_LIMIT_PER_IP,
        window=ANONYMOUS_WINDOW_SECONDS,
    )
    email_ok = ratelimit.hit(
        scope="file-email", identity=email, limit=ANONYMOUS_LIMIT_PER_EMAIL, window=ANONYMOUS_WINDOW_SECONDS
    )
    return ip_ok and email_ok


def _after_filing(request, filed, *, code: str):
    if filed.requester_id is None:
        request.session[_SENT_EMAIL_SESSION_KEY] = filed.contact_email
        return redirect("requests_app:anonymous_sent", code=code)
    return redirect("requests_app:request_confirmation", reference=filed.reference)


def _draft_expiry(draft):
    return timezone.localdate(draft.updated_at + timedelta(days=settings.PORTAL_DRAFT_DAYS))


@require_http_methods(["GET", "POST"])
def file_request(request, code):
    service = selectors.service_get_for_filing(code=code)
    if not service.online:
        return render(
            request,
            "requests_app/service_offline.html",
            {"service": service, "own_page_url": selectors.service_start_url(service=service)},
        )
    user = request.user if request.user.is_authenticated else None
    if user is None and not service.allow_anonymous:
        return redirect_to_login(request.get_full_path())
    if user is not None and not selectors.user_has_verified_email(user=user):
        messages.warning(
            request,
            _(
                "Avant de faire une démarche en ligne, confirmez votre adresse électronique : "
                "cliquez sur le lien que nous vous avons envoyé, ou demandez-en un nouveau ci-dessous."
            ),
        )
        return redirect("account_email")

    draft = None
    if user is not None and request.GET.get("brouillon"):
        try:
            draft_pk = int(request.GET["brouillon"])
        except ValueError:
            raise Http404 from None
        draft = selectors.draft_get_for_requester(user=user, pk=draft_pk)
        if draft.service_id != service.pk:
            return redirect(f"{reverse('requests_app:file', args=[draft.service.code])}?brouillon={draft.pk}")

    anonymous = user is None
    if request.method == "POST":
        # The same form posted twice (a double click, a reload): show what the first post filed.
        already = selectors.request_for_submission_key(key=_submission_key(request.POST), user=user)
        if already is not None and (anonymous or already.reference):
            return _after_filing(request, already, code=code)
        save_draft = not anonymous and request.POST.get("action") == "brouillon"
        form = FilingForm(
            request.POST,
            request.FILES,
            service=service,
            anonymous=anonymous,
            lenient=save_draft,
            existing_files=draft.attachments.count() if draft else 0,
        )
        if form.is_valid():
            data = form.filing_data()
            key = form.cleaned_data.get("submission_key")
            try:
                if anonymous:
                    if not _anonymous_within_limits(request, data.contact_email):
                        form.add_error(
                            None,
                            _(
                                "Trop de demandes ont été envoyées depuis cette connexion ou pour "
                                "cette adresse électronique. Réessayez dans une heure, ou créez un "
                                "compte pour suivre vos demandes."
                            ),
                        )
                    else:
                        filed = services.request_file_anonymous(
                            service=service, data=data, submission_key=key
                        )
                        return _after_filing(request, filed, code=code)
                elif save_draft:
                    saved = services.request_draft_save(
                        service=service, requester=user, data=data, draft=draft
                    )
                    messages.success(
                        request,
                        _(
                            "Brouillon enregistré. Vous pouvez le reprendre depuis « Mes demandes » "
                            "jusqu'au %(date)s."
                        )
                        % {"date": formats.date_format(_draft_expiry(saved), "j F Y")},
                    )
                    return redirect("requests_app:my_requests")
                else:
                    filed = services.request_submit(
                        service=service, requester=user, data=data, draft=draft, submission_key=key
                    )
                    return _after_filing(request, filed, code=code)
            except ServiceError as error:
                form.add_service_error(error)
    else:
        form = FilingForm(
            service=service,
            anonymous=anonymous,
            initial=FilingForm.initial_from_draft(draft) if draft else None,
        )

    return render(
        request,
        "requests_app/file.html",
        {
            "service": service,
            "form": form,
            "anonymous": anonymous,
            "draft": draft,
            "draft_attachments": list(draft.attachments.all()) if draft else [],
            "draft_expires_on": _draft_expiry(draft) if draft else None,
            "streets": selectors.street_list(),
            "files_to_choose_again": form.is_bound and bool(form.errors) and bool(request.FILES),
            "max_files": settings.PORTAL_MAX_FILES,
        },
    )


@require_GET
def anonymous_sent(request, code):
    service = selectors.service_get_for_filing(code=code)
    return render(
        request,
        "requests_app/anonymous_sent.html",
        {
            "service": service,
            "email": request.session.get(_SENT_EMAIL_SESSION_KEY, ""),
        },
    )


@login_required
@require_GET
def request_confirmation(request, reference):
    filed = selectors.request_get_for_requester(user=request.user, reference=reference)
    return render(request, "requests_app/confirmation.html", {"req": filed})


@login_required
@require_POST
def draft_delete(request, pk):
    draft = selectors.draft_get_for_requester(user=request.user, pk=pk)
    try:
        services.draft_delete(draft=draft, requester=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Le brouillon « %(service)s » a été supprimé.") % {"service": draft.service}
        )
    return redirect("requests_app:my_requests")
