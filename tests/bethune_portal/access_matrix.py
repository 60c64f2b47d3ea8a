"""The access matrix (issue #20, point 8): for every URL name the resolver knows, the exact answer to a GET
from each role of the cast, over real objects (tests/bethune_portal/test_url_access.py builds them and walks
the resolver). One row per URL name, keyed `namespace:name`; a name missing from this table, or a name here
that no longer exists, fails the test: a new page cannot be forgotten.

An answer is a status (200, 404, 405 for a POST-only action, 410) or a redirect: `LOGIN` (the Location starts
with the login page, settings.LOGIN_URL), or `Redirect("name")` (starts with that page's path). Never "any
of".

The rules the rows follow, as the code decides them:
- Public pages: 200 for everyone.
- A resident's own pages (`login_required`): anonymous → LOGIN; a request by reference answers 200 to its
  requester and to the staff who may read it (agents of its espace; supervisors, managers, administrators:
  every espace), 404 to everyone else (requests_app.selectors.request_get_for_user). Confirmation pages (of a
  filing, a booking, a pickup) are the requester's only: 404 to staff too.
- Signed links (tracking, email confirmation, an appointment's or a pickup's management link) are bearer
  tokens: whoever holds the link gets the page, signed in or not, whatever their role.
- The back office (accounts.access.agent_required): 404 to everyone but staff, anonymous visitors included
  (not the login page, so it does not confirm that a URL exists). An object of another espace is a 404 to an
  agent.
- POST-only actions answer 405 to a GET from everyone who passes the view's first gate: `login_required` for
  the resident's actions, `agent_required` for the back office's. The espace check comes after the method
  check, so an agent of another espace also gets 405 — for an unknown object too
  (test_post_only_answers_do_not_depend_on_the_object), so it discloses nothing.

Third-party pages are grouped below the table (THIRD_PARTY): allauth's pages are rows like ours (they are the
one door to every account); Django's admin is one rule over its ~150 generated names; static files are served
by WhiteNoise, not by a URL pattern (none exists under these settings; the rule says what it would answer)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlencode

ROLES = (
    "anonyme",
    "habitant_a",  # Jean: a signalement of Tranquillité publique (with a photo), a draft, a booking, a pickup
    "habitant_b",  # Marie: a démarche of Famille (with a file), a draft, a booking, a pickup
    "agent_a",  # agent of Tranquillité publique and Vie locale (the pickups' espace)
    "agent_b",  # agent of Famille and Citoyenneté (the ID-card agendas' espace)
    "superviseur",
    "responsable",  # roles.MANAGER ("Responsables")
    "membre_association",
    "administrateur",  # roles.ADMINISTRATOR, a superuser as the demo's (is_staff: the admin)
)
STAFF = ("agent_a", "agent_b", "superviseur", "responsable", "administrateur")
EVERY_ESPACE = ("superviseur", "responsable", "administrateur")


class Redirect(NamedTuple):
    """A 302 whose Location starts with this path ("/…"), or with the path of this URL name (reversed without
    arguments)."""

    to: str


LOGIN = Redirect("__login__")  # settings.LOGIN_URL
OK, NOT_FOUND, POST_ONLY = 200, 404, 405
Answer = int | Redirect

# The world's dates (NOW in the test file): Monday 16 March 2026, 10:00 in Béthune.
BOOKING_DAY = "2026-03-24"  # both bookings, CNI at the Hôtel de Ville
PICKUP_DAY = "2026-03-19"  # both pickups, sector "centre"


def answers(default: Answer, **by_role: Answer) -> dict[str, Answer]:
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"rôles inconnus : {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


def public() -> dict[str, Answer]:
    return answers(OK)


def signed_in(ok: Answer = OK) -> dict[str, Answer]:
    """Any account; anonymous visitors are sent to the login page."""
    return answers(ok, anonyme=LOGIN)


def requester_or_staff(requester: str, espace_agent: str) -> dict[str, Answer]:
    """A request's page by reference: its requester, the agent of its espace, those who see every espace."""
    return answers(
        NOT_FOUND, anonyme=LOGIN, **{requester: OK, espace_agent: OK, **dict.fromkeys(EVERY_ESPACE, OK)}
    )


def requester_only(requester: str) -> dict[str, Answer]:
    return answers(NOT_FOUND, anonyme=LOGIN, **{requester: OK})


def back_office(**agents: Answer) -> dict[str, Answer]:
    """Staff only; 404 to everyone else. `agents` overrides agent_a / agent_b (another espace's object)."""
    return answers(NOT_FOUND, **{**dict.fromkeys(STAFF, OK), **agents})


def back_office_post_only() -> dict[str, Answer]:
    return back_office(**dict.fromkeys(STAFF, POST_ONLY))


@dataclass(frozen=True)
class Row:
    answers: dict[str, Answer]
    kwargs: Callable[[Any], dict] = lambda world: {}
    query: Callable[[Any], str] | str = ""  # a query string the page needs to show itself
    note: str = ""
    # The GET changes the session (allauth's reset and email-confirmation links sign out whoever is signed
    # in as
    # someone else):
    # asked from a session of its own, so that the next rows keep theirs.
    own_session: bool = False


def _request(which: str) -> Callable[[Any], dict]:
    return lambda w: {"reference": getattr(w, f"request_{which}").reference}


def _attachment(which: str) -> Callable[[Any], dict]:
    return lambda w: {
        "reference": getattr(w, f"request_{which}").reference,
        "pk": getattr(w, f"attachment_{which}").pk,
    }


def _tracking(w) -> dict:
    from requests_app.links import tracking_token

    return {"token": tracking_token(w.anonymous_filed)}


def _confirmation(w) -> dict:
    from requests_app.links import confirm_token

    return {"token": confirm_token(w.anonymous_pending)}


def _booking_link(w) -> dict:
    from appointments.links import manage_token

    return {"token": manage_token(w.booking_a)}


def _pickup_link(w) -> dict:
    from encombrants.links import manage_token

    return {"token": manage_token(w.pickup_a)}


def _association(w) -> dict:
    return {"pk": w.association.pk}


def _dossier(w) -> dict:
    return {"pk": w.dossier.pk}


def _agenda(w) -> dict:
    return {"agenda_id": w.booking_a.agenda_id}


def _pickup(w) -> dict:
    return {"pickup_id": w.pickup_a.pk}


def _slot(w) -> str:
    # A free slot of the CNI agenda (parse_slot: local ISO time with its offset, "+" escaped).
    return "?" + urlencode({"creneau": f"{BOOKING_DAY}T10:00:00+01:00"})


MATRIX: dict[str, Row | tuple[Row, ...]] = {
    # --- Project pages
    # ---------------------------------------------------------------------------------------
    "home": Row(public()),
    "legal_notice": Row(public()),
    "accessibility": Row(public()),
    "privacy": Row(public()),
    "healthz": Row(public()),
    # --- allauth: the one door to every account (comptes/) --------------------------------------------------
    # Pages for signing in or up send someone already signed in to LOGIN_REDIRECT_URL (the home page).
    "account_login": Row(answers(Redirect("home"), anonyme=OK)),
    "account_signup": Row(answers(Redirect("home"), anonyme=OK)),
    "account_confirm_login_code": Row(
        answers(Redirect("home"), anonyme=LOGIN), note="no login code pending: back to the login page"
    ),
    "mfa_authenticate": Row(
        answers(Redirect("home"), anonyme=LOGIN), note="no sign-in waiting for its second factor"
    ),
    # GET shows the confirmation button (no logout on GET); nobody to log out: home page.
    "account_logout": Row(answers(OK, anonyme=Redirect("home"))),
    "account_inactive": Row(public()),
    "account_email_verification_sent": Row(public()),
    "account_reset_password": Row(public()),
    "account_reset_password_done": Row(public()),
    "account_reset_password_from_key_done": Row(public()),
    # A real reset key of habitant A: the form to choose a new password, for whoever holds the emailed link.
    "account_reset_password_from_key": Row(public(), kwargs=lambda w: w.reset_key, own_session=True),
    # A real confirmation key (habitant A's second, unverified address): the page with the confirm button.
    # Opened
    # by someone signed in as another account, allauth signs that session out first (own_session).
    "account_confirm_email": Row(
        public(), kwargs=lambda w: {"key": w.email_confirmation_key}, own_session=True
    ),
    "account_email": Row(signed_in()),
    "account_change_password": Row(signed_in()),
    # Every account of the cast has a password: set-password sends to change-password.
    "account_set_password": Row(signed_in(Redirect("account_change_password"))),
    "account_reauthenticate": Row(signed_in()),
    "account_request_reauthentication_code": Row(signed_in()),
    "account_confirm_reauthentication_code": Row(
        signed_in(Redirect("account_request_reauthentication_code")), note="no code was requested"
    ),
    "mfa_index": Row(signed_in()),
    # Enrolling or regenerating asks for the password again first (allauth's reauthentication).
    # Habitant A has an unverified second address (for account_confirm_email): allauth refuses to enrol
    # before it is verified and sends back to the two-factor page.
    "mfa_activate_totp": Row(
        answers(Redirect("account_reauthenticate"), anonyme=LOGIN, habitant_a=Redirect("mfa_index"))
    ),
    "mfa_generate_recovery_codes": Row(signed_in(Redirect("account_reauthenticate"))),
    "mfa_reauthenticate": Row(signed_in(Redirect("account_reauthenticate"))),
    # Nobody in the cast has enrolled a second factor: nothing to deactivate or show.
    "mfa_deactivate_totp": Row(signed_in(NOT_FOUND)),
    "mfa_view_recovery_codes": Row(signed_in(NOT_FOUND)),
    "mfa_download_recovery_codes": Row(signed_in(NOT_FOUND)),
    # --- The spine: catalogue and filing --------------------------------------------------------------------
    "requests_app:catalogue": Row(public()),
    "requests_app:street_suggestions": Row(public()),
    "requests_app:file": (
        Row(public(), kwargs=lambda w: {"code": "eclairage-public"}, note="anonymous filing allowed"),
        Row(signed_in(), kwargs=lambda w: {"code": "acte-etat-civil"}, note="an account is required"),
    ),
    "requests_app:anonymous_sent": Row(public(), kwargs=lambda w: {"code": "eclairage-public"}),
    "requests_app:confirm_email": Row(
        public(),
        kwargs=_confirmation,
    ),
    # --- "Mes demandes"
    # ---------------------------------------------------------------------------------------
    "requests_app:my_requests": Row(signed_in()),
    "requests_app:draft_delete": Row(signed_in(POST_ONLY), kwargs=lambda w: {"pk": w.draft_a.pk}),
    "requests_app:request_detail": (
        Row(requester_or_staff("habitant_a", "agent_a"), kwargs=_request("a")),
        Row(requester_or_staff("habitant_b", "agent_b"), kwargs=_request("b")),
    ),
    "requests_app:request_confirmation": (
        Row(requester_only("habitant_a"), kwargs=_request("a")),
        Row(requester_only("habitant_b"), kwargs=_request("b")),
    ),
    "requests_app:request_receipt": Row(requester_or_staff("habitant_a", "agent_a"), kwargs=_request("a")),
    "requests_app:request_attachment": (
        Row(requester_or_staff("habitant_a", "agent_a"), kwargs=_attachment("a")),
        Row(requester_or_staff("habitant_b", "agent_b"), kwargs=_attachment("b")),
    ),
    "requests_app:request_reply": Row(signed_in(POST_ONLY), kwargs=_request("a")),
    "requests_app:request_cancel": Row(signed_in(POST_ONLY), kwargs=_request("a")),
    "requests_app:request_reopen": Row(signed_in(POST_ONLY), kwargs=_request("a")),
    # The tracking link of a request filed without an account.
    "requests_app:track": Row(public(), kwargs=_tracking),
    "requests_app:track_receipt": Row(public(), kwargs=_tracking),
    "requests_app:track_attachment": Row(
        public(), kwargs=lambda w: {**_tracking(w), "pk": w.anonymous_attachment.pk}
    ),
    "requests_app:track_reply": Row(answers(POST_ONLY), kwargs=_tracking),
    "requests_app:track_cancel": Row(answers(POST_ONLY), kwargs=_tracking),
    # --- "Mes données" (RGPD): every account, staff included, has its own data -----------------------------
    "requests_app:my_data": Row(signed_in()),
    "requests_app:my_data_download": Row(signed_in()),
    "requests_app:account_delete": Row(signed_in(), note="staff get the page saying to ask an administrator"),
    "requests_app:account_deleted": Row(public()),
    # --- The guichet
    # -----------------------------------------------------------------------------------------
    "guichet:queue": Row(back_office()),
    "guichet:export": Row(back_office()),
    "guichet:saved_filter_create": Row(back_office_post_only()),
    "guichet:saved_filter_delete": Row(back_office_post_only(), kwargs=lambda w: {"pk": w.saved_filter_a.pk}),
    "guichet:bulk": Row(back_office_post_only()),
    "guichet:intake": Row(back_office()),
    # The counter files for every espace.
    "guichet:intake_form": (
        Row(back_office(), kwargs=lambda w: {"code": "eclairage-public"}),
        Row(back_office(), kwargs=lambda w: {"code": "acte-etat-civil"}),
    ),
    # What the agent filed at the counter, or a request of their espaces.
    "guichet:intake_done": (
        Row(back_office(agent_b=NOT_FOUND), kwargs=_request("a")),
        Row(back_office(), kwargs=_request("counter"), note="filed by agent B for Tranquillité publique"),
    ),
    "guichet:request_detail": (
        Row(back_office(agent_b=NOT_FOUND), kwargs=_request("a")),
        Row(back_office(agent_a=NOT_FOUND), kwargs=_request("b")),
    ),
    "guichet:claim": Row(back_office_post_only(), kwargs=_request("a")),
    "guichet:assign": Row(back_office_post_only(), kwargs=_request("a")),
    "guichet:transition": Row(back_office_post_only(), kwargs=_request("a")),
    "guichet:message": Row(back_office_post_only(), kwargs=_request("a")),
    "guichet:change_service": Row(back_office_post_only(), kwargs=_request("a")),
    "guichet:priority": Row(back_office_post_only(), kwargs=_request("a")),
    "guichet:duplicate": Row(back_office_post_only(), kwargs=_request("a")),
    "guichet:receipt": (
        Row(back_office(agent_b=NOT_FOUND), kwargs=_request("a")),
        Row(
            back_office(),
            kwargs=_request("counter"),
            note="agent B hands over the receipt of what they filed",
        ),
    ),
    "guichet:attachment": (
        Row(back_office(agent_b=NOT_FOUND), kwargs=_attachment("a")),
        Row(back_office(agent_a=NOT_FOUND), kwargs=_attachment("b")),
    ),
    "guichet:visit_index": Row(back_office()),
    "guichet:visit_register": Row(back_office()),
    # A visitor for Tranquillité publique at the Hôtel de Ville.
    "guichet:visit_close": Row(back_office(agent_b=NOT_FOUND), kwargs=lambda w: {"pk": w.visit_a.pk}),
    "guichet:visit_left": Row(back_office_post_only(), kwargs=lambda w: {"pk": w.visit_a.pk}),
    "guichet:visit_screen": Row(back_office(), kwargs=lambda w: {"site_code": "hdv"}),
    "guichet:visit_screen_list": Row(back_office(), kwargs=lambda w: {"site_code": "hdv"}),
    "guichet:visit_call_next": Row(back_office_post_only(), kwargs=lambda w: {"site_code": "hdv"}),
    # --- Appointments
    # ----------------------------------------------------------------------------------------
    "appointments:home": Row(public()),
    "appointments:sites": Row(signed_in(), kwargs=lambda w: {"motif": "cni"}),
    "appointments:month": Row(signed_in(), kwargs=lambda w: {"motif": "cni", "site": "hdv"}),
    "appointments:day": Row(
        signed_in(), kwargs=lambda w: {"motif": "cni", "site": "hdv", "date": BOOKING_DAY}
    ),
    "appointments:details": (
        Row(signed_in(), kwargs=lambda w: {"motif": "cni", "site": "hdv"}, query=_slot),
        Row(
            signed_in(Redirect("/rendez-vous/cni/hdv/")),
            kwargs=lambda w: {"motif": "cni", "site": "hdv"},
            note="no slot chosen: back to the month",
        ),
    ),
    "appointments:confirmation": (
        Row(requester_only("habitant_a"), kwargs=lambda w: {"reference": w.booking_a.request.reference}),
        Row(requester_only("habitant_b"), kwargs=lambda w: {"reference": w.booking_b.request.reference}),
    ),
    "appointments:manage": Row(public(), kwargs=_booking_link),
    "appointments:manage_cancel": Row(answers(POST_ONLY), kwargs=_booking_link),
    "appointments:move_month": Row(public(), kwargs=_booking_link),
    "appointments:move_day": Row(public(), kwargs=lambda w: {**_booking_link(w), "date": "2026-03-25"}),
    # The CNI agendas belong to Citoyenneté: agent B's.
    "appointments:agent_home": Row(back_office()),
    "appointments:agent_day": Row(
        back_office(agent_a=NOT_FOUND), kwargs=lambda w: {**_agenda(w), "date": BOOKING_DAY}
    ),
    "appointments:agent_day_pdf": Row(
        back_office(agent_a=NOT_FOUND), kwargs=lambda w: {**_agenda(w), "date": BOOKING_DAY}
    ),
    "appointments:agent_book": (
        Row(back_office(agent_a=NOT_FOUND), kwargs=_agenda, query=_slot),
        Row(answers(NOT_FOUND), kwargs=_agenda, note="no slot in the link: 404 for everyone"),
    ),
    "appointments:agent_booking_action": Row(
        back_office_post_only(), kwargs=lambda w: {"booking_id": w.booking_a.pk}
    ),
    # --- Encombrants
    # -----------------------------------------------------------------------------------------
    "encombrants:home": Row(public()),
    "encombrants:start": Row(signed_in()),
    # Steps 2 and 3 need step 1's draft in the session: without it, back to step 1.
    "encombrants:days": Row(signed_in(Redirect("encombrants:start"))),
    "encombrants:summary": Row(signed_in(Redirect("encombrants:start"))),
    "encombrants:confirmation": (
        Row(requester_only("habitant_a"), kwargs=lambda w: {"reference": w.pickup_a.request.reference}),
        Row(requester_only("habitant_b"), kwargs=lambda w: {"reference": w.pickup_b.request.reference}),
    ),
    "encombrants:manage": Row(public(), kwargs=_pickup_link),
    "encombrants:manage_pdf": Row(public(), kwargs=_pickup_link),
    "encombrants:manage_ics": Row(public(), kwargs=_pickup_link),
    "encombrants:manage_amend": Row(public(), kwargs=_pickup_link),
    "encombrants:manage_cancel": Row(answers(POST_ONLY), kwargs=_pickup_link),
    "encombrants:manage_missed": Row(answers(POST_ONLY), kwargs=_pickup_link),
    # Pickups belong to Vie locale: agent A's; agent B works for no espace that handles them.
    "encombrants:agent_home": Row(back_office(agent_b=NOT_FOUND)),
    "encombrants:agent_book": Row(back_office(agent_b=NOT_FOUND)),
    "encombrants:agent_export": (
        Row(back_office(agent_b=NOT_FOUND), query="?jour=" + PICKUP_DAY),
        Row(answers(NOT_FOUND), note="neither ?jour= nor ?mois=: 404 for everyone"),
    ),
    "encombrants:agent_round": Row(
        back_office(agent_b=NOT_FOUND), kwargs=lambda w: {"sector": "centre", "date": PICKUP_DAY}
    ),
    "encombrants:agent_round_pdf": Row(
        back_office(agent_b=NOT_FOUND), kwargs=lambda w: {"sector": "centre", "date": PICKUP_DAY}
    ),
    "encombrants:agent_pickup": Row(back_office(agent_b=NOT_FOUND), kwargs=_pickup),
    "encombrants:agent_pickup_pdf": Row(back_office(agent_b=NOT_FOUND), kwargs=_pickup),
    "encombrants:agent_attachment": Row(
        back_office(agent_b=NOT_FOUND),
        kwargs=lambda w: {**_pickup(w), "pk": w.pickup_a.request.attachments.get().pk},
    ),
    "encombrants:agent_outcome_photo": Row(back_office(agent_b=NOT_FOUND), kwargs=_pickup),
    "encombrants:agent_amend": Row(back_office(agent_b=NOT_FOUND), kwargs=_pickup),
    # POST-only: the method is checked before "does this agent work on pickups", hence 405 for agent B too.
    "encombrants:agent_outcome": Row(back_office_post_only(), kwargs=_pickup),
    "encombrants:agent_cancel": Row(back_office_post_only(), kwargs=_pickup),
    # --- Associations ---------------------------------------------------------------------------------------
    # The association member presides the association (a submitted dossier of the 2026 campaign); habitant B
    # holds an invitation to join. Instructors: agents of Vie locale (agent A) and those who see every espace
    # (associations.services.is_instructor); everyone else, anonymous included, 404.
    "associations:home": Row(public()),
    "associations:campaigns": Row(public()),
    "associations:open_data": Row(public(), kwargs=lambda w: {"year": 2026}),
    "associations:open_data_csv": Row(public(), kwargs=lambda w: {"year": 2026}),
    "associations:association_new": Row(signed_in()),
    # A signed invitation is a bearer link, but accepting it needs an account.
    "associations:invitation": Row(signed_in(), kwargs=lambda w: {"token": w.invitation_token}),
    "associations:association": Row(requester_only("membre_association"), kwargs=_association),
    "associations:association_edit": Row(requester_only("membre_association"), kwargs=_association),
    "associations:member_invite": Row(signed_in(POST_ONLY), kwargs=_association),
    "associations:member_remove": Row(
        signed_in(POST_ONLY), kwargs=lambda w: {**_association(w), "membership_id": w.membership.pk}
    ),
    "associations:document_add": Row(signed_in(POST_ONLY), kwargs=_association),
    "associations:dossier_new": Row(
        signed_in(POST_ONLY), kwargs=lambda w: {**_association(w), "campaign_id": w.campaign.pk}
    ),
    "associations:dossier": Row(requester_only("membre_association"), kwargs=_dossier),
    # The draft saved as one types (htmx): POST only, the method checked after login_required.
    "associations:dossier_autosave": Row(signed_in(POST_ONLY), kwargs=_dossier),
    "associations:dossier_pdf": Row(requester_only("membre_association"), kwargs=_dossier),
    "associations:report": Row(
        answers(NOT_FOUND, anonyme=LOGIN),
        kwargs=_dossier,
        note="no compte-rendu before the grant is decided: 404 for the members too",
    ),
    "associations:instruction": Row(back_office(agent_b=NOT_FOUND)),
    "associations:instruction_campaign": Row(
        back_office(agent_b=NOT_FOUND), kwargs=lambda w: {"pk": w.campaign.pk}
    ),
    "associations:campaign_new": Row(back_office(agent_b=NOT_FOUND)),
    "associations:campaign_edit": Row(back_office(agent_b=NOT_FOUND), kwargs=lambda w: {"pk": w.campaign.pk}),
    "associations:instruction_export": Row(
        back_office(agent_b=NOT_FOUND), kwargs=lambda w: {"pk": w.campaign.pk}
    ),
    "associations:instruction_dossier": Row(back_office(agent_b=NOT_FOUND), kwargs=_dossier),
    "associations:instruction_pdf": Row(
        back_office(agent_b=NOT_FOUND), kwargs=lambda w: {**_dossier(w), "document": "recapitulatif"}
    ),
}


# --- Third-party patterns: an explicit allow-list with a documented expectation
# ------------------------------


@dataclass(frozen=True)
class Group:
    """Patterns we do not write ourselves, recognised by namespace or by their view's module."""

    name: str
    expectation: str
    namespaces: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    names: frozenset[str] = field(default_factory=frozenset)

    def covers(self, url_name: str, module: str) -> bool:
        namespace = url_name.rpartition(":")[0]
        return namespace in self.namespaces or (bool(self.modules) and module.startswith(self.modules))


ADMIN = Group(
    name="admin",
    namespaces=("admin",),
    expectation=(
        "Django's admin, one rule for its generated names (test_the_admin_answers_only_administrators): "
        "every page redirects everyone but the administrator to the admin's login (/admin/login/), which "
        "sends to allauth's (the one door, bethune_portal/urls.py); the administrator gets 200 on the index, "
        "every app index, changelist, add page and a real object's change, history and delete pages, except "
        "what the test file's ADMIN_SPECIAL, ADMIN_FOR_ADMINISTRATOR and _administrator_answer list."
    ),
)
STATIC = Group(
    name="static",
    modules=("django.views.static", "django.contrib.staticfiles.views"),
    expectation=(
        "Static files are served by WhiteNoise (a middleware), not by a URL pattern; Django adds one only "
        "with DEBUG. Such a pattern would be public (200 for an existing file, 404 otherwise) for every role."
    ),
)
THIRD_PARTY = (ADMIN, STATIC)
