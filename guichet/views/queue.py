"""The queue: one list of every channel's requests, with tabs, filters, search, saved views and export."""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet import selectors
from guichet.access import agent_espace_ids, agent_required
from guichet.forms import SavedFilterForm
from guichet.models import SavedFilter
from guichet.services import saved_filters
from portal_kit.exports import SafeWriter
from requests_app.errors import ServiceError
from requests_app.models import Channel, Priority, Status

logger = logging.getLogger(__name__)

# Query parameters that make up a view (saved filters keep these, not the page number).
VIEW_PARAMS = [
    "onglet",
    "statut",
    "service",
    "espace",
    "canal",
    "site",
    "quartier",
    "agent",
    "priorite",
    "du",
    "au",
    "q",
    "tri",
]


def _view_query(params: QueryDict) -> str:
    return urlencode([(key, params[key]) for key in VIEW_PARAMS if params.get(key)])


@agent_required
@require_GET
def queue(request):
    saved = selectors.saved_filters_for(user=request.user)
    params = request.GET
    if not any(params.get(key) for key in VIEW_PARAMS):
        default = next((item for item in saved if item.owner_id == request.user.pk and item.is_default), None)
        if default is not None:
            # Checked again here: a default stored before filters were validated (au=9999-12-31) must not
            # break its agent's queue at every visit.
            error = saved_filters.saved_filter_query_error(default.query)
            if error is None:
                params = QueryDict(default.query)
            else:
                messages.warning(
                    request,
                    _("Votre vue par défaut « %(name)s » est ignorée : %(error)s Enregistrez-la de nouveau.")
                    % {"name": default.name, "error": error},
                )
    filters = selectors.QueueFilters.from_query(params)
    today = timezone.localdate()
    espace_ids = agent_espace_ids(request.user)
    rows, has_next = selectors.queue_rows(
        selectors.queue_queryset(user=request.user, filters=filters, today=today), page=filters.page
    )
    view_query = _view_query(params)
    context = {
        "filters": filters,
        "rows": rows,
        "has_next": has_next,
        "today": today,
        "counts": selectors.queue_counts(user=request.user, today=today),
        "tabs": {key: str(label) for key, label in selectors.TABS.items()},
        "tab_label": str(selectors.TABS[filters.tab]),
        "view_query": view_query,
        "tab_query": urlencode([(k, params[k]) for k in VIEW_PARAMS if params.get(k) and k != "onglet"]),
        "saved_filters": saved,
        "choices": selectors.filter_choices(),
        # Menus with plain strings: lazy labels would be translated again at every option.
        "statuses": [(value, str(label)) for value, label in Status.choices if value != Status.DRAFT],
        "channels": [(value, str(label)) for value, label in Channel.choices],
        "priorities": [(value, str(label)) for value, label in Priority.choices],
        "sorts": [
            ("echeance", _("Échéance")),
            ("recentes", _("Plus récentes")),
            ("anciennes", _("Plus anciennes")),
            ("priorite", _("Priorité")),
        ],
        # From the cached menus: the share menu costs no query (the form validates the choice on POST).
        "share_espaces": [
            (pk, name)
            for pk, name in selectors.filter_choices().espaces
            if espace_ids is None or pk in espace_ids
        ],
    }
    template = "guichet/queue/_results.html" if request.htmx else "guichet/queue/queue.html"
    return render(request, template, context)


@agent_required
@require_POST
def saved_filter_create(request):
    form = SavedFilterForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved_filters.saved_filter_create(
                owner=request.user,
                name=data["name"],
                query=data["query"],
                shared_with=data["shared_with"],
                is_default=data["is_default"],
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Filtre « %(name)s » enregistré.") % {"name": data["name"]})
        return redirect(f"{reverse('guichet:queue')}?{data['query']}")
    messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect("guichet:queue")


@agent_required
@require_POST
def saved_filter_delete(request, pk: int):
    saved = get_object_or_404(SavedFilter, pk=pk, owner=request.user)
    saved.delete()
    messages.success(request, _("Filtre « %(name)s » supprimé.") % {"name": saved.name})
    return redirect("guichet:queue")


class _Echo:
    def write(self, value):
        return value


CSV_HEADERS = [
    "Référence",
    "Déposée le",
    "Service",
    "Espace",
    "Canal",
    "Site",
    "Statut",
    "Priorité",
    "Demandeur",
    "Courriel",
    "Téléphone",
    "Adresse",
    "Quartier",
    "Agent",
    "Échéance",
    "Close le",
]


@agent_required
@require_GET
def export_csv(request):
    """The current filtered queue as CSV, streamed row by row from a server-side cursor: memory stays flat
    whether it holds fifty rows or a hundred thousand."""
    filters = selectors.QueueFilters.from_query(request.GET)
    # Plain tuples, the related names joined in SQL: building six model instances per row made the export
    # run at a few thousand rows a second.
    rows = selectors.queue_queryset(user=request.user, filters=filters).values_list(
        "reference",
        "created_at",
        "service__name",
        "espace__name",
        "channel",
        "site__name",
        "status",
        "priority",
        "contact_name",
        "contact_email",
        "contact_phone",
        "street_number",
        "street__name",
        "quartier__name",
        "assignee__first_name",
        "assignee__last_name",
        "assignee__email",
        "due_date",
        "closed_at",
    )
    # Every cell through portal_kit.exports.cell_safe: a resident's name "=HYPERLINK(…)" stays text.
    writer = SafeWriter(_Echo(), delimiter=";")
    # Labels translated once, not once per row.
    status_labels = {value: str(label) for value, label in Status.choices}
    channel_labels = {value: str(label) for value, label in Channel.choices}
    priority_labels = {value: str(label) for value, label in Priority.choices}
    tz = timezone.get_current_timezone()

    def lines():
        yield "\ufeff" + writer.writerow(CSV_HEADERS)  # BOM: Excel opens French accents right
        count = 0
        try:
            for row in rows.iterator(chunk_size=2000):
                yield writer.writerow(csv_row(row))
                count += 1
        except Exception:
            # The headers (200) are gone already: the file itself must say it ends short, or the agent takes
            # a partial list for the whole one.
            logger.exception("Queue export failed after %d rows", count)
            message = _("EXPORT INCOMPLET : erreur après %(count)d ligne(s), réessayez l'export.")
            yield writer.writerow([message % {"count": count}])

    def csv_row(row) -> list:
        (
            reference,
            created_at,
            service,
            espace,
            channel,
            site,
            status,
            priority,
            name,
            email,
            phone,
            number,
            street,
            quartier,
            first,
            last,
            agent_email,
            due,
            closed,
        ) = row
        return [
            reference,
            created_at.astimezone(tz).strftime("%d/%m/%Y %H:%M"),
            service,
            espace,
            channel_labels.get(channel, channel),
            site or "",
            status_labels.get(status, status),
            priority_labels.get(priority, priority),
            name,
            email,
            phone,
            f"{number} {street}".strip() if street else "",
            quartier or "",
            (f"{first} {last}".strip() or agent_email) if agent_email else "",
            due.strftime("%d/%m/%Y") if due else "",
            closed.astimezone(tz).strftime("%d/%m/%Y") if closed else "",
        ]

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="file-guichet-{stamp}.csv"'
    return response
