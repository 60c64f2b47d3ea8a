"""Django templates to PDF with WeasyPrint, with no network: the only resources a document may load are our
own static files (read from disk) and data: URIs. Everything else (http, https, file://, ftp…) is refused
and stops the rendering, so a template that points elsewhere fails its tests instead of leaking requests
from a worker (or reading local files) in production.

Rendering is CPU-bound and runs in Celery workers, outside any transaction (docs/style.md)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from portal_kit.pdf_resources import PdfResourceError, ResourceRefused, static_file_for

__all__ = ["PdfResourceError", "ResourceRefused", "pdf_from_html", "render_pdf", "static_file_for"]


def pdf_from_html(html: str) -> bytes:
    """PDF bytes of an HTML document whose relative links resolve against SITE_URL (so /static/… finds our
    static files). Raises PdfResourceError when it links anything else."""
    from portal_kit.weasy import write_pdf

    return write_pdf(html)


def __getattr__(name: str):
    # WeasyPrint is imported at the first PDF, not when Django starts (about 3 s of CPU per process start,
    # twice per `make run`): its fetcher class is reached through this module as before.
    if name == "StaticOnlyURLFetcher":
        from portal_kit.weasy import StaticOnlyURLFetcher

        return StaticOnlyURLFetcher
    raise AttributeError(name)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template (HTML for print, linking static/css/pdf.css) to PDF bytes, in French."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return pdf_from_html(html)
