"""The sign-in log for the administrators: every sign-in and every failed attempt becomes a
`SignInEvent` row (who, or the address typed; the client's IP; when; success), read-only in the admin.

Django sends `user_logged_in` from `django.contrib.auth.login` (allauth's login ends there, after its
MFA stage) and `user_login_failed` from `authenticate` (allauth's login form calls it). The receivers
only call `signin_event_record`. Connected in `AccountsConfig.ready()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from accounts.models import SignInEvent
from portal_kit.client_ip import client_ip

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

EMAIL_MAX = SignInEvent._meta.get_field("email").max_length


def signin_event_record(
    *, request: HttpRequest | None, success: bool, user: User | None, email: str
) -> SignInEvent:
    """Append one row; a failed attempt naming an existing account is linked to it."""
    email = (email or "").strip()[:EMAIL_MAX]
    if user is None and email:
        user = get_user_model().objects.filter(email__iexact=email).first()
    return SignInEvent.objects.create(
        user=user,
        email=email or (user.email if user is not None else ""),
        ip=client_ip(request) if request is not None else "",
        success=success,
    )


def on_user_logged_in(sender, request=None, user=None, **kwargs) -> None:
    signin_event_record(request=request, success=True, user=user, email=getattr(user, "email", ""))


def on_user_login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    # Django hides the password in `credentials`; the login is under the user model's USERNAME_FIELD
    # ("email"), or "username" for a caller that does not know it.
    credentials = credentials or {}
    typed = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or ""
    signin_event_record(request=request, success=False, user=None, email=str(typed))
