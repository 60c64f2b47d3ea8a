"""Helpers of the guichet tests (queue, triage, bulk, intake, export, visits). Requests are filed by the test
kit's one factory, `submitted_request` (tests/requests_app/factories.py), over the demo catalogue
(catalogue_seed); `file_request` is that factory with the guichet's defaults: a Tranquillité publique
service, rue Hoche n° 12, the lamp-post description. The guichet's own rows (reply templates, saved
filters) are made by factories. Fixtures the guichet tests share are in tests/guichet/conftest.py."""

import factory
from django.core.cache import cache

from guichet.models import ReplyTemplate, SavedFilter
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Channel, Request, Service
from tests.requests_app.factories import espace, site, street, submitted_request
from tests.requests_app.factories import service as catalogue_service

__all__ = [
    "FAMILLE_SERVICE",
    "TRANQUILLITE_OTHER_SERVICE",
    "TRANQUILLITE_SERVICE",
    "ReplyTemplateFactory",
    "SavedFilterFactory",
    "espace",
    "file_request",
    "refreshed",
    "seed",
    "service",
    "site",
    "street",
]

# A service of each espace the tests use, with no required extra question.
TRANQUILLITE_SERVICE = "eclairage-public"  # SLA 5 working days, address required
TRANQUILLITE_OTHER_SERVICE = "tag"  # SLA 10 working days
FAMILLE_SERVICE = "acte-etat-civil"  # SLA 5 working days


def seed() -> None:
    """The demo catalogue, and no cached reference names or menus from a previous test (ids differ)."""
    catalogue_seed()
    cache.clear()


def service(code: str = TRANQUILLITE_SERVICE) -> Service:
    return catalogue_service(code)


def file_request(
    *,
    code: str = TRANQUILLITE_SERVICE,
    requester=None,
    channel: str = Channel.WEB,
    site_code: str | None = None,
    created_by=None,
    description: str = "Le lampadaire devant le numéro 12 clignote toute la nuit.",
    street_name: str | None = "rue Hoche",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> Request:
    """A submitted request (submitted_request with the guichet's defaults). Without a requester, a contact
    with an email address; `street_name=None` for a service that needs no address."""
    return submitted_request(
        service=code,
        requester=requester,
        channel=channel,
        site=site_code,
        created_by=created_by,
        description=description,
        street=street_name,
        street_number="12" if street_name else "",
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
    )


def refreshed(request: Request) -> Request:
    return Request.objects.get(pk=request.pk)


class ReplyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyTemplate

    title = factory.Sequence(lambda n: f"Réponse type n° {n}")
    body = "Bonjour {nom}, votre demande {reference} a été traitée. Cordialement."
    espace = None
    active = True


class SavedFilterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedFilter

    name = factory.Sequence(lambda n: f"Vue n° {n}")
    query = "onglet=ouvertes"
    shared_with = None
    is_default = False
