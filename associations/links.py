"""Where the spine's generic pages send people for a dossier's request."""

from django.urls import reverse

from requests_app.models import Request


def _dossier_id(request: Request) -> int | None:
    from associations.models import Dossier

    return Dossier.objects.filter(request=request).values_list("pk", flat=True).first()


def resident_path_for_request(request: Request) -> str | None:
    pk = _dossier_id(request)
    return reverse("associations:dossier", args=[pk]) if pk else None


def agent_path_for_request(request: Request) -> str | None:
    pk = _dossier_id(request)
    return reverse("associations:instruction_dossier", args=[pk]) if pk else None
