"""Reply templates: placeholders filled with the request's facts. An unknown placeholder is left as typed
(so a typo shows in the text instead of breaking the page)."""

from accounts.models import User
from guichet.models import ReplyTemplate
from requests_app.models import Request

PLACEHOLDERS = {
    "reference": "la référence de la demande",
    "nom": "le nom du demandeur",
    "service": "le service",
    "echeance": "l'échéance",
    "agent": "votre nom",
}


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def reply_render(*, template: ReplyTemplate, request: Request, agent: User) -> str:
    values = _Keep(
        reference=request.reference or "",
        nom=request.requester_name or "Madame, Monsieur",
        service=request.service.name,
        echeance=request.due_date.strftime("%d/%m/%Y") if request.due_date else "",
        agent=agent.get_full_name() or agent.email,
    )
    return template.body.format_map(values)
