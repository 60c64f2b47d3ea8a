"""The strict access matrix (issue #20, point 8; docs/style.md): the URL resolver is walked whole — our apps,
allauth's and the admin's patterns — and every URL name must have a row in
tests/bethune_portal/access_matrix.py (or belong to a documented third-party group), or the test fails naming
it; a row whose name no longer exists fails too. Each row is requested with GET, over real objects, as each
role of the cast: two residents (each with submitted requests, a draft, an attachment, a booking and a
pickup), two agents of different espaces, a supervisor, a manager, an association member, an administrator and
an anonymous visitor; the answer must be exactly the one written down (a status, or a redirect whose Location
is checked).

The staff's second factor (accounts.mfa_required) is off under the test settings and stays off here: with it,
every staff answer would be a redirect to the TOTP enrolment, which tests/accounts/test_staff_mfa.py covers.

The objects are built once per test function (pytest-django's transactional rollback keeps tests apart; a
module-scoped world would outlive its rollback): about 3 s; the whole file runs in well under a minute."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.bethune_portal.access_matrix import (
    LOGIN,
    MATRIX,
    OK,
    POST_ONLY,
    ROLES,
    THIRD_PARTY,
    Redirect,
    Row,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS)  # a Monday; the bookings and pickups are this month
MATRIX_FILE = "tests/bethune_portal/access_matrix.py"


# --- The resolver, walked whole
# ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or "namespace:" + "?" for an unnamed pattern
    route: str
    module: str


def routes(patterns=None, namespaces=(), prefix="") -> list[Route]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            found += routes(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name or "?"))
            module = getattr(pattern.callback, "__module__", "") or ""
            found.append(Route(name=name, route=prefix + str(pattern.pattern), module=module))
    return found


def _group_of(route: Route):
    return next((group for group in THIRD_PARTY if group.covers(route.name, route.module)), None)


def test_every_url_name_is_in_the_access_matrix():
    problems = []
    walked = routes()
    names = {route.name for route in walked}
    for route in walked:
        if route.name in MATRIX or _group_of(route) is not None:
            continue
        if route.name.endswith("?"):
            problems.append(
                f"le motif « {route.route} » n'a pas de nom : nommez-le, puis ajoutez-le à {MATRIX_FILE}"
            )
        else:
            problems.append(
                f"ajoutez « {route.name} » ({route.route}) à la matrice d'accès ({MATRIX_FILE}) : "
                "la réponse attendue pour chaque rôle"
            )
    for name in MATRIX:
        if name not in names:
            problems.append(
                f"« {name} » n'existe plus dans les URL : retirez-le de la matrice d'accès ({MATRIX_FILE})"
            )
    for name, rows in MATRIX.items():
        for row in rows if isinstance(rows, tuple) else (rows,):
            if set(row.answers) != set(ROLES):
                problems.append(f"« {name} » : une réponse par rôle ({', '.join(ROLES)})")
    assert not problems, "\n".join(problems)


# --- The world: real objects of every role ----------------------------------------------------------------


@dataclass
class World:
    users: dict
    request_a: object
    request_b: object
    request_counter: object
    attachment_a: object
    attachment_b: object
    draft_a: object
    draft_b: object
    anonymous_filed: object
    anonymous_attachment: object
    anonymous_pending: object
    booking_a: object
    booking_b: object
    pickup_a: object
    pickup_b: object
    visit_a: object
    saved_filter_a: object
    reset_key: dict
    email_confirmation_key: str
    association: object
    membership: object
    campaign: object
    dossier: object
    invitation_token: str


def build_world() -> World:
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str
    from django.core.files.base import ContentFile

    from accounts import roles
    from appointments.models import Agenda, Motif
    from appointments.seed import agendas_seed
    from encombrants.seed import encombrants_seed
    from guichet.models import SavedFilter
    from guichet.services.visits import visit_register
    from requests_app.catalogue_seed import catalogue_seed
    from requests_app.models import Channel, Espace, Service, Site
    from requests_app.services import (
        FilingData,
        request_confirm_email,
        request_draft_save,
        request_file_anonymous,
    )
    from tests.accounts.factories import UserFactory, agent_of, manager, resident, supervisor
    from tests.appointments.helpers import book as book_appointment
    from tests.encombrants.helpers import PNG, photo
    from tests.encombrants.helpers import book as book_pickup
    from tests.requests_app.factories import png_upload, street, submitted_request

    catalogue_seed()
    agendas_seed()
    encombrants_seed()
    users = {
        "anonyme": None,
        "habitant_a": resident(email="jean.dupont@example.fr", first_name="Jean", last_name="Dupont"),
        "habitant_b": resident(email="marie.lefebvre@example.fr", first_name="Marie", last_name="Lefebvre"),
        "agent_a": agent_of("tranquillite", "vielocale", email="luc.agent@bethune.fr"),
        "agent_b": agent_of("famille", "citoyen", email="sophie.agent@bethune.fr"),
        "superviseur": supervisor(email="superviseur@bethune.fr"),
        "responsable": manager(email="responsable@bethune.fr"),
        "membre_association": UserFactory(email="presidente@asso.fr", roles=[roles.ASSOCIATION_MEMBER]),
        "administrateur": UserFactory(
            email="admin@bethune.fr", roles=[roles.ADMINISTRATOR], is_staff=True, is_superuser=True
        ),
    }
    assert set(users) == set(ROLES)
    a, b = users["habitant_a"], users["habitant_b"]
    lamp = Service.objects.get(code="eclairage-public")  # Tranquillité publique, anonymous filing allowed
    request_a = submitted_request(
        service=lamp, requester=a, street="rue Hoche", street_number="12", files=[png_upload()]
    )
    request_b = submitted_request(service="acte-etat-civil", requester=b, files=[png_upload()])  # Famille
    # Filed by agent B at the counter for someone without an account, in an espace that is not theirs.
    request_counter = submitted_request(
        service=lamp,
        channel=Channel.GUICHET,
        site="hdv",
        created_by=users["agent_b"],
        street="rue Hoche",
        street_number="3",
    )
    tag = Service.objects.get(code="tag")
    draft_a = request_draft_save(service=tag, requester=a, data=FilingData(description="Brouillon de Jean"))
    draft_b = request_draft_save(service=tag, requester=b, data=FilingData(description="Brouillon de Marie"))
    anonymous_filed = request_confirm_email(
        request=request_file_anonymous(
            service=lamp,
            data=FilingData(
                description="Lampadaire éteint",
                street=street("rue Hoche"),
                contact_name="Paul Martin",
                contact_email="paul.martin@example.fr",
                files=[png_upload()],
            ),
        )
    )
    anonymous_pending = request_file_anonymous(
        service=lamp,
        data=FilingData(
            description="Lampadaire clignotant",
            street=street("rue Hoche"),
            contact_name="Claire Petit",
            contact_email="claire.petit@example.fr",
        ),
    )
    cni_hdv = Agenda.objects.get(motif=Motif.CNI, site__code="hdv")  # Citoyenneté
    booking_a = book_appointment(cni_hdv, a, datetime.datetime(2026, 3, 24, 9, tzinfo=PARIS))
    booking_b = book_appointment(cni_hdv, b, datetime.datetime(2026, 3, 24, 9, 20, tzinfo=PARIS))
    pickup_a = book_pickup(a, photo=photo())  # Vie locale, sector "centre", Thursday 19 March
    pickup_a.outcome_photo.save("resultat.png", ContentFile(PNG), save=True)  # as a crew would leave it
    pickup_b = book_pickup(b, street=street("rue Saint-Christophe"), number="3")
    visit_a = visit_register(
        site=Site.objects.get(code="hdv"),
        espace=Espace.objects.get(code="tranquillite"),
        reason="Un lampadaire en panne",
        registered_by=users["agent_a"],
    )
    saved = SavedFilter.objects.create(owner=users["agent_a"], name="Nouvelles", query="statut=new")
    second_address = EmailAddress.objects.create(user=a, email="jean.autre@example.fr", verified=False)
    # The association member's association (president), its documents, a campaign and a submitted dossier,
    # and an invitation sent to habitant B.
    from associations.models import MemberRole
    from associations.services import (
        association_create,
        campaign_create,
        dossier_submit,
        invitation_create,
        invitation_token,
    )
    from tests.associations.conftest import association_data, filled_dossier, upload_all

    president = users["membre_association"]
    association = association_create(user=president, data=association_data())
    upload_all(association, president)
    campaign = campaign_create(
        year=2026,
        title="Appel à projets 2026",
        opens_on=datetime.date(2026, 1, 15),
        closes_on=datetime.date(2026, 4, 30),
        axes=[("Cohésion sociale", Decimal(20000)), ("Cadre de vie", Decimal(10000))],
    )
    dossier = dossier_submit(dossier=filled_dossier(association, campaign, president), user=president)
    invitation = invitation_create(
        association=association, by=president, email=b.email, role=MemberRole.MEMBER
    )
    return World(
        users=users,
        request_a=request_a,
        request_b=request_b,
        request_counter=request_counter,
        attachment_a=request_a.attachments.get(),
        attachment_b=request_b.attachments.get(),
        draft_a=draft_a,
        draft_b=draft_b,
        anonymous_filed=anonymous_filed,
        anonymous_attachment=anonymous_filed.attachments.get(),
        anonymous_pending=anonymous_pending,
        booking_a=booking_a,
        booking_b=booking_b,
        pickup_a=pickup_a,
        pickup_b=pickup_b,
        visit_a=visit_a,
        saved_filter_a=saved,
        reset_key={"uidb36": user_pk_to_url_str(a), "key": default_token_generator.make_token(a)},
        email_confirmation_key=EmailConfirmationHMAC(second_address).key,
        association=association,
        membership=association.memberships.get(user=president),
        campaign=campaign,
        dossier=dossier,
        invitation_token=invitation_token(invitation),
    )


@pytest.fixture
def world(db, time_machine) -> World:
    time_machine.move_to(NOW, tick=False)
    return build_world()


def _clients(world) -> dict[str, Client]:
    clients = {}
    for role, user in world.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        clients[role] = client
    return clients


@pytest.fixture
def clients(world) -> dict[str, Client]:
    """One signed-in client per role, kept for the whole matrix (a row that changes the session: its own)."""
    return _clients(world)


# --- Checking one answer
# -------------------------------------------------------------------------------------


def _describe(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return f"{response.status_code} → {response['Location']}"
    return str(response.status_code)


def _matches(response, expected) -> bool:
    if isinstance(expected, Redirect):
        if response.status_code != 302:
            return False
        if expected == LOGIN:
            prefix = resolve_url(settings.LOGIN_URL)
        elif expected.to.startswith("/"):
            prefix = expected.to
        else:
            prefix = reverse(expected.to)
        return response["Location"].startswith(prefix)
    return response.status_code == expected


def _expected_text(expected) -> str:
    if expected == LOGIN:
        return f"302 → {resolve_url(settings.LOGIN_URL)}…"
    if isinstance(expected, Redirect):
        return f"302 → {expected.to if expected.to.startswith('/') else reverse(expected.to)}…"
    return str(expected)


def _rows(name: str) -> tuple[Row, ...]:
    rows = MATRIX[name]
    return rows if isinstance(rows, tuple) else (rows,)


def _url(name: str, row: Row, world: World) -> str:
    query = row.query(world) if callable(row.query) else row.query
    return reverse(name, kwargs=row.kwargs(world)) + query


def test_every_url_answers_each_role_exactly_as_the_matrix_says(world, clients):
    problems, checked = [], 0
    for name in MATRIX:
        for row in _rows(name):
            url = _url(name, row, world)
            row_clients = _clients(world) if row.own_session else clients
            for role in ROLES:
                response = row_clients[role].get(url)
                checked += 1
                expected = row.answers[role]
                if not _matches(response, expected):
                    problems.append(
                        f"{name} {url} [{role}] → {_describe(response)} (attendu {_expected_text(expected)})"
                        + (f" — {row.note}" if row.note else "")
                    )
    assert not problems, f"{len(problems)} réponses sur {checked} diffèrent de la matrice :\n" + "\n".join(
        problems
    )


def _unknown(kwargs: dict) -> dict:
    """The same URL for an object that does not exist (tokens stay: a bad token is its own case)."""
    unknown = {}
    for key, value in kwargs.items():
        if key == "reference":
            unknown[key] = "BET-2026-999999"
        elif key in {"pk", "booking_id", "pickup_id", "agenda_id"}:
            unknown[key] = 999999
        else:
            unknown[key] = value
    return unknown


def test_post_only_answers_do_not_depend_on_the_object(world, clients):
    """Where a GET answers 405 to someone, it answers the same for an object that does not exist: the 405
    comes from the method check, before any lookup, so it confirms nothing to an outsider (an agent of another
    espace, the other resident)."""
    problems = []
    for name in MATRIX:
        for row in _rows(name):
            if POST_ONLY not in row.answers.values():
                continue
            kwargs = row.kwargs(world)
            if _unknown(kwargs) == kwargs:
                continue
            real, fake = reverse(name, kwargs=kwargs), reverse(name, kwargs=_unknown(kwargs))
            for role in ROLES:
                answers = clients[role].get(real), clients[role].get(fake)
                if answers[0].status_code != answers[1].status_code:
                    problems.append(
                        f"{name} [{role}] : {_describe(answers[0])} pour {real}, "
                        f"{_describe(answers[1])} pour {fake}"
                    )
    assert not problems, "\n".join(problems)


# --- Django's admin: one documented rule -------------------------------------------------------------------

# Admin pages that answer everyone alike, or not through the admin's own gate (Django's and allauth's
# behaviour).
ADMIN_SPECIAL = {
    # The one door (accounts.access.admin_login, bethune_portal/urls.py): anonymous → allauth's login;
    # signed in without is_staff → 404 like every back-office page; the administrator → the admin index.
    "admin:login": {
        **dict.fromkeys(ROLES, 404),
        "anonyme": LOGIN,
        "administrateur": Redirect("admin:index"),
    },
    # Django 5's admin logout is POST-only; without is_staff, back to the admin index (which then asks to
    # log in).
    "admin:logout": {**dict.fromkeys(ROLES, Redirect("admin:index")), "administrateur": POST_ONLY},
}
# For the administrator only: without the ?app_label=…&model_name=… of a widget, Django refuses (403).
ADMIN_FOR_ADMINISTRATOR = {"admin:autocomplete": 403, "admin:view_on_site": 404, "admin:?": 404}


def _administrator_answer(name: str, kwargs: dict, world) -> object:
    """What the administrator gets: 200, except Django's read-only models (403 on add/delete where the
    ModelAdmin forbids it: sign-ins, the admin's log, slots, bookings…), a model without rows (pk 0: a
    redirect to the index) and ADMIN_FOR_ADMINISTRATOR."""
    from django.contrib import admin
    from django.test import RequestFactory

    if name in ADMIN_FOR_ADMINISTRATOR:
        return ADMIN_FOR_ADMINISTRATOR[name]
    request = RequestFactory().get("/admin/")
    request.user = world.users["administrateur"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if name == f"admin:{opts.app_label}_{opts.model_name}_add" and not model_admin.has_add_permission(
            request
        ):
            return 403
        if (
            name == f"admin:{opts.app_label}_{opts.model_name}_delete"
            and not model_admin.has_delete_permission(request)
        ):
            return 403
    if kwargs and all(value == 0 for value in kwargs.values()):
        return Redirect("admin:index")
    return OK


def _admin_cases(world) -> list[tuple[str, dict]]:
    """Every admin URL name with real arguments: each app's index, each registered model's pages with its
    first row (a model without rows: pk 0, which the admin answers with a redirect to its index)."""
    from django.contrib import admin
    from django.contrib.contenttypes.models import ContentType

    prefixes = {}
    for model in admin.site._registry:
        opts = model._meta
        prefixes[f"admin:{opts.app_label}_{opts.model_name}_"] = model._default_manager.order_by("pk").first()
    user = world.users["habitant_a"]
    prefixes["admin:auth_user_"] = user  # Django's UserAdmin names its password page after auth.User
    cases = []
    for route in routes():
        if route.name == "admin:?":
            if ("admin:?", {}) not in cases:  # one catch-all per ModelAdmin, all alike
                cases.append(("admin:?", {}))
            continue
        if not route.name.startswith("admin:"):
            continue
        params = set(
            re.findall(r"\(\?P<(\w+)>|<(?:\w+:)?(\w+)>", route.route)
            and [a or b for a, b in re.findall(r"\(\?P<(\w+)>|<(?:\w+:)?(\w+)>", route.route)]
        )
        if route.name == "admin:app_list":
            labels = sorted({model._meta.app_label for model in admin.site._registry})
            cases += [(route.name, {"app_label": label}) for label in labels]
        elif route.name == "admin:view_on_site":
            content_type = ContentType.objects.get_for_model(user)
            cases.append((route.name, {"content_type_id": content_type.pk, "object_id": user.pk}))
        elif params:
            # A model's object page (change, delete, history, a user's password…): its first row, or pk 0.
            matching = [p for p in prefixes if route.name.startswith(p)]
            assert matching, f"{route.name} ({route.route}) : quel objet ? complétez _admin_cases"
            first = prefixes[max(matching, key=len)]
            cases.append((route.name, dict.fromkeys(params, first.pk if first is not None else 0)))
        else:
            cases.append((route.name, {}))
    return cases


def test_the_admin_answers_only_administrators(world, clients):
    """ADMIN (access_matrix.py): everyone but the administrator is sent to the admin's login; the
    administrator gets the page (see _administrator_answer); ADMIN_SPECIAL lists the two pages with their own
    rule."""
    problems, checked = [], 0
    for name, kwargs in _admin_cases(world):
        url = "/admin/introuvable/" if name == "admin:?" else reverse(name, kwargs=kwargs)
        for role in ROLES:
            if name in ADMIN_SPECIAL:
                expected = ADMIN_SPECIAL[name][role]
            elif role == "administrateur":
                expected = _administrator_answer(name, kwargs, world)
            else:
                expected = Redirect("admin:login")
            response = clients[role].get(url)
            checked += 1
            if not _matches(response, expected):
                problems.append(
                    f"{name} {url} [{role}] → {_describe(response)} (attendu {_expected_text(expected)})"
                )
    assert not problems, f"{len(problems)} réponses sur {checked} :\n" + "\n".join(problems)
