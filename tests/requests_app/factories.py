"""The test kit's factories for the spine, for every test package (guichet, appointments, integration…).

Submitted requests — ONE factory, `submitted_request(...)`: it files through `request_submit`, the only
writer, as a form of that channel would, so every request a test sees went through the real rules
(reference number, SLA due date, events, notifications on commit). Everything has a default:

    submitted_request()                                   # a fresh ServiceFactory service, a web contact
    submitted_request(requester=resident_user)            # filed from an account
    submitted_request(service="eclairage-public", street="rue Hoche", street_number="12")
    submitted_request(service=svc, channel=Channel.GUICHET, site="hdv", created_by=agent)

`service`, `site` and `street` take the object or its natural key (a catalogue code, a site code, a street
name); services of the demo catalogue need `catalogue_seed()` first (the guichet tests' `seed()`).
Without `answers`, the service's required questions (other than files) get a valid answer; without a
requester, the contact is someone with an email address. The guichet's `file_request` is this factory
with the guichet's defaults (tests/guichet/factories.py).

The catalogue (services and their extra fields) is data staff edit in the admin, so factories make it.
Espaces, sites and streets come from the reference migration: `espace()`, `site()`, `street()` fetch them."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from requests_app.models import (
    Channel,
    Espace,
    FieldType,
    Request,
    Service,
    ServiceField,
    ServiceKind,
    Site,
    Street,
)
from requests_app.services import FilingData, request_submit


def png_bytes() -> bytes:
    """A real 1×1 PNG: an attachment whose type the upload check recognises from its content."""
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def espace(code: str = "tranquillite") -> Espace:
    return Espace.objects.get(code=code)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Dépôt sauvage n° {n}")
    espace = factory.LazyFunction(espace)
    kind = ServiceKind.SIGNALEMENT
    description = "Signaler des déchets abandonnés sur la voie publique."
    sla_days = 5
    address_required = False
    attachment_required = False
    allow_anonymous = True
    online = True
    active = True


class ServiceFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceField

    service = factory.SubFactory(ServiceFactory)
    key = factory.Sequence(lambda n: f"champ_{n}")
    label = factory.Sequence(lambda n: f"Question n° {n}")
    field_type = FieldType.TEXT
    required = False
    order = factory.Sequence(int)


def street(name: str = "rue Hoche") -> Street:
    return Street.objects.get(name=name)


def site(code: str = "hdv") -> Site:
    return Site.objects.get(code=code)


def service(code: str) -> Service:
    """A service of the catalogue, by its code."""
    return Service.objects.get(code=code)


def required_answers(svc: Service) -> dict:
    """A valid answer to each required question of the service, files aside (pass those in `files`)."""
    answers = {}
    for item in svc.fields.all():
        if item.required and item.field_type != FieldType.FILE:
            answers[item.key] = item.choice_list()[0] if item.field_type == FieldType.CHOICE else "oui"
    return answers


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def submitted_request(
    *,
    service: Service | str | None = None,
    requester=None,
    channel: str = Channel.WEB,
    site: Site | str | None = None,
    created_by=None,
    description: str = "Trois sacs de gravats déposés devant le numéro 12 depuis lundi.",
    answers: dict | None = None,
    street: Street | str | None = None,
    street_number: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    files: list | None = None,
) -> Request:
    """A request filed through request_submit, as a form of that channel would file it (see the module's
    docstring). Without a requester, the contact defaults to someone with an email address (an agent filing
    at the counter, for instance)."""
    # The parameters shadow the module's lookups of the same names: the model managers are called here.
    svc = Service.objects.get(code=service) if isinstance(service, str) else (service or ServiceFactory())
    if requester is None and not (contact_name or contact_email or contact_phone):
        contact_name, contact_email = "Paul Martin", "paul.martin@example.fr"
    data = FilingData(
        description=description,
        answers=required_answers(svc) if answers is None else answers,
        street=Street.objects.get(name=street) if isinstance(street, str) else street,
        street_number=street_number,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        files=files or [],
    )
    return request_submit(
        service=svc,
        requester=requester,
        data=data,
        channel=channel,
        site=Site.objects.get(code=site) if isinstance(site, str) else site,
        created_by=created_by,
    )
