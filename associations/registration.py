"""The associations app's one registration with the spine (requests_app.registry): the kind it owns
("subvention": every dossier is a Request of the catalogue's "subvention-association" service), the pages
that manage a dossier's request, its emails, its event kinds, its beat tasks, its menu entries, its demo
data, its figures and its personal data. The `Owner` it receives is what lets its services move a
dossier's request."""

from celery.schedules import crontab
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

KIND = "subvention"
SERVICE_CODE = "subvention-association"
EMAILS = ("dossier_submitted", "corrections_asked", "decision", "report_reminder", "report_more")

RESUBMITTED = "associations.resubmitted"
ADMISSIBLE = "associations.admissible"
OPINION = "associations.opinion"
REPORT_REMINDER = "associations.report_reminder"
REPORT_SUBMITTED = "associations.report_submitted"
REPORT_ACCEPTED = "associations.report_accepted"
REPORT_MORE = "associations.report_more"
PAYMENT = "associations.payment"

_owner: Owner | None = None


def owner() -> Owner:
    """The capability the spine asks for before changing a dossier's request (set once, at start-up)."""
    if _owner is None:
        raise RuntimeError("the associations app is not registered yet (AppConfig.ready)")
    return _owner


def _anonymise(request) -> None:
    """When the spine anonymises a dossier's request: the name of the legal representative goes; the
    amounts stay (they are public once granted)."""
    from associations.models import Dossier

    Dossier.objects.filter(request=request).update(sworn_name="", sworn_quality="")


def _export(user) -> list[dict]:
    from associations.models import Membership

    return [
        {
            "association": membership.association.name,
            "rna": membership.association.rna,
            "role": membership.get_role_display(),
            "depuis": membership.joined_at.isoformat(),
        }
        for membership in Membership.objects.filter(user=user).select_related("association")
    ]


def _how_long():
    return _(
        "tant que vous êtes membre de l'association ; les dossiers de subvention sont des archives publiques."
    )


def register() -> None:
    global _owner
    from associations.links import agent_path_for_request, resident_path_for_request
    from associations.seed import associations_seed
    from associations.selectors import figures_per_axis, reports_overdue_count

    def demo() -> str:
        return associations_seed()

    def email(name: str):
        def build(notification):
            from associations.emails import email_build

            return email_build(notification, name)

        return build

    _owner = registry.register(
        AppRegistration(
            name="associations",
            ownership=Ownership(
                kinds={KIND: _("Subvention")},
                noun=_("dossier de subvention"),
                resident_path=resident_path_for_request,
                agent_path=agent_path_for_request,
                start_url_name="associations:home",
            ),
            emails={f"associations/{name}": email(name) for name in EMAILS},
            event_kinds=(
                EventKind(RESUBMITTED, _("Dossier corrigé et déposé de nouveau")),
                EventKind(ADMISSIBLE, _("Dossier recevable, en instruction")),
                EventKind(OPINION, _("Avis de l'instructeur"), _("Avis et montant proposé")),
                EventKind(PAYMENT, _("Versement effectué")),
                EventKind(REPORT_REMINDER, _("Rappel : compte-rendu financier à rendre")),
                EventKind(REPORT_SUBMITTED, _("Compte-rendu financier déposé")),
                EventKind(REPORT_ACCEPTED, _("Compte-rendu financier accepté")),
                EventKind(REPORT_MORE, _("Compléments demandés sur le compte-rendu financier")),
            ),
            periodic_tasks=(
                # Every morning at 7:00: documents expiring in 30 days, reports due in 30 days or today.
                PeriodicTask(
                    "associations-documents-expiry",
                    "associations.tasks.documents_expiry_task",
                    crontab(hour=7, minute=0),
                ),
                PeriodicTask(
                    "associations-report-reminders",
                    "associations.tasks.report_reminders_task",
                    crontab(hour=7, minute=10),
                ),
            ),
            menu=(
                MenuEntry(_("Associations"), "associations:home", audience="authenticated", order=40),
                MenuEntry(_("Subventions"), "associations:instruction", audience="agent", order=87),
            ),
            demo_data=demo,
            demo_order=40,
            personal_data=PersonalData(
                anonymise=_anonymise,
                export=_export,
                notices=(
                    PrivacyNotice(
                        _("Vos associations"),
                        _(
                            "Votre rôle dans l'association, le nom et la qualité du représentant légal qui "
                            "signe la demande de subvention."
                        ),
                        _("Instruire les demandes de subvention et verser les aides."),
                        _how_long,
                    ),
                ),
            ),
            figures=(
                Figure(
                    "associations.per_axis",
                    _("Subventions par campagne et par axe"),
                    _(
                        "Pour chaque campagne et chaque axe : enveloppe, montants demandés (dossiers "
                        "déposés), "
                        ""
                        "montants accordés, nombre d'associations, part accordée aux projets touchant un "
                        "quartier prioritaire (QPV)."
                    ),
                    figures_per_axis,
                ),
                Figure(
                    "associations.reports_overdue",
                    _("Comptes-rendus financiers en retard"),
                    _("Comptes-rendus financiers non acceptés dont la date limite est passée."),
                    reports_overdue_count,
                ),
            ),
        )
    )
