"""A resident's personal data ("Mes données", RGPD): the page that explains it, the download of all of it
(requests_app/personal_data.py) and the deletion of the account (requests_app/services/retention.py). Every
page answers `Cache-Control: no-store`; none needs JavaScript."""

import tempfile

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import TemplateView

from portal_kit import ratelimit
from requests_app import selectors, services
from requests_app.errors import ServiceError
from requests_app.forms import AccessibleFormMixin
from requests_app.personal_data import personal_data_zip
from requests_app.registry import registry

# Building an archive reads every file of the account: a few per hour are plenty for one person.
DOWNLOAD_LIMIT = 5
DOWNLOAD_WINDOW_SECONDS = 3600
# Re-typing the password guards against a session left open; this stops guessing it from there.
DELETE_ATTEMPTS_LIMIT = 5
DELETE_WINDOW_SECONDS = 900


class AccountDeleteForm(AccessibleFormMixin, forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("Pour confirmer qu'il s'agit bien de vous."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password


def retention_context() -> dict:
    """The durations the code applies, for the pages that state them (the privacy page, "Mes données")."""
    return {
        "closed_request_years": settings.PORTAL_RETENTION["closed_request_years"],
        "draft_days": settings.PORTAL_DRAFT_DAYS,
        # What each app keeps beside the requests, from its registration (requests_app.registry).
        "app_notices": [
            {"title": n.title, "data": n.data, "why": n.why, "how_long": n.how_long()}
            for _name, hooks in registry.personal_data()
            for n in hooks.notices
        ],
    }


class PrivacyView(TemplateView):
    """The privacy page: what is kept, why and how long, with the numbers the code uses."""

    template_name = "legal/donnees_personnelles.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **retention_context()}


@never_cache
@login_required
@require_GET
def my_data(request):
    return render(
        request,
        "requests_app/account/my_data.html",
        {**retention_context(), "may_delete": services.account_may_delete(user=request.user)},
    )


@never_cache
@login_required
@require_GET
def my_data_download(request):
    if not ratelimit.hit(
        scope="personal-data",
        identity=str(request.user.pk),
        limit=DOWNLOAD_LIMIT,
        window=DOWNLOAD_WINDOW_SECONDS,
    ):
        return render(
            request,
            "requests_app/account/my_data.html",
            {
                **retention_context(),
                "may_delete": services.account_may_delete(user=request.user),
                "limited": True,
            },
            status=429,
        )
    # Built in a temporary file (on disk past 8 Mo), streamed by FileResponse, removed when it is closed.
    archive = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # closed by FileResponse
    personal_data_zip(user=request.user, into=archive)
    archive.seek(0)
    response = FileResponse(
        archive,
        as_attachment=True,
        filename=f"mes-donnees-bethune-{timezone.localdate():%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    user = request.user
    if not services.account_may_delete(user=user):
        return render(request, "requests_app/account/delete.html", {"staff": True})
    blockers = [
        {"request": blocker, "url": _owner_url(blocker)}
        for blocker in services.account_deletion_blockers(user=user)
    ]
    form = AccountDeleteForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST" and not blockers:
        if not ratelimit.hit(
            scope="account-delete",
            identity=str(user.pk),
            limit=DELETE_ATTEMPTS_LIMIT,
            window=DELETE_WINDOW_SECONDS,
        ):
            form.is_valid()
            form.add_error(None, _("Trop d'essais. Patientez quelques minutes avant de recommencer."))
            status = 429
        elif form.is_valid():
            try:
                services.account_delete(user=user)
            except ServiceError as error:
                form.add_service_error(error)
            else:
                logout(request)
                return redirect("requests_app:account_deleted")
        if status == 200 and form.errors:
            status = 400
    return render(
        request,
        "requests_app/account/delete.html",
        {"form": form, "blockers": blockers, **retention_context()},
        status=status,
    )


def _owner_url(blocker) -> str | None:
    owner = selectors.ownership_of(request=blocker)
    return owner.resident_path(blocker) if owner is not None else None


@never_cache
@require_GET
def account_deleted(request):
    return render(request, "requests_app/account/deleted.html")
