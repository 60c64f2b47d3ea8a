"""Saved queue views: personal, or shared with one of the agent's espaces; one default view per agent."""

from django.db import IntegrityError, transaction

from accounts.models import User
from guichet.models import SavedFilter
from requests_app.errors import ServiceError
from requests_app.models import Espace


def saved_filter_create(
    *, owner: User, name: str, query: str, shared_with: Espace | None = None, is_default: bool = False
) -> SavedFilter:
    """The new default replaces the old one in the same transaction, so a refused name (unique per agent,
    settled by the constraint) leaves the agent's current default as it was."""
    try:
        with transaction.atomic():
            if is_default:
                SavedFilter.objects.filter(owner=owner, is_default=True).update(is_default=False)
            return SavedFilter.objects.create(
                owner=owner, name=name.strip(), query=query, shared_with=shared_with, is_default=is_default
            )
    except IntegrityError:
        raise ServiceError(f"Vous avez déjà un filtre nommé « {name.strip()} ».", field="name") from None
