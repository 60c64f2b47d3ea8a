"""Requests owned by a domain app. A booking's request must follow its booking: cancelling or closing it
from the generic pages would leave the seat taken and the reminder queued. A domain app registers the
service kind it owns (in its AppConfig.ready()); the spine then refuses status changes that do not come
from that app, and the pages send the person to the app's own page instead."""

from collections.abc import Callable
from dataclasses import dataclass

from requests_app.models import Request


@dataclass(frozen=True)
class DomainOwner:
    kind: str
    label: str  # what the pages call the thing ("rendez-vous")
    resident_path: Callable[[Request], str | None]  # where the requester manages it
    agent_path: Callable[[Request], str | None]  # where agents manage it


_OWNERS: dict[str, DomainOwner] = {}


def register_domain_owner(owner: DomainOwner) -> None:
    _OWNERS[owner.kind] = owner


def domain_owner_for(request: Request) -> DomainOwner | None:
    return _OWNERS.get(request.service.kind)
