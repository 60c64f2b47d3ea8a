from django.conf import settings
from django.urls import reverse

from requests_app.registry import MenuEntry, registry


def _sees(entry: MenuEntry, user) -> bool:
    if entry.audience == "all":
        return True
    if not (user and user.is_authenticated):
        return False
    if entry.audience == "agent":
        return user.is_agent
    if entry.audience == "manager":
        return user.sees_every_espace
    return True


def _nav_items(request) -> list[dict]:
    """The menu: every app's entries from its registration (requests_app.registry), for this person."""
    user = getattr(request, "user", None)
    items = []
    for entry in registry.menu():
        if not _sees(entry, user):
            continue
        url = reverse(entry.url_name)
        items.append({"label": entry.label, "url": url, "current": request.path.startswith(url)})
    return items


def portal(request):
    """Names and menu every page shows, kept in one place."""
    return {
        "TOWN_NAME": "Ville de Béthune",
        "SERVICE_NAME": "Services en ligne aux habitants",
        "SITE_URL": settings.SITE_URL,
        "NAV_ITEMS": _nav_items(request),
    }
