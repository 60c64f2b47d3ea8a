"""Intake on behalf: an agent files any service's request for someone at the counter, on the phone, by
mail or email, for a resident with an account or a contact without one.

The account chosen travels in the URL as a signed token (`usager=`), made for the agent who searched and
valid for a working day, never as a raw id: a sequential id would let any agent read any resident's name,
address and phone by counting (issue #20)."""

import re

from django.contrib import messages
from django.core import signing
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from guichet.access import agent_required
from guichet.forms import intake_form_class
from guichet.selectors import phone_matches
from requests_app import services
from requests_app.errors import ServiceError
from requests_app.models import Channel, Service
from requests_app.selectors import service_get_for_filing


def _residents(query: str) -> list[User]:
    query = query.strip()
    if len(query) < 2:
        return []
    words = query.split()
    condition = Q(email__iexact=query)
    if re.search(r"\d", query):
        condition |= phone_matches("phone", query)
    name = Q()
    for word in words:
        name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return list(
        User.objects.filter(condition | name, is_active=True, groups__name=roles.RESIDENT)
        .distinct()
        .order_by("last_name", "first_name")[:20]
    )


_TOKEN_SALT = "guichet.intake.usager"  # noqa: S105 (a signing namespace, not a secret)
_TOKEN_MAX_AGE = 12 * 3600  # a working day at the counter


def usager_token(*, resident: User, agent: User) -> str:
    """What a search result links with: the resident's id, signed for this agent only."""
    return signing.dumps([resident.pk, agent.pk], salt=_TOKEN_SALT)


def _resident_from_token(token: str, *, agent: User) -> User | None:
    """The resident a token names, if it is intact, recent, made for this agent and still a resident."""
    try:
        resident_pk, agent_pk = signing.loads(token, salt=_TOKEN_SALT, max_age=_TOKEN_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if agent_pk != agent.pk or not isinstance(resident_pk, int):
        return None
    # Only a resident can be filed for; a staff account is not a requester.
    return User.objects.filter(pk=resident_pk, is_active=True, groups__name=roles.RESIDENT).first()


@agent_required
def intake(request):
    """Step 1: who is asking (search an account or go on with a contact) and for which service."""
    query = request.GET.get("q", "")
    residents = _residents(query)
    token = request.GET.get("usager", "")
    chosen = _resident_from_token(token, agent=request.user) if token else None
    return render(
        request,
        "guichet/intake/start.html",
        {
            "query": query,
            "residents": residents,
            "results": [
                {
                    "person": person,
                    "token": usager_token(resident=person, agent=request.user),
                    "current": chosen is not None and person.pk == chosen.pk,
                }
                for person in residents
            ],
            "services": Service.objects.filter(active=True)
            .select_related("espace")
            .order_by("espace__order", "name"),
            "channels": Channel.choices,
            "chosen": token if chosen is not None else "",
        },
    )


@agent_required
def intake_form(request, code: str):
    """Step 2: the service's form, filed with the channel, the site and the agent as creator."""
    service = service_get_for_filing(code=code)
    requester = None
    token = request.GET.get("usager") or request.POST.get("usager") or ""
    if token:
        requester = _resident_from_token(token, agent=request.user)
        if requester is None:
            raise Http404
    form_class = intake_form_class()
    initial = {"channel": request.GET.get("canal", "guichet")}
    if requester is not None:
        initial.update(
            contact_name=requester.get_full_name(),
            contact_email=requester.email,
            contact_phone=requester.phone,
        )
    form = form_class(request.POST or None, request.FILES or None, service=service, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.filing_data()
        try:
            filed = services.request_submit(
                service=service,
                requester=requester,
                data=data,
                channel=form.cleaned_data["channel"],
                site=form.cleaned_data["site"],
                created_by=request.user,
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Demande %(ref)s enregistrée.") % {"ref": filed.reference})
            return redirect("guichet:intake_done", filed.reference)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "guichet/intake/form.html",
        {"form": form, "service": service, "requester": requester, "usager_token": token},
        status=status,
    )


@agent_required
def intake_done(request, reference: str):
    """What the agent just filed, even for a service of another espace (the counter files for every
    espace): the reference and the receipt to print; the request page only if it is in their espaces."""
    from guichet import selectors

    filed, visible = selectors.request_get_filed_or_visible(user=request.user, reference=reference)
    return render(request, "guichet/intake/done.html", {"req": filed, "visible": visible})
