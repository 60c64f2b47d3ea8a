"""The registry as a new maintainer uses it: a throw-away domain app declares itself once, and the spine's
pages, timeline, menu, outbox, beat and seed_demo use it with no change to any other package."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.urls import reverse

from requests_app.beat import RegistryScheduler, beat_schedule
from requests_app.errors import ServiceError, TransitionNotAllowed
from requests_app.models import Espace, Request, Service, Status
from requests_app.registry import (
    AppRegistration,
    EventKind,
    MenuEntry,
    Ownership,
    PeriodicTask,
    Registry,
    registry,
)
from requests_app.services import (
    request_cancel,
    request_change_service,
    request_event_record,
    request_transition,
)
from tests.accounts.factories import supervisor
from tests.requests_app.factories import ServiceFactory, submitted_request

pytestmark = pytest.mark.django_db

KIND = "jardins"
DEMO_LOADED = []


def _hello_email(notification) -> EmailMultiAlternatives:
    return EmailMultiAlternatives(
        subject=f"Votre parcelle {notification.request.reference}",
        body="Votre parcelle de jardin familial est attribuée.",
        to=[notification.recipient],
    )


def _registration() -> AppRegistration:
    return AppRegistration(
        name="jardins",
        ownership=Ownership(
            kinds={KIND: "Jardins familiaux"},
            noun="jardin",
            resident_path=lambda request: f"/jardins/parcelle/{request.pk}/",
            agent_path=lambda request: f"/jardins/agents/{request.pk}/",
            start_url_name="legal_notice",  # any page: the throw-away app has none of its own
        ),
        emails={"jardins/attribue": _hello_email},
        event_kinds=(
            EventKind(
                "jardins.parcelle_attribuee",
                lambda event: f"Parcelle n° {event.payload['parcelle']} attribuée",
                "Parcelle attribuée (agent)",
            ),
        ),
        periodic_tasks=(PeriodicTask("jardins-arrosage", "jardins.tasks.arrosage_task", schedule=3600.0),),
        menu=(MenuEntry("Jardins familiaux", "accessibility", audience="all", order=40),),
        demo_data=lambda: DEMO_LOADED.append("jardins") or "3 parcelles",
    )


@pytest.fixture
def jardins():
    owner = registry.register(_registration())
    yield owner
    registry.unregister("jardins")


@pytest.fixture
def jardin_service(db) -> Service:
    return ServiceFactory(code="parcelle", name="Parcelle de jardin", kind=KIND, online=False)


def test_registering_the_same_app_twice_fails(jardins):
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        registry.register(_registration())


@pytest.mark.parametrize(
    "clash",
    [
        {"ownership": Ownership(kinds={"rendez_vous": "x"}, noun="x", resident_path=str, agent_path=str)},
        {"ownership": Ownership(kinds={"signalement": "x"}, noun="x", resident_path=str, agent_path=str)},
        {"emails": {"appointments/booking_confirmed": _hello_email}},
        {"event_kinds": (EventKind("appointments.reminder", "x"),)},
        {"periodic_tasks": (PeriodicTask("notifications-sweep", "x", 1.0),)},
        {"menu": (MenuEntry("x", "requests_app:catalogue"),)},
    ],
)
def test_a_name_another_app_registered_is_refused_and_nothing_is_written(clash):
    emails = {"autre/bienvenue": _hello_email, **clash.pop("emails", {})}
    with pytest.raises(ImproperlyConfigured):
        registry.register(AppRegistration(name="autre", emails=emails, **clash))

    assert "autre" not in registry.apps()
    assert registry.email_builder("autre/bienvenue") is None  # not even the parts that did not clash


def test_names_must_carry_the_apps_namespace():
    local = Registry()
    with pytest.raises(ImproperlyConfigured, match="'jardins/…'"):
        local.register(AppRegistration(name="jardins", emails={"attribue": _hello_email}))
    with pytest.raises(ImproperlyConfigured, match="'jardins.…'"):
        local.register(AppRegistration(name="jardins", event_kinds=(EventKind("attribue", "x"),)))
    assert local.apps() == {}


def test_the_owner_alone_changes_its_requests_and_its_facts_reach_the_timeline_and_the_outbox(
    jardins, jardin_service, resident_user, agent, client, django_capture_on_commit_callbacks
):
    request = submitted_request(service=jardin_service, requester=resident_user)

    with pytest.raises(TransitionNotAllowed, match="Ce jardin se gère depuis sa propre page"):
        request_cancel(request=request, actor=resident_user)
    with pytest.raises(TransitionNotAllowed):
        request_transition(request=request, to_status=Status.IN_PROGRESS, actor=agent, owner=object())
    with pytest.raises(TransitionNotAllowed):
        request_event_record(request=request, kind="jardins.parcelle_attribuee", payload={"parcelle": 7})

    request_transition(request=request, to_status=Status.IN_PROGRESS, actor=agent, owner=jardins)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_event_record(
            request=request,
            kind="jardins.parcelle_attribuee",
            payload={"parcelle": 7},
            notify_template="jardins/attribue",
            owner=jardins,
        )

    assert [m.subject for m in mail.outbox] == [f"Votre parcelle {request.reference}"]
    client.force_login(resident_user)
    page = client.get(reverse("requests_app:request_detail", args=[request.reference])).content.decode()
    assert "Parcelle n° 7 attribuée" in page
    assert f'href="/jardins/parcelle/{request.pk}/"' in page and "Gérer mon jardin" in page
    assert "Annuler ma demande" not in page


def test_an_unregistered_event_kind_is_refused(jardin_service, resident_user):
    request = submitted_request(requester=resident_user)
    with pytest.raises(ValueError, match="unknown event kind"):
        request_event_record(request=request, kind="jardins.parcelle_attribuee")


def test_the_guichet_shows_the_owners_page_and_no_service_change(
    jardins, jardin_service, resident_user, client
):
    request = submitted_request(service=jardin_service, requester=resident_user)
    request_event_record(
        request=request, kind="jardins.parcelle_attribuee", payload={"parcelle": 3}, owner=jardins
    )
    client.force_login(supervisor(email="chef@bethune.fr"))

    page = client.get(reverse("guichet:request_detail", args=[request.reference])).content.decode()

    assert f'href="/jardins/agents/{request.pk}/"' in page
    assert "Parcelle attribuée (agent)" in page
    assert "Changer de service" not in page


def test_the_spine_never_moves_a_request_into_or_out_of_an_owned_kind(
    jardins, jardin_service, resident_user, agent
):
    owned = submitted_request(service=jardin_service, requester=resident_user)
    generic = submitted_request(requester=resident_user)

    with pytest.raises(ServiceError, match="Impossible de changer le service"):
        request_change_service(request=owned, actor=agent, service=ServiceFactory())
    with pytest.raises(ServiceError, match="Impossible de changer le service"):
        request_change_service(request=generic, actor=agent, service=jardin_service)

    assert Request.objects.get(pk=owned.pk).service == jardin_service
    assert Request.objects.get(pk=generic.pk).service != jardin_service


def test_the_menu_the_catalogue_beat_and_seed_demo_read_the_registration(
    jardins, jardin_service, client, tmp_path
):
    from bethune_portal.celery import app

    home = client.get("/").content.decode()
    assert "Jardins familiaux" in home

    catalogue = client.get(reverse("requests_app:catalogue"), {"q": "jardin"}).content.decode()
    assert f'href="{reverse("legal_notice")}"' in catalogue

    assert beat_schedule()["jardins-arrosage"] == {"task": "jardins.tasks.arrosage_task", "schedule": 3600.0}
    scheduler = RegistryScheduler(app=app, schedule_filename=str(tmp_path / "beat"), lazy=True)
    scheduler.setup_schedule()
    assert scheduler.schedule["jardins-arrosage"].task == "jardins.tasks.arrosage_task"
    assert {"notifications-sweep", "appointments-reminders", "guichet-daily-digest"} <= set(
        scheduler.schedule
    )
    scheduler.close()

    DEMO_LOADED.clear()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert DEMO_LOADED == ["jardins"]


def test_the_admin_offers_the_owned_kinds(jardins):
    from requests_app.admin import service_kind_choices

    kinds = dict(service_kind_choices())
    assert kinds["jardins"] == "Jardins familiaux" and kinds["rendez_vous"] == "Rendez-vous"
    assert "signalement" in kinds and Espace.objects.exists()


def test_a_service_of_a_kind_no_installed_app_declares_stays_editable_in_the_admin(db):
    from requests_app.admin import ServiceForm

    # A kind no app registers (encombrants registers its kind since issue 16).
    service = ServiceFactory(code="kiosque-demo", kind="kiosque", online=False)
    form = ServiceForm(instance=service)

    assert ("kiosque", "kiosque (application absente)") in form.fields["kind"].choices
    assert ("kiosque", "kiosque (application absente)") not in ServiceForm().fields["kind"].choices
