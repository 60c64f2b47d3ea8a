"""The rules and constants the associations services share (identifiers, thresholds, the invitation
link, the portal's address)."""

import re
from decimal import Decimal

from django.conf import settings

from associations.models import (
    DocumentType,
)

RNA_PATTERN = re.compile(r"^W\d{9}$")
# Loi 2000-321 art. 10 and décret 2001-495: a convention above 23 000 € a year, in kind included.


CONVENTION_THRESHOLD = Decimal(23000)


MAX_UPLOAD = 10 * 1024 * 1024


UPLOAD_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


REQUIRED_DOCUMENTS = [choice for choice in DocumentType]


INVITATION_SALT = "associations.invitation"


INVITATION_MAX_AGE = 14 * 24 * 3600


ADVANCE_SHARE = Decimal("0.5")  # chosen default: half paid on notification, the rest after the report


def site_url() -> str:
    return settings.SITE_URL
