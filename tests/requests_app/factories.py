"""Factories of the spine. The catalogue (services and their extra fields) is data staff edit in the admin,
so factories make it; requests are filed only through the services (the only writers), with
`submitted_request`. Espaces, sites and streets come from the reference migration."""

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


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def submitted_request(
    *,
    service: Service | None = None,
    requester=None,
    channel: str = Channel.WEB,
    site=None,
    created_by=None,
    description: str = "Trois sacs de gravats déposés devant le numéro 12 depuis lundi.",
    answers: dict | None = None,
    street: Street | None = None,
    street_number: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    files: list | None = None,
) -> Request:
    """A request filed through request_submit, as a form of that channel would file it. Without a requester,
    the contact defaults to someone with an email address (an agent filing at the counter, for instance)."""
    if requester is None and not (contact_name or contact_email or contact_phone):
        contact_name, contact_email = "Paul Martin", "paul.martin@example.fr"
    data = FilingData(
        description=description,
        answers=answers or {},
        street=street,
        street_number=street_number,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        files=files or [],
    )
    return request_submit(
        service=service or ServiceFactory(),
        requester=requester,
        data=data,
        channel=channel,
        site=site,
        created_by=created_by,
    )
