from django.apps import AppConfig


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = "Associations"

    def ready(self):
        from associations.registration import register

        register()
