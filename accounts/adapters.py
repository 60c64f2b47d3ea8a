from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group

from accounts import roles


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who signs up on the portal is a resident; staff accounts are made by administrators."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.groups.add(Group.objects.get(name=roles.RESIDENT))
        return user
