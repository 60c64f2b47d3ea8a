"""Django templates to PDF with WeasyPrint, with no network: the only resources a document may load are our
own static files (read from disk) and data: URIs. Everything else (http, https, file://, ftp…) is refused
and stops the rendering, so a template that points elsewhere fails its tests instead of leaking requests
from a worker (or reading local files) in production.

Rendering is CPU-bound and runs in Celery workers, outside any transaction (docs/style.md)."""

import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# WeasyPrint logs each rendering step at INFO: seven lines per receipt would drown the workers' logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


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


class StaticOnlyURLFetcher(URLFetcher):
    """WeasyPrint's fetcher, limited to data: URIs and our static files; anything else raises."""

    def __init__(self):
        # fail_on_errors: a refused or missing resource stops the rendering (a loud template bug) rather
        # than producing a document with a hole in it.
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=True)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_file_for(url)
        if path is None:
            raise ResourceRefused(
                f"ressource refusée dans un PDF (seuls nos fichiers statiques) : {url[:200]}"
            )
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers = {"Content-Type": content_type + ("; charset=utf-8" if content_type == "text/css" else "")}
        return URLFetcherResponse(url, path.read_bytes(), headers)


# Fontconfig's set-up (reading the system fonts) is the slow part of a first render; a FontConfiguration
# is reusable across documents as long as they declare no @font-face (ours use system fonts), so each
# thread keeps one (they are not documented as thread-safe, and workers may run threads).
_local = threading.local()


def _font_config() -> FontConfiguration:
    font_config = getattr(_local, "font_config", None)
    if font_config is None:
        font_config = _local.font_config = FontConfiguration()
    return font_config


def pdf_from_html(html: str) -> bytes:
    """PDF bytes of an HTML document whose relative links resolve against SITE_URL (so /static/… finds our
    static files). Raises PdfResourceError when it links anything else."""
    try:
        document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=StaticOnlyURLFetcher())
        # Tagged PDF/UA-1 (structure, language, title) for screen readers, as RGAA asks of documents;
        # it costs about 2 ms a receipt.
        return document.write_pdf(font_config=_font_config(), pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as exc:
        # WeasyPrint's fatal error is a BaseException: turned into an ordinary one, so that callers' usual
        # `except Exception` (the outbox records the error and retries) still applies.
        raise PdfResourceError(f"{exc} ({exc.__cause__})") from exc.__cause__


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template (HTML for print, linking static/css/pdf.css) to PDF bytes, in French."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return pdf_from_html(html)
