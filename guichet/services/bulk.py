"""Bulk actions on up to 500 selected requests: each request in its own transaction (one refusal does not
undo the others), and a summary of what was done and what was refused, with why."""

from dataclasses import dataclass, field

from accounts.models import User
from guichet.access import agent_espace_ids
from guichet.selectors import requests_for_bulk
from requests_app import services
from requests_app.errors import ServiceError
from requests_app.models import Status

BULK_LIMIT = 500


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)


def bulk_apply(
    *,
    agent: User,
    references: list[str],
    action: str,
    assignee: User | None = None,
    to_status: str = "",
    message: str = "",
) -> BulkResult:
    references = list(dict.fromkeys(ref.strip().upper() for ref in references if ref.strip()))
    if not references:
        raise ServiceError("Sélectionnez au moins une demande.", field="references")
    if len(references) > BULK_LIMIT:
        raise ServiceError(
            f"Une action groupée porte sur {BULK_LIMIT} demandes au plus ({len(references)} sélectionnées).",
            field="references",
        )
    if action not in ("assign", "status", "close"):
        raise ServiceError("Choisissez une action de la liste.", field="action")
    if action == "assign" and assignee is None:
        raise ServiceError("Choisissez l'agent à qui attribuer les demandes.", field="assignee")
    if action == "assign" and not assignee.is_agent:
        raise ServiceError(f"{assignee} n'est pas un agent.", field="assignee")
    if action == "status" and to_status not in Status.values:
        raise ServiceError("Choisissez le nouveau statut.", field="to_status")
    if action == "close":
        to_status = Status.RESOLVED
    if (
        action in ("status", "close")
        and to_status in (Status.RESOLVED, Status.REJECTED)
        and not message.strip()
    ):
        raise ServiceError(
            "Écrivez le message envoyé aux demandeurs pour clore les demandes.", field="message"
        )
    requests, unknown = requests_for_bulk(user=agent, references=references)
    result = BulkResult(refused=[(ref, "demande inconnue ou hors de vos espaces") for ref in unknown])
    # Like the request page's menu (agents_for_assignment): an agent takes only their espaces' requests.
    assignee_espaces = agent_espace_ids(assignee) if action == "assign" else None
    for request in requests:
        if assignee_espaces is not None and request.espace_id not in assignee_espaces:
            result.refused.append(
                (request.reference, f"{assignee} ne travaille pas pour l'espace de cette demande")
            )
            continue
        try:
            if action == "assign":
                services.request_assign(request=request, actor=agent, assignee=assignee)
            else:
                services.request_transition(
                    request=request, to_status=to_status, actor=agent, message=message
                )
        except ServiceError as error:
            result.refused.append((request.reference, error.message))
        else:
            result.done.append(request.reference)
    return result
