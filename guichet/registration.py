"""The guichet's entries in the registry: its menu entry for agents, its daily digest and its demo reply
templates."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from requests_app.registry import AppRegistration, MenuEntry, PeriodicTask, registry


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
        )
    )
