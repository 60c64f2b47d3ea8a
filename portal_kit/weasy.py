"""The WeasyPrint side of portal_kit.pdf, imported at the first PDF rather than when Django starts."""

import logging
import mimetypes
import threading

from django.conf import settings
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from portal_kit.pdf_resources import PdfResourceError, ResourceRefused, static_file_for

# WeasyPrint logs each rendering step at INFO: seven lines per receipt would drown the workers' logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


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


def write_pdf(html: str) -> bytes:
    try:
        document = HTML(string=html, base_url=settings.SITE_URL + "/", url_fetcher=StaticOnlyURLFetcher())
        # Tagged PDF/UA-1 (structure, language, title) for screen readers, as RGAA asks of documents;
        # it costs about 2 ms a receipt.
        return document.write_pdf(font_config=_font_config(), pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as exc:
        # WeasyPrint's fatal error is a BaseException: turned into an ordinary one, so that callers' usual
        # `except Exception` (the outbox records the error and retries) still applies.
        raise PdfResourceError(f"{exc} ({exc.__cause__})") from exc.__cause__
