from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production(command: str) -> None:
    """Demo and generated data must never reach the town's real database."""
    if getattr(settings, "PORTAL_ENV", "") == "prod":
        raise CommandError(
            f"{command} refuse de s'exécuter avec les réglages de production "
            "(DJANGO_SETTINGS_MODULE=bethune_portal.settings.prod) : il écrirait des données fictives."
        )
