from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: base layout, home and legal pages, health, seed commands."""

    name = "bethune_portal"
    verbose_name = "Portail"
