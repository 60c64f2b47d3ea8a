"""The home page: the six espaces and the two Guichet Unique sites with their hours."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from requests_app import selectors


@require_GET
def home(request):
    return render(
        request,
        "home.html",
        {"espaces": selectors.espace_list(), "sites": selectors.site_list_with_hours()},
    )
