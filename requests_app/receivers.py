"""Signal receivers of the spine: each only calls a service (no business rule lives in a signal)."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from requests_app import services


@receiver(email_confirmed, dispatch_uid="requests_app.link_requests_on_email_confirmed")
def link_requests_on_email_confirmed(sender, request, email_address, **kwargs):
    """Someone who filed without an account, then signs up and verifies the same address, finds those
    requests in "Mes demandes"."""
    services.requests_link_to_user(user=email_address.user, email=email_address.email)
