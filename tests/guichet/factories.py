"""Helpers of the guichet tests (queue, triage, bulk, intake, export). Requests are filed through the spine's
services (request_submit) over the demo catalogue (catalogue_seed), as the counter or the web would file them;
the guichet's own rows (reply templates, saved filters) are made by factories."""

import factory
from django.core.cache import cache

from guichet.models import ReplyTemplate, SavedFilter
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Channel, Espace, FieldType, Request, Service, Site, Street
from requests_app.services import FilingData, request_submit

# A service of each espace the tests use, with no required extra question.
TRANQUILLITE_SERVICE = "eclairage-public"  # SLA 5 working days, address required
TRANQUILLITE_OTHER_SERVICE = "tag"  # SLA 10 working days
FAMILLE_SERVICE = "acte-etat-civil"  # SLA 5 working days


def seed() -> None:
    """The demo catalogue, and no cached reference names or menus from a previous test (ids differ)."""
    catalogue_seed()
    cache.clear()


def service(code: str = TRANQUILLITE_SERVICE) -> Service:
    return Service.objects.get(code=code)


def site(code: str = "hdv") -> Site:
    return Site.objects.get(code=code)


def espace(code: str) -> Espace:
    return Espace.objects.get(code=code)


def street(name: str = "rue Hoche") -> Street:
    return Street.objects.get(name=name)


def _required_answers(svc: Service) -> dict:
    answers = {}
    for item in svc.fields.all():
        if item.required and item.field_type != FieldType.FILE:
            answers[item.key] = item.choice_list()[0] if item.field_type == FieldType.CHOICE else "oui"
    return answers


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
    """A submitted request, filed by request_submit. Without a requester, a contact with an email address."""
    svc = service(code)
    if requester is None and not (contact_name or contact_email or contact_phone):
        contact_name, contact_email = "Paul Martin", "paul.martin@example.fr"
    data = FilingData(
        description=description,
        answers=_required_answers(svc),
        street=street(street_name) if street_name else None,
        street_number="12" if street_name else "",
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
    )
    return request_submit(
        service=svc,
        requester=requester,
        data=data,
        channel=channel,
        site=site(site_code) if site_code else None,
        created_by=created_by,
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
