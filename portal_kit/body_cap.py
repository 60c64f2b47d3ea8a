"""A cap on the whole request body. Gunicorn bounds the request line and headers but not the body, and
Django bounds only the non-file part of a form (DATA_UPLOAD_MAX_MEMORY_SIZE): without this, a client
could stream gigabytes of "attachments" that are refused only once received. The declared length is
checked before anything is read; a body over PORTAL_MAX_REQUEST_BODY_BYTES answers 413 in French."""

from django.conf import settings
from django.http import HttpResponse


class RequestBodyCapMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.PORTAL_MAX_REQUEST_BODY_BYTES
        if length > limit:
            return HttpResponse(
                f"Envoi trop volumineux : {length // (1024 * 1024)} Mo, le maximum est de "
                f"{limit // (1024 * 1024)} Mo. Joignez moins de fichiers ou des fichiers plus légers.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
