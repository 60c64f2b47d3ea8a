"""The one place that refuses hostile input before any view sees it.

A NUL byte is never part of what a person types: PostgreSQL refuses it in text ("A string literal cannot
contain NUL (0x00) characters"), so a `%00` in a search, a reference or a street made any page that used the
value answer 500 — anonymous pages included — and a streamed export end after its header. Rather than strip
it (which would silently change what was asked), the request is refused with 400 and a short French page,
whatever the view: path, query string and form fields (names and values) alike.

Other shapes of bad input (dates out of range, unknown choices, huge numbers) belong to the parsing of each
value: see portal_kit.dates for dates.
"""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import TemplateDoesNotExist, loader

logger = logging.getLogger("portal_kit.input_cleaning")

NUL = "\x00"

# Used until the portal's own 400 page exists (templates/400.html); no inline style or script (CSP).
FALLBACK_PAGE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Requête invalide — Ville de Béthune</title></head>
<body>
<main>
<h1>Requête invalide</h1>
<p>L'adresse ou le formulaire contient un caractère non autorisé. Corrigez votre saisie et réessayez.</p>
<p><a href="/">Retour à l'accueil</a></p>
</main>
</body>
</html>
"""


def has_nul(values) -> bool:
    """Whether a QueryDict (or any multi-value mapping) holds a NUL byte in a name or a value."""
    for key, items in values.lists():
        if NUL in key or any(isinstance(item, str) and NUL in item for item in items):
            return True
    return False


def refused_input(request: HttpRequest) -> str | None:
    """Where the request carries a NUL byte ("path", "query", "form"), or None when it is clean."""
    if NUL in request.path_info:
        return "path"
    if has_nul(request.GET):
        return "query"
    # request.POST is only parsed for form bodies (urlencoded or multipart): CsrfViewMiddleware reads it
    # for every POST anyway, so reading it here costs nothing more.
    if request.method == "POST" and has_nul(request.POST):
        return "form"
    return None


def bad_request_response(request: HttpRequest) -> HttpResponse:
    """The portal's 400 page when it exists, else a minimal French one."""
    try:
        template = loader.get_template("400.html")
    except TemplateDoesNotExist:
        return HttpResponseBadRequest(FALLBACK_PAGE, content_type="text/html; charset=utf-8")
    # Rendered without the request, like django.views.defaults.bad_request: the page must not depend on it.
    return HttpResponseBadRequest(template.render({"request_path": request.path}))


class InputCleaningMiddleware:
    """Answers 400 to any request whose path, query string or form fields hold a NUL byte."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = refused_input(request)
        if where is not None:
            logger.info("Refused a NUL byte in the %s of %s", where, request.path_info.replace(NUL, "\\0"))
            return bad_request_response(request)
        return self.get_response(request)
