"""How a domain app adds its own emails to the one notification path (a small typed registry, after Open
Formulieren's plugins): it registers a builder for its template names in its AppConfig.ready(); the outbox
then sends its notifications like the spine's own, claimed once, retried and swept."""

from collections.abc import Callable

from django.core.mail import EmailMultiAlternatives

from requests_app.models import Notification

EmailBuilder = Callable[[Notification], EmailMultiAlternatives]
_BUILDERS: dict[str, EmailBuilder] = {}


def register_email(template: str, builder: EmailBuilder) -> None:
    """`template` is namespaced by the app ("appointments/booking_confirmed"); registering twice replaces."""
    if "/" not in template:
        raise ValueError("A domain app's email template name is namespaced: '<app>/<name>'.")
    _BUILDERS[template] = builder


def email_builder_for(template: str) -> EmailBuilder | None:
    return _BUILDERS.get(template)
