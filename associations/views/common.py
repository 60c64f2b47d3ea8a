"""What the associations pages share: a service's refusal put on the form, the instructors' gate."""

from django.http import Http404

from associations import services
from requests_app.errors import ServiceError


def form_error(form, error: ServiceError) -> None:
    """The service's French message on its field when the form has it, else above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def instructor_required(request) -> None:
    """Instructors only (associations.services.is_instructor); everyone else, anonymous included, 404."""
    if not services.is_instructor(request.user):
        raise Http404
