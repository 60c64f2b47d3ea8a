"""The guichet's entries in the registry: its menu entry for agents, its daily digest and its demo reply
templates."""

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


def _visit_names_purge(now) -> int:
    """The name a visitor gave at the reception is blanked PORTAL_RETENTION["visit_name_days"] after the
    visit; the ticket, espace, reason and times stay for the footfall figures."""
    import datetime

    from django.conf import settings

    from guichet.models import Visit

    limit = now - datetime.timedelta(days=settings.PORTAL_RETENTION["visit_name_days"])
    return Visit.objects.filter(arrived_at__lt=limit).exclude(visitor_name="").update(visitor_name="")


def _how_long():
    from django.conf import settings
    from django.utils.translation import ngettext

    days = settings.PORTAL_RETENTION["visit_name_days"]
    return ngettext(
        "le nom : %(days)d jour après la visite, puis il est effacé.",
        "le nom : %(days)d jours après la visite, puis il est effacé.",
        days,
    ) % {"days": days}


def register() -> None:
    from guichet.seed import reply_templates_seed

    registry.register(
        AppRegistration(
            name="guichet",
            periodic_tasks=(
                PeriodicTask(
                    "guichet-daily-digest", "guichet.tasks.agent_digest_task", crontab(hour=8, minute=0)
                ),
            ),
            menu=(MenuEntry(_("Guichet"), "guichet:queue", audience="agent", order=80),),
            demo_data=lambda: f"{reply_templates_seed()} réponses types",
            demo_order=60,
            personal_data=PersonalData(
                purge=_visit_names_purge,
                notices=(
                    PrivacyNotice(
                        _("Votre passage à l'accueil du Guichet Unique"),
                        _("Le nom donné à l'accueil (facultatif), le motif de votre visite, les heures."),
                        _("Vous appeler à votre tour et mesurer l'attente au guichet."),
                        _how_long,
                    ),
                ),
            ),
        )
    )
