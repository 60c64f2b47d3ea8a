"""Expired drafts: deleted with their files (beat, nightly). Apart from filing so that the task that runs it
imports nothing that enqueues tasks."""

import datetime

from django.conf import settings
from django.utils import timezone

from requests_app.models import Request, Status


def drafts_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete drafts untouched for PORTAL_DRAFT_DAYS (beat, nightly), their files with them."""
    limit = (now or timezone.now()) - datetime.timedelta(days=settings.PORTAL_DRAFT_DAYS)
    expired = Request.objects.filter(status=Status.DRAFT, updated_at__lt=limit)
    count = 0
    for draft in expired.prefetch_related("attachments").iterator(chunk_size=200):
        for attachment in draft.attachments.all():
            attachment.file.delete(save=False)
        draft.delete()
        count += 1
    return count
