from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accounts.models import User
from guichet.access import agent_required
from guichet.selectors import id_from
from guichet.services.bulk import BULK_LIMIT, bulk_apply
from requests_app.errors import ServiceError


@agent_required
@require_POST
def bulk(request):
    references = request.POST.getlist("references")
    assignee = None
    assignee_id = id_from(request.POST.get("assignee"))
    if assignee_id is not None:
        assignee = User.objects.filter(pk=assignee_id, is_active=True).first()
        if assignee is None:
            raise Http404
    try:
        result = bulk_apply(
            agent=request.user,
            references=references,
            action=request.POST.get("action", ""),
            assignee=assignee,
            to_status=request.POST.get("to_status", ""),
            message=request.POST.get("message", ""),
        )
    except ServiceError as error:
        return render(
            request, "guichet/bulk_result.html", {"error": error.message, "limit": BULK_LIMIT}, status=400
        )
    return render(request, "guichet/bulk_result.html", {"result": result})
