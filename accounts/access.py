"""Who may open the back office (the guichet, the agents' agendas): agents, supervisors, managers and
administrators. Everyone else, anonymous visitors included, gets 404: not 403 and not the login page,
so the back office does not even confirm that a URL exists. Agents sign in from the public login page.

This module sits in accounts, below every app that has back-office pages, so they all share one rule."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse

if TYPE_CHECKING:
    from accounts.models import User


def agent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Lets agents through; answers 404 to everyone else (anonymous visitors, residents, inactive staff)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and user.is_agent):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def agent_espace_ids(user: User) -> list[int] | None:
    """The espaces whose work the agent sees; None means every espace (supervisors, managers,
    administrators). Cached on the user object: a page asks several times."""
    if user.sees_every_espace:
        return None
    if not hasattr(user, "_espace_ids"):
        user._espace_ids = list(user.espaces.values_list("pk", flat=True))
    return user._espace_ids


def admin_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The admin's login, through the one door: anonymous visitors go to allauth's login (rate-limited, with
    the second factor); a signed-in account that is not an administrator gets 404 like every back-office
    page, rather than allauth's 403, which would confirm the admin is there."""
    from allauth.account.decorators import secure_admin_login

    door = secure_admin_login(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not (user.is_active and user.is_staff):
            raise Http404
        return door(request, *args, **kwargs)

    return wrapper
