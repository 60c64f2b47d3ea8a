"""Who may use the guichet: agents, supervisors, managers and administrators. Everyone else gets 404,
not 403 and not a login page, so the back office does not even confirm that a URL exists."""

from functools import wraps

from django.http import Http404


def agent_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_agent):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def agent_espace_ids(user) -> list[int] | None:
    """The espaces whose requests the agent works on; None means every espace (supervisors, managers)."""
    if user.sees_every_espace:
        return None
    if not hasattr(user, "_espace_ids"):
        user._espace_ids = list(user.espaces.values_list("pk", flat=True))
    return user._espace_ids
