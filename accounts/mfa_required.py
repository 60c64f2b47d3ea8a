"""Two rules for staff sessions (agents, supervisors, managers, administrators: `User.is_agent`, plus
any `is_staff` account), applied to every request by two middlewares placed after allauth's.

**A second factor before any page** (`StaffMfaRequiredMiddleware`): while `PORTAL_STAFF_MFA_REQUIRED`
holds (always under production settings), a signed-in staff member without an authenticator (TOTP or
security key) is sent to allauth's TOTP activation page, which also hands out the recovery codes on
first activation (`MFA_RECOVERY_CODE_COUNT`). The rule covers every URL except those that must stay
reachable to enrol or leave: allauth's own pages (login, logout, re-authentication, MFA, password,
email; recognised by their view's module, not by a prefix), `/healthz`, the legal pages and static
files. A deny-by-default rule: a new back-office page (guichet, agents' agendas, admin, dashboards)
cannot be forgotten. Residents and association members are never redirected. Once enrolled, allauth's
login asks for the code at every sign-in (the admin's own login is replaced by allauth's:
`bethune_portal/urls.py`).

**Thirty minutes idle** (`StaffIdleExpiryMiddleware`): a staff session expires after
`PORTAL_STAFF_SESSION_IDLE_SECONDS` without a request; each request pushes the expiry back (sliding).
The session is rewritten at most once a minute (`REFRESH_SECONDS`), not on every page, so the real
idle limit is between 29 and 30 minutes. Residents keep `SESSION_COOKIE_AGE`."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest

# URL names outside allauth that a staff member without a second factor may still open.
EXEMPT_URL_NAMES = frozenset({"healthz", "legal_notice", "accessibility", "privacy"})
SEEN_KEY = "_staff_seen_at"
REFRESH_SECONDS = 60


def is_staff_member(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_agent))


def has_authenticator(user) -> bool:
    """TOTP or a security key; recovery codes alone do not count (they come with one of those)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def is_exempt(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 reveals nothing
    module = getattr(match.func, "__module__", "") or ""
    return module.startswith("allauth.") or match.url_name in EXEMPT_URL_NAMES


class StaffMfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.PORTAL_STAFF_MFA_REQUIRED
            and is_staff_member(request.user)
            and not is_exempt(request)
            and not has_authenticator(request.user)
        ):
            return self.enrol(request)
        return self.get_response(request)

    @staticmethod
    def enrol(request: HttpRequest) -> HttpResponse:
        url = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request"):
            # htmx would swap the activation page into a fragment: ask it to load the page instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        messages.warning(
            request,
            _(
                "Avant d'accéder aux pages des agents, activez la double authentification : "
                "scannez le QR code avec une application d'authentification, puis saisissez le code affiché."
            ),
        )
        return HttpResponseRedirect(url)


class StaffIdleExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # After the view: the logout request has no user by now.
        user = getattr(request, "user", None)
        if user is not None and is_staff_member(user):
            staff_session_refresh(request.session)
        return response


def staff_session_refresh(session, *, force: bool = False) -> None:
    """Push a staff session's expiry back to PORTAL_STAFF_SESSION_IDLE_SECONDS from now, writing the
    session at most once per REFRESH_SECONDS."""
    idle = int(settings.PORTAL_STAFF_SESSION_IDLE_SECONDS)
    now = int(time.time())
    seen = session.get(SEEN_KEY)
    if force or not isinstance(seen, int) or now - seen >= REFRESH_SECONDS or session.get_expiry_age() > idle:
        session[SEEN_KEY] = now
        session.set_expiry(idle)


def on_user_logged_in(sender, request=None, user=None, **kwargs) -> None:
    """At sign-in (allauth's, or a test's force_login), so that the session is short-lived from its
    first response and the next page does not write it again."""
    if request is not None and hasattr(request, "session") and user is not None and is_staff_member(user):
        staff_session_refresh(request.session, force=True)
