"""Fixtures of the resident front office tests (catalogue, filing, following a request). Requests are
filed through the services, never written directly."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from requests_app import services
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Espace, FieldType, Request, Service, ServiceField, Street
from requests_app.services import FilingData


def jpeg_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg_upload(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def rue_hoche() -> Street:
    return Street.objects.get(name="rue Hoche")


def file_for(user, service: Service, **data) -> Request:
    """A submitted request of `user` through the filing service; `user` None: filed without an account,
    then confirmed by the emailed link (the real path)."""
    data.setdefault("description", "Un trou profond devant le numéro 12.")
    data.setdefault("street", rue_hoche())
    data.setdefault("street_number", "12")
    if user is None:
        data.setdefault("contact_name", "Paul Martin")
        data.setdefault("contact_email", "paul.martin@example.fr")
        filing = services.request_file_anonymous(service=service, data=FilingData(**data))
        return services.request_confirm_email(request=filing)
    return services.request_submit(service=service, requester=user, data=FilingData(**data))


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The anonymous filing limits count in the cache: each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db):
    catalogue_seed()


@pytest.fixture
def pothole(catalogue) -> Service:
    """Nid-de-poule: an address is required, filing without an account is allowed, no extra question."""
    return Service.objects.get(code="nid-de-poule")


@pytest.fixture
def every_field_service(db) -> Service:
    """A démarche asking one question of each type (no address required, account needed)."""
    service = Service.objects.create(
        code="demarche-complete",
        name="Démarche complète",
        espace=Espace.objects.get(code="citoyen"),
        kind="demarche",
        sla_days=10,
        allow_anonymous=False,
    )
    rows = [
        ("objet", "Objet", FieldType.TEXT, True, ""),
        ("details", "Détails", FieldType.LONG_TEXT, False, ""),
        ("participants", "Nombre de participants", FieldType.NUMBER, True, ""),
        ("date", "Date souhaitée", FieldType.DATE, True, ""),
        ("salle", "Salle", FieldType.CHOICE, True, "Salle des fêtes\nSalle Pasteur"),
        ("sono", "Avez-vous besoin d'une sonorisation ?", FieldType.YES_NO, True, ""),
        ("courriel", "Adresse de l'organisateur", FieldType.EMAIL, False, ""),
        ("telephone", "Téléphone de l'organisateur", FieldType.PHONE, False, ""),
        ("justificatif", "Justificatif", FieldType.FILE, False, ""),
    ]
    for order, (key, label, field_type, required, choices) in enumerate(rows):
        ServiceField.objects.create(
            service=service,
            key=key,
            label=label,
            field_type=field_type,
            required=required,
            choices=choices,
            order=order,
            help_text="Aide : précisez." if key == "objet" else "",
        )
    return service
