"""`manage.py generate_requests`: realistic history in bulk, references that later filings continue, never in
production."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from requests_app.models import Message, ReferenceCounter, Request, RequestEvent, Status
from tests.accounts.factories import agent_of
from tests.guichet.factories import file_request

pytestmark = pytest.mark.usefixtures("catalogue")  # tests/guichet/conftest.py


@pytest.fixture(autouse=True)
def _a_plain_june_morning(time_machine):
    # The generator spreads its requests over the years before now and a later filing continues this year's
    # numbers: on New Year's night (Paris) this year holds no generated request yet. Frozen on a weekday.
    time_machine.move_to(datetime.datetime(2026, 6, 10, 10, tzinfo=ZoneInfo("Europe/Paris")), tick=False)


def test_generate_requests_creates_varied_requests_with_events_and_messages(agent):
    agent_of("famille", email="famille@bethune.fr")
    before = file_request()  # a real filing first: the generator must not reuse its reference
    out = io.StringIO()
    call_command("generate_requests", count=300, years=2, stdout=out)
    assert "300 demandes" in out.getvalue()
    generated = Request.objects.exclude(pk=before.pk)
    assert generated.count() == 300
    references = list(Request.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references) == 301
    assert RequestEvent.objects.filter(request__in=generated).values("request").distinct().count() == 300
    assert Message.objects.filter(request__in=generated).exists()
    statuses = set(generated.values_list("status", flat=True))
    channels = set(generated.values_list("channel", flat=True))
    assert {Status.NEW, Status.RESOLVED} <= statuses
    assert len(statuses) >= 4
    assert len(channels) >= 4
    assert generated.values("service").distinct().count() >= 10
    assert generated.filter(assignee__isnull=False).exists()
    assert (
        generated.filter(is_open=True)
        .exclude(status__in=[Status.NEW, Status.IN_PROGRESS, Status.AWAITING_CITIZEN])
        .count()
        == 0
    )
    years = {row["created_at__year"] for row in generated.values("created_at__year").annotate(n=Count("pk"))}
    assert len(years) >= 2  # spread over two years
    oldest = generated.order_by("created_at").first()
    assert oldest.events.order_by("at").first().at == oldest.created_at  # events dated with their request


def test_counters_move_past_the_generated_references(agent):
    call_command("generate_requests", count=300, years=2, stdout=io.StringIO())
    later = file_request()
    year = int(later.reference.split("-")[1])
    generated_this_year = Request.objects.filter(reference__startswith=f"BET-{year}-").exclude(pk=later.pk)
    highest = max(
        int(ref.rsplit("-", 1)[1]) for ref in generated_this_year.values_list("reference", flat=True)
    )
    assert later.reference == f"BET-{year}-{highest + 1:06d}"
    assert ReferenceCounter.objects.get(year=year).last == highest + 1


def test_generate_requests_refuses_to_run_in_production(settings):
    settings.PORTAL_ENV = "prod"
    with pytest.raises(CommandError, match="production"):
        call_command("generate_requests", count=10, stdout=io.StringIO())
    assert not Request.objects.exists()


def test_generate_requests_refuses_a_non_positive_count():
    with pytest.raises(CommandError):
        call_command("generate_requests", count=0, stdout=io.StringIO())
