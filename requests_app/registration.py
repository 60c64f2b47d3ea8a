"""The spine's own entries in the registry, declared like any app's: its menu, its periodic tasks and its
demo data (the town's catalogue of démarches)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from requests_app.registry import (
    AppRegistration,
    MenuEntry,
    PeriodicTask,
    PersonalData,
    PrivacyNotice,
    registry,
)


def _sign_in_log_purge(now) -> int:
    """Sign-ins and failed sign-ins older than PORTAL_RETENTION["sign_in_log_days"] are deleted."""
    import datetime

    from django.conf import settings

    from accounts.models import SignInEvent

    limit = now - datetime.timedelta(days=settings.PORTAL_RETENTION["sign_in_log_days"])
    return SignInEvent.objects.filter(at__lt=limit).delete()[0]


def _sign_in_log_how_long():
    from django.conf import settings
    from django.utils.translation import ngettext

    days = settings.PORTAL_RETENTION["sign_in_log_days"]
    return ngettext("%(days)d jour, puis il est effacé.", "%(days)d jours, puis il est effacé.", days) % {
        "days": days
    }


def register() -> None:
    from requests_app.catalogue_seed import catalogue_seed
    from requests_app.models import ServiceKind

    registry.register(
        AppRegistration(
            name="requests_app",
            kinds=dict(ServiceKind.choices),
            periodic_tasks=(
                # Every 2 minutes: re-send what a dead worker or an unreachable broker left pending.
                PeriodicTask("notifications-sweep", "requests_app.tasks.notification_sweep_task", 120.0),
                # Nightly: personal data of requests closed PORTAL_RETENTION ago anonymised, drafts purged.
                PeriodicTask(
                    "retention-apply", "requests_app.tasks.retention_apply_task", crontab(hour=3, minute=45)
                ),
            ),
            menu=(
                MenuEntry(_("Démarches"), "requests_app:catalogue", audience="all", order=10),
                MenuEntry(_("Mes demandes"), "requests_app:my_requests", audience="authenticated", order=20),
            ),
            demo_data=lambda: f"{catalogue_seed()} services au catalogue",
            demo_order=10,
            personal_data=PersonalData(
                purge=_sign_in_log_purge,
                notices=(
                    PrivacyNotice(
                        _("Le journal des connexions"),
                        _(
                            "Chaque connexion et chaque tentative échouée : l'adresse électronique saisie, "
                            "l'adresse IP, la date et l'heure."
                        ),
                        _("Protéger les comptes contre les intrusions et enquêter sur l'une d'elles."),
                        _sign_in_log_how_long,
                    ),
                ),
            ),
        )
    )
