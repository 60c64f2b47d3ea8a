from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = "Rendez-vous"

    def ready(self):
        from appointments.registration import register

        register()  # the app's one declaration to the spine: appointments/registration.py
