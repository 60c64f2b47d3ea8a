"""Saved queue views: personal, or shared with one of the agent's espaces; one default view per agent."""

from django.db import IntegrityError, transaction
from django.http import QueryDict

from accounts.models import User
from guichet.models import SavedFilter
from guichet.selectors import QueueFilters
from portal_kit.input_cleaning import has_nul
from requests_app.errors import ServiceError
from requests_app.models import Espace


def saved_filter_query_error(query: str) -> str | None:
    """Why a view's query string cannot be kept (a NUL byte, a date out of bounds or malformed), or None.
    Checked before a filter is stored, and again when a stored default is applied: a default holding
    au=9999-12-31 used to break its agent's queue at every visit."""
    params = QueryDict(query)
    if "\x00" in query or has_nul(params):
        return "Ce filtre contient un caractère non autorisé."
    errors = QueueFilters.from_query(params).errors
    if errors:
        return " ".join(errors)
    return None


def saved_filter_create(
    *, owner: User, name: str, query: str, shared_with: Espace | None = None, is_default: bool = False
) -> SavedFilter:
    """The new default replaces the old one in the same transaction, so a refused name (unique per agent,
    settled by the constraint) leaves the agent's current default as it was."""
    error = saved_filter_query_error(query)
    if error is not None:
        raise ServiceError(f"Filtre non enregistré : {error}", field="query")
    try:
        with transaction.atomic():
            if is_default:
                SavedFilter.objects.filter(owner=owner, is_default=True).update(is_default=False)
            return SavedFilter.objects.create(
                owner=owner, name=name.strip(), query=query, shared_with=shared_with, is_default=is_default
            )
    except IntegrityError:
        raise ServiceError(f"Vous avez déjà un filtre nommé « {name.strip()} ».", field="name") from None
