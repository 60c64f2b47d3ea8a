from django.shortcuts import render
from django.views.decorators.http import require_GET

from requests_app import selectors


@require_GET
def home(request):
    return render(
        request,
        "home.html",
        {
            "espaces": selectors.espace_list(),
            "sites": selectors.site_list_with_hours(),
        },
    )


@require_GET
def legal_notice(request):
    return render(request, "legal/mentions_legales.html")


@require_GET
def accessibility(request):
    return render(request, "legal/accessibilite.html")


@require_GET
def privacy(request):
    return render(request, "legal/donnees_personnelles.html")
