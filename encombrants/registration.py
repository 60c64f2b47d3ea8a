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
    PersonalData,
    PrivacyNotice,
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


def _anonymise(request) -> None:
    """When the spine anonymises a pickup's request: the house number, the notes and the crew's photo go (the
    resident's photo is one of the request's attachments, deleted by the spine); the street, sector, day,
    volume and outcome stay for the figures, and the address key, which only served the yearly quota."""
    from encombrants.models import Pickup

    for pickup in Pickup.objects.filter(request=request):
        if pickup.outcome_photo:
            pickup.outcome_photo.delete(save=False)
        pickup.street_number = ""
        pickup.address_key = ""
        pickup.location_note = ""
        pickup.outcome_note = ""
        pickup.user = None
        pickup.save(
            update_fields=[
                "street_number",
                "address_key",
                "location_note",
                "outcome_note",
                "outcome_photo",
                "user",
            ]
        )


def _export(user) -> list[dict]:
    from encombrants.models import Pickup

    return [
        {
            "reference": pickup.request.reference,
            "jour": pickup.day.isoformat(),
            "adresse": f"{pickup.street_number} {pickup.street.name}".strip(),
            "ou_sont_les_objets": pickup.location_note,
            "objets": [f"{line.quantity} × {line.item.name}" for line in pickup.lines.all()],
            "statut": pickup.get_status_display(),
            "remarque_equipe": pickup.outcome_note,
        }
        for pickup in Pickup.objects.filter(user=user)
        .select_related("request", "street")
        .prefetch_related("lines__item")
        .order_by("day")
    ]


def _how_long():
    from django.conf import settings
    from django.utils.translation import ngettext

    years = settings.PORTAL_RETENTION["closed_request_years"]
    return ngettext(
        "comme la demande : %(years)d an après l'enlèvement, puis effacées.",
        "comme la demande : %(years)d ans après l'enlèvement, puis effacées.",
        years,
    ) % {"years": years}


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
            personal_data=PersonalData(
                anonymise=_anonymise,
                export=_export,
                notices=(
                    PrivacyNotice(
                        _("Vos enlèvements d'encombrants"),
                        _(
                            "L'adresse, le jour, les objets, où ils sont déposés, la photo éventuelle et ce "
                            "que l'équipe a constaté."
                        ),
                        _("Organiser la tournée, vous prévenir et vous dire ce qui a été collecté."),
                        _how_long,
                    ),
                ),
            ),
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
