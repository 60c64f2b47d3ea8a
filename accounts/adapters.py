from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.models import Group

from accounts import roles
from portal_kit.client_ip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who signs up on the portal is a resident; staff accounts are made by administrators."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.groups.add(Group.objects.get(name=roles.RESIDENT))
        return user

    def get_client_ip(self, request) -> str:
        # One rule for the client's address (portal_kit.client_ip, PORTAL_TRUSTED_PROXIES): allauth's login
        # limits and ours count the same address, and a short X-Forwarded-For falls back instead of failing.
        return client_ip(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Without django.contrib.sites allauth names the site after the request's host ("testserver",
        # "127.0.0.1"): the emails name the service instead.
        context = {
            **context,
            "current_site": SimpleNamespace(
                name="Ville de Béthune – services en ligne", domain=urlsplit(settings.SITE_URL).netloc
            ),
        }
        super().send_mail(template_prefix, email, context)
