from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = "Demandes"

    def ready(self):
        from requests_app import receivers  # noqa: F401  (connects the signal receivers)
        from requests_app.registration import register

        register()
