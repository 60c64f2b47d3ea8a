"""The encombrants app's one registration with the spine (requests_app.registry): the kind it owns and the
pages that manage a pickup's request, its emails, its event kinds, its beat task, its menu entries, its
demo data and its dashboard figures. The `Owner` it receives is what lets its services change a pickup's
request."""

from django.utils.translation import gettext_lazy as _

from requests_app.registry import (
    AppRegistration,
    EventKind,
    Figure,
    MenuEntry,
    Owner,
    Ownership,
    PeriodicTask,
    registry,
)

KIND = "encombrants"
REMINDER = "encombrants.reminder"
AMENDED = "encombrants.amended"
MISSED = "encombrants.missed_reported"
EMAILS = ("confirmed", "amended", "reminder", "outcome")

_owner: Owner | None = None


def owner() -> Owner:
    """The capability the spine asks for before changing a pickup's request (set once, at start-up)."""
    if _owner is None:
        raise RuntimeError("the encombrants app is not registered yet (AppConfig.ready)")
    return _owner


def _reminder_label(event) -> str:
    days = (event.payload or {}).get("days")
    if days == 1:
        return _("Rappel envoyé : enlèvement demain")
    return _("Rappel envoyé : enlèvement dans %(days)s jours") % {"days": days or 3}


def register() -> None:
    global _owner
    from encombrants.emails import email_builder
    from encombrants.links import agent_path_for_request, manage_path_for_request
    from encombrants.seed import encombrants_seed
    from encombrants.selectors import fill_figures, refused_figures

    _owner = registry.register(
        AppRegistration(
            name="encombrants",
            ownership=Ownership(
                kinds={KIND: _("Encombrants")},
                noun=_("enlèvement d'encombrants"),
                resident_path=manage_path_for_request,
                agent_path=agent_path_for_request,
                start_url_name="encombrants:home",
            ),
            emails={f"encombrants/{name}": email_builder(name) for name in EMAILS},
            event_kinds=(
                EventKind(REMINDER, _reminder_label, _("Rappel envoyé")),
                EventKind(AMENDED, _("Enlèvement modifié")),
                EventKind(MISSED, _("Enlèvement non effectué signalé")),
            ),
            periodic_tasks=(
                # Every hour: the reminders 3 days and 1 day before, each queued once in the outbox.
                PeriodicTask("encombrants-reminders", "encombrants.tasks.pickup_reminders_task", 3600.0),
            ),
            menu=(
                MenuEntry(_("Encombrants"), "encombrants:home", audience="all", order=35),
                MenuEntry(_("Tournées encombrants"), "encombrants:agent_home", audience="agent", order=86),
            ),
            demo_data=encombrants_seed,
            demo_order=35,
            figures=(
                Figure(
                    "encombrants.pickups_per_week",
                    _("Encombrants : enlèvements et volume par semaine et par secteur"),
                    _(
                        "Enlèvements dont le jour tombe dans la semaine ISO, annulés exclus ; volume réservé "
                        "en m³, taux de remplissage (enlèvements réservés / capacité des jours ouverts) et "
                        "taux d'objets non sortis (parmi les enlèvements dont le résultat est saisi)."
                    ),
                    fill_figures,
                ),
                Figure(
                    "encombrants.refused_items",
                    _("Encombrants : objets refusés par type"),
                    _("Objets marqués refusés par les équipes (collecte partielle), par type d'objet."),
                    refused_figures,
                ),
            ),
        )
    )
