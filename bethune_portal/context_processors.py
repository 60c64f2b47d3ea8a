from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, URL name, who sees it): a page joins the menu when its app serves it, with no edit here.
_NAV = [
    (_("Démarches"), "requests_app:catalogue", "all"),
    (_("Mes demandes"), "requests_app:my_requests", "authenticated"),
    (_("Rendez-vous"), "appointments:home", "all"),
    (_("Guichet"), "guichet:queue", "agent"),
    (_("Tableaux de bord"), "dashboards:home", "agent"),
]


def _nav_items(request) -> list[dict]:
    user = getattr(request, "user", None)
    items = []
    for label, url_name, audience in _NAV:
        if audience == "authenticated" and not (user and user.is_authenticated):
            continue
        if audience == "agent" and not (user and user.is_authenticated and user.is_agent):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return items


def portal(request):
    """Names and menu every page shows, kept in one place."""
    return {
        "TOWN_NAME": "Ville de Béthune",
        "SERVICE_NAME": "Services en ligne aux habitants",
        "SITE_URL": settings.SITE_URL,
        "NAV_ITEMS": _nav_items(request),
    }
