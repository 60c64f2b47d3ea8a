"""What a PDF may load (our static files, data: URIs) and the errors when it asks for more: apart from the
WeasyPrint side (portal_kit/weasy.py) so that importing them does not load WeasyPrint."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation


class ResourceRefused(ValueError):
    """A document asked for something other than one of our static files or a data: URI."""


class PdfResourceError(RuntimeError):
    """A resource of the document was refused or missing: the rendering stopped."""


def _static_prefixes() -> list[str]:
    """The URL prefixes a static file may be linked under: /static/ joined to the base URL (SITE_URL), and
    STATIC_URL itself when it is absolute (a CDN)."""
    static_url = settings.STATIC_URL
    if urlsplit(static_url).scheme:
        return [static_url]
    return [settings.SITE_URL + "/" + static_url.lstrip("/")]


def static_file_for(url: str) -> Path | None:
    """The local file a static URL designates, or None. The finders look in the source folders (dev,
    workers without collectstatic); the storage covers collected, hashed names ({% static %} under the
    manifest storage of production)."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    for prefix in _static_prefixes():
        if not url.startswith(prefix):
            continue
        name = unquote(url[len(prefix) :])
        if not name or name.startswith("/") or "\\" in name or ".." in name.split("/"):
            return None
        found = finders.find(name)
        if found:
            return Path(found)
        try:
            path = Path(staticfiles_storage.path(name))
        except (NotImplementedError, SuspiciousFileOperation):
            return None
        return path if path.is_file() else None
    return None
