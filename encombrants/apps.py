from django.apps import AppConfig


class EncombrantsConfig(AppConfig):
    name = "encombrants"
    verbose_name = "Encombrants"
