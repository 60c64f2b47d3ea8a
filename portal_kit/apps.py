from django.apps import AppConfig


class PortalKitConfig(AppConfig):
    """An app only for its health-ping model and task (a worker proving it reaches the database)."""

    name = "portal_kit"
    verbose_name = "Outils du portail"
