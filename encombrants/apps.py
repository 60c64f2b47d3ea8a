from django.apps import AppConfig


class EncombrantsConfig(AppConfig):
    name = "encombrants"
    verbose_name = "Encombrants"

    def ready(self):
        from encombrants.registration import register

        register()  # the app's one declaration to the spine: encombrants/registration.py
