"""The appointments app's one registration with the spine (requests_app.registry): the kind it owns and the
pages that manage a booking's request, its emails, its reminder event, its beat task, its menu entry and
its demo agendas. The `Owner` it receives is what lets its services change a booking's request."""

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

KIND = "rendez_vous"
REMINDER = "appointments.reminder"
EMAILS = ("booking_confirmed", "booking_rescheduled", "booking_cancelled", "booking_reminder")

_owner: Owner | None = None


def owner() -> Owner:
    """The capability the spine asks for before changing a booking's request (set once, at start-up)."""
    if _owner is None:
        raise RuntimeError("the appointments app is not registered yet (AppConfig.ready)")
    return _owner


def _anonymise(request) -> None:
    """When the spine anonymises a booking's request: the ANTS number and the PACS partners (names, birth
    dates, places of birth) go; the motif, site, time and outcome stay for the figures."""
    from appointments.models import Booking

    Booking.objects.filter(request=request).update(ants_number="", partners=[], user=None)


def _export(user) -> list[dict]:
    from appointments.models import Booking

    return [
        {
            "reference": booking.request.reference,
            "motif": booking.get_motif_display(),
            "lieu": booking.agenda.site.name,
            "debut": booking.starts_at.isoformat(),
            "statut": booking.get_status_display(),
            "personnes": booking.people,
            "numero_ants": booking.ants_number,
            "partenaires": booking.partners,
        }
        for booking in Booking.objects.filter(user=user)
        .select_related("request", "agenda__site")
        .order_by("starts_at")
    ]


def _how_long():
    from django.conf import settings
    from django.utils.translation import ngettext

    years = settings.PORTAL_RETENTION["closed_request_years"]
    return ngettext(
        "comme la demande du rendez-vous : %(years)d an après le rendez-vous, puis effacées.",
        "comme la demande du rendez-vous : %(years)d ans après le rendez-vous, puis effacées.",
        years,
    ) % {"years": years}


def _reminder_label(event) -> str:
    return _("Rappel de votre rendez-vous envoyé")


def register() -> None:
    global _owner
    from appointments.emails import email_builder
    from appointments.links import agent_day_path_for_request, manage_path_for_request
    from appointments.seed import agendas_seed
    from appointments.selectors import booking_figures, pacs_registered

    def demo() -> str:
        return f"{agendas_seed()} agendas de rendez-vous"

    _owner = registry.register(
        AppRegistration(
            name="appointments",
            ownership=Ownership(
                kinds={KIND: _("Rendez-vous")},
                noun=_("rendez-vous"),
                resident_path=manage_path_for_request,
                agent_path=agent_day_path_for_request,
                start_url_name="appointments:home",
            ),
            emails={f"appointments/{name}": email_builder(name) for name in EMAILS},
            event_kinds=(EventKind(REMINDER, _reminder_label, _("Rappel envoyé")),),
            periodic_tasks=(
                # Every 15 minutes: a reminder goes out 48 h (at most 15 min less) before the appointment.
                PeriodicTask(
                    "appointments-reminders", "appointments.tasks.booking_reminders_task", 15 * 60.0
                ),
            ),
            menu=(
                MenuEntry(_("Rendez-vous"), "appointments:home", audience="all", order=30),
                MenuEntry(_("Agendas"), "appointments:agent_home", audience="agent", order=85),
            ),
            demo_data=demo,
            demo_order=30,
            personal_data=PersonalData(
                anonymise=_anonymise,
                export=_export,
                notices=(
                    PrivacyNotice(
                        _("Vos rendez-vous"),
                        _(
                            "Le motif, le lieu, la date, le numéro de pré-demande ANTS et, pour un PACS, les "
                            "noms, dates et lieux de naissance des partenaires."
                        ),
                        _("Vous recevoir au Guichet Unique et préparer votre dossier."),
                        _how_long,
                    ),
                ),
            ),
            figures=(
                Figure(
                    "appointments.bookings_per_week",
                    _("Rendez-vous par semaine et par motif"),
                    _(
                        "Rendez-vous dont la date tombe dans la semaine ISO (heure de Paris), annulés "
                        "compris, avec ceux honorés, les absences et les annulations, par motif."
                    ),
                    booking_figures,
                ),
                Figure(
                    "appointments.pacs_registered",
                    _("PACS enregistrés"),
                    _("Rendez-vous PACS marqués « honoré » dont la date tombe dans la période."),
                    pacs_registered,
                ),
            ),
        )
    )
