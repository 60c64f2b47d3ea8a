"""The catalogue of démarches, by espace, with a search that works without JavaScript."""

from itertools import groupby

from django.shortcuts import render
from django.views.decorators.http import require_GET

from requests_app import selectors


@require_GET
def catalogue(request):
    query = request.GET.get("q", "").strip()[:100]
    services = list(selectors.service_catalogue(query=query))
    for service in services:
        service.own_page_url = None if service.online else selectors.service_start_url(service=service)
    groups = [(espace, list(items)) for espace, items in groupby(services, key=lambda s: s.espace)]
    return render(
        request,
        "requests_app/catalogue.html",
        {"groups": groups, "query": query, "count": len(services)},
    )


@require_GET
def street_suggestions(request):
    """htmx: the <option>s of the address datalist, narrowed to what is typed."""
    typed = request.GET.get("street", "")[:120]
    if len(typed.strip()) < 2:
        streets = selectors.street_list()  # too short to narrow: the whole list, as without JavaScript
    else:
        streets = selectors.street_suggestions(query=typed, limit=20)
    return render(request, "requests_app/includes/street_options.html", {"streets": streets})
