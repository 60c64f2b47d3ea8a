"""`Cache-Control: no-store` on whatever is personal, so that no shared cache (a proxy, a CDN) and no
browser history keeps it: a page, an export or a file that a later user of the same computer, or the next
visitor behind the same proxy, could be served.

One rule, decided on the answer rather than per view, so that a new page cannot forget it. Personal is:
- anything answered to a signed-in person (their requests, the agents' queue, exports…);
- anything reached through a secret in its URL: a route with a `token` argument (tracking links, the
  emailed confirmation, appointment links) shows a request without an account;
- a download (`Content-Disposition`: exports, attachments, PDFs), whoever asks;
- an answer its view already marked `private`.
Anonymous public pages (home, catalogue, legal pages) stay cacheable."""

from django.conf import settings
from django.utils.cache import patch_cache_control


def _signed_in(request) -> bool:
    # Without a session cookie nobody is signed in: do not load a session just to learn it.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _through_a_secret_link(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "token" in match.kwargs


def is_personal(request, response) -> bool:
    return (
        response.has_header("Content-Disposition")
        or "private" in response.get("Cache-Control", "")
        or _through_a_secret_link(request)
        or _signed_in(request)
    )


class NoStoreMiddleware:
    """Marks personal answers `private, no-store` (see the module's docstring). Placed after
    AuthenticationMiddleware, which gives `request.user`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_personal(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response
