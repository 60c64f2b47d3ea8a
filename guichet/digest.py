"""The SLA daily digest (beat, 8:00): each agent receives, in French, their overdue requests (open,
assigned to them, due date before today) and the open requests of their espaces that nobody has taken
(supervisors and managers: of every espace). Each list shows at most DIGEST_LINE_CAP lines with the total.
No email when both lists are empty; at most one email per agent and day (DigestSent, claimed before
sending). Due dates already count working days only (requests_app.workdays), so overdue is a plain date
comparison served by the open-work partial indexes."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import roles
from accounts.models import User
from guichet.access import agent_espace_ids
from guichet.models import DigestSent
from requests_app.models import Request

logger = logging.getLogger(__name__)

DIGEST_LINE_CAP = 50


@dataclass(frozen=True)
class DigestLine:
    reference: str
    service: str
    espace: str
    requester: str
    due_date: datetime.date | None
    days_late: int  # calendar days past the due date; 0 when not overdue
    url: str


@dataclass(frozen=True)
class Digest:
    user: User
    day: datetime.date
    overdue: list[DigestLine]
    overdue_total: int
    unassigned: list[DigestLine]
    unassigned_total: int

    @property
    def is_empty(self) -> bool:
        return not (self.overdue_total or self.unassigned_total)


def request_detail_url(reference: str) -> str:
    """Absolute link to the guichet's request page."""
    try:
        path = reverse("guichet:request_detail", args=[reference])
    except NoReverseMatch:
        path = f"/guichet/demandes/{reference}/"
    return settings.SITE_URL + path


def digest_recipients() -> QuerySet[User]:
    """Active back-office users (agents, supervisors, managers, administrators) with an email address."""
    staff_groups = Group.objects.filter(name__in=roles.STAFF_ROLES)
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__in=staff_groups) | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _lines(requests: QuerySet[Request], *, today: datetime.date) -> tuple[list[DigestLine], int]:
    total = requests.count()
    rows = requests.select_related("service", "espace", "requester").order_by(
        F("due_date").asc(nulls_last=True), "id"
    )[:DIGEST_LINE_CAP]
    lines = [
        DigestLine(
            reference=request.reference,
            service=request.service.name,
            espace=request.espace.name,
            requester=request.requester_name,
            due_date=request.due_date,
            days_late=max(0, (today - request.due_date).days) if request.due_date else 0,
            url=request_detail_url(request.reference),
        )
        for request in rows
    ]
    return lines, total


def digest_build(*, user: User, today: datetime.date) -> Digest:
    """What the agent's digest of `today` holds (four queries: two lists, two counts)."""
    overdue = Request.objects.filter(is_open=True, assignee=user, due_date__lt=today)
    unassigned = Request.objects.filter(is_open=True, assignee__isnull=True)
    espace_ids = agent_espace_ids(user)
    if espace_ids is not None:
        unassigned = unassigned.filter(espace_id__in=espace_ids)
    overdue_lines, overdue_total = _lines(overdue, today=today)
    unassigned_lines, unassigned_total = _lines(unassigned, today=today)
    return Digest(
        user=user,
        day=today,
        overdue=overdue_lines,
        overdue_total=overdue_total,
        unassigned=unassigned_lines,
        unassigned_total=unassigned_total,
    )


def digest_email(digest: Digest) -> EmailMultiAlternatives:
    with translation.override("fr"):
        parts = []
        if digest.overdue_total:
            parts.append(
                ngettext("%(n)s demande en retard", "%(n)s demandes en retard", digest.overdue_total)
                % {"n": digest.overdue_total}
            )
        if digest.unassigned_total:
            parts.append(
                ngettext("%(n)s demande à attribuer", "%(n)s demandes à attribuer", digest.unassigned_total)
                % {"n": digest.unassigned_total}
            )
        subject = _("Guichet – votre récapitulatif du %(day)s : %(parts)s") % {
            "day": digest.day.strftime("%d/%m/%Y"),
            "parts": ", ".join(parts),
        }
        context = {
            "digest": digest,
            "user": digest.user,
            "cap": DIGEST_LINE_CAP,
            "queue_url": settings.SITE_URL + "/guichet/",
        }
        text = render_to_string("guichet/email/digest.txt", context)
        html = render_to_string("guichet/email/digest.html", context)
    email = EmailMultiAlternatives(subject=subject, body=text, to=[digest.user.email])
    email.attach_alternative(html, "text/html")
    return email


def digest_send(*, user_id: int, today: datetime.date) -> str:
    """Send one agent's digest of `today`: "sent", "empty" (nothing to say), "already_sent" or "inactive"."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.is_agent:
        return "inactive"
    # A cheap early exit for a task run twice; the insert below is what actually settles it.
    if DigestSent.objects.filter(user_id=user_id, day=today).exists():
        return "already_sent"
    digest = digest_build(user=user, today=today)
    if digest.is_empty:
        return "empty"
    try:
        with transaction.atomic():
            claim = DigestSent.objects.create(user=user, day=today)
    except IntegrityError:
        return "already_sent"  # another worker claimed it first
    try:
        # Outside any transaction: SMTP never holds database locks.
        digest_email(digest).send(fail_silently=False)
    except Exception:
        # Give the claim back so a retry of the task sends it; the error goes to the task.
        DigestSent.objects.filter(pk=claim.pk).delete()
        raise
    return "sent"
