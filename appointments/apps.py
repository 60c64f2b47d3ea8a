from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = "Rendez-vous"

    def ready(self):
        from appointments.emails import emails_register
        from appointments.links import agent_day_path_for_request, manage_path_for_request
        from requests_app.domain_registry import DomainOwner, register_domain_owner

        emails_register()
        # A booking's request follows its booking: the spine refuses its status changes from anywhere but
        # this app, and the request pages send the person (and the agents) to the booking's own pages.
        register_domain_owner(
            DomainOwner(
                kind="rendez_vous",
                label="rendez-vous",
                resident_path=manage_path_for_request,
                agent_path=agent_day_path_for_request,
            )
        )
