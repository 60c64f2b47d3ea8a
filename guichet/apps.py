from django.apps import AppConfig


class GuichetConfig(AppConfig):
    name = "guichet"
    verbose_name = "Guichet"

    def ready(self):
        from guichet.registration import register

        register()
