from django.core.files.uploadedfile import SimpleUploadedFile

from encombrants.services import pickup_book
from requests_app.models import Street
from tests.encombrants.conftest import DAY

# The smallest valid PNG (1×1 pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005"
    "0001ff5a2d1d1c0000000049454e44ae426082"
)


def photo(name="canape.png", content=PNG, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def book(user, *, street=None, number="12", quantities=None, day=DAY, **kwargs):
    street = street or Street.objects.get(name="rue Hoche")
    return pickup_book(
        requester=user,
        street=street,
        street_number=number,
        quantities=quantities if quantities is not None else {"matelas": 1, "chaise": 2},
        day=day,
        **kwargs,
    )
