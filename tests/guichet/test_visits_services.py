"""Walk-in visits: ticket numbers, calling the next visitor, closing with an outcome (services.visits)."""

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine

from guichet.models import Visit, VisitOutcome, VisitStatus
from guichet.services.visits import visit_call_next, visit_close, visit_mark_left, visit_register
from requests_app.catalogue_seed import catalogue_seed
from requests_app.errors import ServiceError
from requests_app.models import Espace, Site, Street
from tests.accounts.factories import supervisor
from tests.races import errors, race
from tests.requests_app.factories import submitted_request

PARIS = ZoneInfo("Europe/Paris")
MONDAY_MORNING = datetime.datetime(2026, 3, 2, 9, 5, tzinfo=PARIS)


def ensure_reference_data() -> None:
    """Roles, espaces and sites come from data migrations; a transactional test's serialized rollback does
    not restore them once a browser test's event loop runs in this thread (see
    tests/e2e/test_visits_screen.py), so the same idempotent migration functions are run again if needed."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if not Group.objects.exists() or not Site.objects.exists():
        importlib.import_module("accounts.migrations.0002_roles").create_roles(apps, None)
        importlib.import_module("requests_app.migrations.0002_reference_data").load(apps, None)


def register(site, espace, agent, reason="Renseignement", name=""):
    return visit_register(site=site, espace=espace, reason=reason, visitor_name=name, registered_by=agent)


def file_request(service_code: str, requester):
    catalogue_seed()
    return submitted_request(
        service=service_code,
        requester=requester,
        description="Bacs sur le trottoir depuis lundi",
        street=Street.objects.first(),
    )


# --- Registering arrivals ---------------------------------------------------------------------------------


def test_tickets_are_numbered_from_one_per_site(agent, hdv, victor_hugo, tranquillite, famille):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        first = register(hdv, tranquillite, agent)
        second = register(hdv, famille, agent)
        elsewhere = register(victor_hugo, famille, agent)

    assert (first.ticket, second.ticket, elsewhere.ticket) == (1, 2, 1)
    assert first.day == datetime.date(2026, 3, 2)
    assert first.status == VisitStatus.WAITING
    assert first.registered_by == agent


def test_ticket_numbering_restarts_each_day(agent, hdv, tranquillite):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        register(hdv, tranquillite, agent)
        register(hdv, tranquillite, agent)
    # 23:30 UTC on Monday is already Tuesday in Béthune: the day is the local one.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC), tick=False):
        tuesday = register(hdv, tranquillite, agent)

    assert tuesday.ticket == 1
    assert tuesday.day == datetime.date(2026, 3, 3)


def test_an_arrival_needs_a_reason_and_nothing_is_saved_without_one(agent, hdv, tranquillite):
    with pytest.raises(ServiceError) as error:
        register(hdv, tranquillite, agent, reason="   ")

    assert error.value.field == "reason"
    assert error.value.message == "Indiquez le motif de la visite."
    assert not Visit.objects.exists()


def test_a_ticket_taken_meanwhile_is_retried_with_the_next_number(agent, hdv, tranquillite, monkeypatch):
    """The unique constraint backs the lock up: an insert that collides reads the maximum again."""
    with time_machine.travel(MONDAY_MORNING, tick=False):
        register(hdv, tranquillite, agent)
        real_create = Visit.objects.create
        calls = []

        def create_colliding_once(**kwargs):
            calls.append(kwargs["ticket"])
            if len(calls) == 1:
                kwargs["ticket"] = 1  # as if another registration had just taken number 2… and number 1
            return real_create(**kwargs)

        monkeypatch.setattr(Visit.objects, "create", create_colliding_once)
        visit = register(hdv, tranquillite, agent)

    assert calls == [2, 2]
    assert visit.ticket == 2


@pytest.mark.postgres
# transaction=True: each thread commits on its own connection; serialized_rollback restores the reference
# data (sites, espaces, roles) that the flush after a transactional test would otherwise leave empty.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_arrivals_never_share_a_ticket():
    from tests.accounts.factories import agent_of

    ensure_reference_data()
    desk = agent_of("citoyen", email="accueil@bethune.fr")
    site = Site.objects.get(code="hdv")
    espace = Espace.objects.get(code="citoyen")
    threads_count = 8

    outcomes = race(
        lambda n: register(site, espace, desk, reason=f"Visiteur {n}").ticket, times=threads_count
    )

    assert errors(outcomes) == []
    assert sorted(o.value for o in outcomes) == list(range(1, threads_count + 1))


# --- Calling the next visitor -----------------------------------------------------------------------------


def test_call_next_takes_the_oldest_waiting_visitor_of_the_espace_at_the_site(
    agent, hdv, victor_hugo, tranquillite, famille
):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        other_espace = register(hdv, famille, agent)
        clock.shift(60)
        oldest = register(hdv, tranquillite, agent)
        clock.shift(60)
        register(victor_hugo, tranquillite, agent)  # another site's line
        clock.shift(60)
        newest = register(hdv, tranquillite, agent)
        clock.shift(300)

        called = visit_call_next(site=hdv, espace=tranquillite, agent=agent, counter="2")
        then = visit_call_next(site=hdv, espace=tranquillite, agent=agent)
        nobody = visit_call_next(site=hdv, espace=tranquillite, agent=agent)

    assert called.pk == oldest.pk
    assert called.status == VisitStatus.CALLED
    assert called.called_by == agent
    assert called.counter == "2"
    assert called.called_at - called.arrived_at == datetime.timedelta(minutes=5, seconds=120)
    assert then.pk == newest.pk
    assert nobody is None
    other_espace.refresh_from_db()
    assert other_espace.status == VisitStatus.WAITING


def test_yesterdays_visitors_are_not_called(agent, hdv, tranquillite):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        register(hdv, tranquillite, agent)
    with time_machine.travel(MONDAY_MORNING + datetime.timedelta(days=1), tick=False):
        assert visit_call_next(site=hdv, espace=tranquillite, agent=agent) is None


def test_an_agent_cannot_call_for_an_espace_they_do_not_serve(agent, hdv, famille):
    register(hdv, famille, agent)

    with pytest.raises(ServiceError) as error:
        visit_call_next(site=hdv, espace=famille, agent=agent)

    assert error.value.message == "Vous ne recevez pas les visiteurs de cet espace."
    assert Visit.objects.get().status == VisitStatus.WAITING


def test_a_supervisor_calls_for_every_espace(agent, hdv, famille):
    visit = register(hdv, famille, agent)

    called = visit_call_next(site=hdv, espace=famille, agent=supervisor(email="chef@bethune.fr"))

    assert called.pk == visit.pk


def test_the_loser_of_a_call_race_gets_the_next_visitor(agent, hdv, tranquillite, monkeypatch):
    """Between reading the oldest waiting visitor and calling them, another agent called them: the
    conditional UPDATE changes no row, and the next one is taken."""
    from guichet.services import visits as visits_service

    first = register(hdv, tranquillite, agent)
    second = register(hdv, tranquillite, agent)
    real_filter = Visit.objects.filter
    state = {"stolen": False}

    def filter_then_steal(*args, **kwargs):
        queryset = real_filter(*args, **kwargs)
        if kwargs.get("pk") == first.pk and not state["stolen"]:
            state["stolen"] = True
            real_filter(pk=first.pk).update(status=VisitStatus.CALLED)  # the other agent's call
        return queryset

    monkeypatch.setattr(visits_service.Visit.objects, "filter", filter_then_steal)
    called = visit_call_next(site=hdv, espace=tranquillite, agent=agent)

    assert state["stolen"]
    assert called.pk == second.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_agents_calling_at_once_never_get_the_same_visitor():
    from tests.accounts.factories import agent_of

    ensure_reference_data()
    site = Site.objects.get(code="hdv")
    espace = Espace.objects.get(code="citoyen")
    desk = agent_of("citoyen", email="accueil@bethune.fr")
    agents = [agent_of("citoyen", email=f"agent{n}@bethune.fr") for n in range(6)]
    waiting = [register(site, espace, desk, reason=f"Visiteur {n}").pk for n in range(4)]

    def call(i):
        visit = visit_call_next(site=site, espace=espace, agent=agents[i])
        return visit.pk if visit else None

    outcomes = race(call, times=len(agents))

    assert errors(outcomes) == []
    called = [o.value for o in outcomes]
    got = [pk for pk in called if pk is not None]
    assert sorted(got) == sorted(waiting)  # each visitor called exactly once
    assert called.count(None) == len(agents) - len(waiting)
    assert Visit.objects.filter(status=VisitStatus.CALLED).count() == len(waiting)


# --- Closing a visit --------------------------------------------------------------------------------------


def test_closing_with_information_given(agent, hdv, tranquillite):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        register(hdv, tranquillite, agent)
        clock.shift(600)
        visit = visit_call_next(site=hdv, espace=tranquillite, agent=agent)
        clock.shift(300)
        closed = visit_close(visit=visit, agent=agent, outcome=VisitOutcome.INFORMATION)

    assert closed.status == VisitStatus.CLOSED
    assert closed.outcome == VisitOutcome.INFORMATION
    assert closed.closed_at - closed.called_at == datetime.timedelta(minutes=5)
    assert closed.request is None


def test_closing_a_visitor_never_called_counts_the_wait_until_now(agent, hdv, tranquillite):
    with time_machine.travel(MONDAY_MORNING, tick=False) as clock:
        visit = register(hdv, tranquillite, agent)
        clock.shift(420)
        closed = visit_close(visit=visit, agent=agent, outcome=VisitOutcome.INFORMATION)

    assert closed.called_at - closed.arrived_at == datetime.timedelta(minutes=7)
    assert closed.called_by == agent


def test_closing_with_a_request_created_links_it(agent, resident_user, hdv, tranquillite):
    request = file_request("poubelles-hors-horaires", resident_user)
    visit = register(hdv, tranquillite, agent)

    closed = visit_close(
        visit=visit,
        agent=agent,
        outcome=VisitOutcome.REQUEST,
        request_reference=f" {request.reference.lower()} ",
    )

    assert closed.outcome == VisitOutcome.REQUEST
    assert closed.request == request
    assert list(request.visits.all()) == [closed]


def test_a_linked_request_must_exist(agent, hdv, tranquillite):
    visit = register(hdv, tranquillite, agent)

    with pytest.raises(ServiceError) as error:
        visit_close(
            visit=visit, agent=agent, outcome=VisitOutcome.REQUEST, request_reference="BET-2026-999999"
        )

    assert error.value.field == "request_reference"
    assert error.value.message == "Aucune demande BET-2026-999999 parmi celles que vous pouvez consulter."
    visit.refresh_from_db()
    assert visit.status == VisitStatus.WAITING


def test_a_linked_request_must_be_visible_to_the_agent(agent, other_agent, resident_user, hdv, famille):
    """A Tranquillité publique request cannot be linked by a Famille agent: same message as unknown."""
    request = file_request("poubelles-hors-horaires", resident_user)
    visit = register(hdv, famille, other_agent)

    with pytest.raises(ServiceError) as error:
        visit_close(
            visit=visit, agent=other_agent, outcome=VisitOutcome.REQUEST, request_reference=request.reference
        )

    assert (
        error.value.message == f"Aucune demande {request.reference} parmi celles que vous pouvez consulter."
    )
    visit.refresh_from_db()
    assert (visit.status, visit.request) == (VisitStatus.WAITING, None)


def test_request_created_needs_a_reference(agent, hdv, tranquillite):
    visit = register(hdv, tranquillite, agent)

    with pytest.raises(ServiceError) as error:
        visit_close(visit=visit, agent=agent, outcome=VisitOutcome.REQUEST)

    assert error.value.field == "request_reference"


def test_redirected_needs_a_note_saying_where(agent, hdv, tranquillite):
    visit = register(hdv, tranquillite, agent)

    with pytest.raises(ServiceError) as error:
        visit_close(visit=visit, agent=agent, outcome=VisitOutcome.REDIRECTED, note="  ")
    assert error.value.field == "note"

    closed = visit_close(visit=visit, agent=agent, outcome=VisitOutcome.REDIRECTED, note="CCAS, rue de Lille")
    assert (closed.outcome, closed.outcome_note) == (VisitOutcome.REDIRECTED, "CCAS, rue de Lille")


def test_an_unknown_outcome_is_refused(agent, hdv, tranquillite):
    visit = register(hdv, tranquillite, agent)

    with pytest.raises(ServiceError):
        visit_close(visit=visit, agent=agent, outcome="lunch")


def test_a_visit_is_closed_only_once(agent, hdv, tranquillite):
    visit = register(hdv, tranquillite, agent)
    visit_close(visit=visit, agent=agent, outcome=VisitOutcome.INFORMATION)

    with pytest.raises(ServiceError) as error:
        visit_close(visit=visit, agent=agent, outcome=VisitOutcome.REDIRECTED, note="Mairie annexe")

    assert error.value.message == "Cette visite est déjà terminée."
    visit.refresh_from_db()
    assert visit.outcome == VisitOutcome.INFORMATION


def test_an_agent_of_another_espace_cannot_close_the_visit(agent, other_agent, hdv, tranquillite):
    visit = register(hdv, tranquillite, agent)

    with pytest.raises(ServiceError):
        visit_close(visit=visit, agent=other_agent, outcome=VisitOutcome.INFORMATION)


def test_a_visitor_who_left(agent, hdv, tranquillite):
    visit = register(hdv, tranquillite, agent)

    left = visit_mark_left(visit=visit, agent=agent)

    assert left.status == VisitStatus.LEFT
    assert left.closed_at is not None
    assert visit_call_next(site=hdv, espace=tranquillite, agent=agent) is None
    with pytest.raises(ServiceError):
        visit_mark_left(visit=visit, agent=agent)


def test_an_agent_of_another_espace_cannot_mark_the_visitor_as_left(agent, other_agent, hdv, tranquillite):
    visit = register(hdv, tranquillite, agent)

    with pytest.raises(ServiceError) as error:
        visit_mark_left(visit=visit, agent=other_agent)

    assert error.value.code == "forbidden"
    visit.refresh_from_db()
    assert (visit.status, visit.closed_at) == (VisitStatus.WAITING, None)


def test_a_supervisor_marks_a_visitor_of_any_espace_as_left(agent, hdv, famille):
    visit = register(hdv, famille, agent)

    left = visit_mark_left(visit=visit, agent=supervisor(email="chef@bethune.fr"))

    assert left.status == VisitStatus.LEFT


def test_visit_get_is_scoped_to_the_espaces_of_the_agent(agent, other_agent, hdv, tranquillite):
    from django.http import Http404

    from guichet.selectors_visits import visit_get

    visit = register(hdv, tranquillite, agent)

    assert visit_get(user=agent, pk=visit.pk) == visit
    assert visit_get(user=supervisor(email="chef@bethune.fr"), pk=visit.pk) == visit
    with pytest.raises(Http404):
        visit_get(user=other_agent, pk=visit.pk)
