"""Resident-facing forms. They turn what was typed into a FilingData (JSON-safe answers, a reference Street)
and show the services' ServiceError on the right field; the rules themselves live in the services."""

import datetime
import decimal
import uuid

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from requests_app import selectors
from requests_app.errors import ServiceError
from requests_app.models import FieldType, Request, Service, Status
from requests_app.services import FilingData
from requests_app.uploads import ACCEPT_ATTRIBUTE, uploads_check

YES, NO = "oui", "non"
YES_NO_CHOICES = [(YES, _("Oui")), (NO, _("Non"))]
EXTRA_PREFIX = "extra_"
FILES_FIELD = "files"

phone_validator = RegexValidator(
    r"^\+?[0-9 .\-()]{6,20}$", _("Saisissez un numéro de téléphone, par exemple 06 12 34 56 78.")
)


def _thousands(number: int) -> str:
    """5000 → "5 000" (French thousands separator, a narrow no-break space)."""
    return f"{number:,}".replace(",", "\u202f")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; size, type and count are checked by requests_app.uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AccessibleFormMixin:
    """Links each field with errors to its message (aria-describedby) and lists the errors for the summary
    at the top of the page, each one a link to its field."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}_erreur"]
            if self.fields[name].help_text:
                ids.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)

    def error_summary(self) -> list[dict]:
        items = [{"anchor": "#resume-erreurs", "message": error} for error in self.non_field_errors()]
        for bound in (self[n] for n in self.fields if n in self.errors):
            anchor = bound.id_for_label or f"{bound.auto_id}_0"
            for error in bound.errors:
                items.append({"anchor": f"#{anchor}", "label": bound.label, "message": error})
        return items

    def add_service_error(self, error: ServiceError) -> None:
        """A refusal from a service: on its field when the form has it, else at the top."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


DATE_MIN_YEAR = 1900
DATE_YEARS_AHEAD = 10


class BoundedDateField(forms.DateField):
    """A date of a démarche, between 1 January 1900 and 31 December ten years from now: a birth, a wedding
    or an event to come, never the year 9999 (which breaks sorting, working-day arithmetic and exports).
    The bounds move with the calendar, so they are computed at each validation, not when the form is built."""

    @staticmethod
    def bounds() -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        return datetime.date(DATE_MIN_YEAR, 1, 1), datetime.date(today.year + DATE_YEARS_AHEAD, 12, 31)

    def __init__(self, **kwargs):
        lowest, highest = self.bounds()
        attrs = {"type": "date", "min": lowest.isoformat(), "max": highest.isoformat()}
        kwargs.setdefault("widget", forms.DateInput(attrs=attrs, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        lowest, highest = self.bounds()
        if value and not (lowest <= value <= highest):
            raise forms.ValidationError(
                _("Saisissez une date comprise entre le %(min)s et le %(max)s."),
                code="date_out_of_range",
                params={"min": lowest.strftime("%d/%m/%Y"), "max": highest.strftime("%d/%m/%Y")},
            )


def _extra_field(service_field) -> forms.Field:
    common = {
        "label": service_field.label,
        "required": service_field.required,
        "help_text": service_field.help_text,
    }
    kind = service_field.field_type
    if kind == FieldType.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common)
    if kind == FieldType.NUMBER:
        return forms.DecimalField(max_digits=12, decimal_places=2, **common)
    if kind == FieldType.DATE:
        return BoundedDateField(**common)
    if kind == FieldType.CHOICE:
        choices = [("", _("— Choisissez —"))] + [(c, c) for c in service_field.choice_list()]
        return forms.ChoiceField(choices=choices, **common)
    if kind == FieldType.YES_NO:
        return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **common)
    if kind == FieldType.EMAIL:
        return forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common)
    if kind == FieldType.PHONE:
        return forms.CharField(
            max_length=20,
            validators=[phone_validator],
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            **common,
        )
    if kind == FieldType.FILE:
        return forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}), **common)
    return forms.CharField(max_length=500, **common)


def _json_safe(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value == YES:
        return True
    if value == NO:
        return False
    return value


def _from_json(service_field, value):
    """A stored answer back into what the form field shows (resuming a draft)."""
    if service_field.field_type == FieldType.YES_NO and isinstance(value, bool):
        return YES if value else NO
    return value


class FilingForm(AccessibleFormMixin, forms.Form):
    """The generic démarche form, built from the service's ServiceField rows.

    `lenient`: saving a draft, where nothing is required yet. `anonymous`: a person without an account
    gives a name and an email address."""

    def __init__(
        self,
        *args,
        service: Service,
        anonymous: bool = False,
        lenient: bool = False,
        existing_files: int = 0,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.service = service
        self.existing_files = existing_files
        self.anonymous = anonymous
        self.extra_names: list[str] = []
        self.file_extra_names: list[str] = []
        for service_field in service.fields.all():
            name = f"{EXTRA_PREFIX}{service_field.key}"
            field = _extra_field(service_field)
            self.fields[name] = field
            if service_field.field_type == FieldType.FILE:
                self.file_extra_names.append(name)
            else:
                self.extra_names.append(name)
        self.fields["street"] = forms.CharField(
            label=_("Voie"),
            max_length=120,
            required=service.address_required,
            help_text=_("Commencez à taper le nom de la rue puis choisissez-la dans la liste."),
            widget=forms.TextInput(
                attrs={
                    "list": "voies-bethune",
                    "autocomplete": "off",
                    "hx-get": reverse("requests_app:street_suggestions"),
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#voies-bethune",
                    "hx-swap": "innerHTML",
                }
            ),
        )
        self.fields["street_number"] = forms.CharField(
            label=_("Numéro"),
            max_length=10,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "text"}),
        )
        self.fields["address_details"] = forms.CharField(
            label=_("Précisions sur le lieu"),
            max_length=200,
            required=False,
            help_text=_("Par exemple : devant l'école, à l'angle de la rue, au niveau du lampadaire."),
        )
        self.fields["description"] = forms.CharField(
            label=_("Description"),
            required=False,
            help_text=_("%(max)s caractères au plus.") % {"max": _thousands(settings.PORTAL_MAX_DESCRIPTION)},
            widget=forms.Textarea(attrs={"rows": 6}),
        )
        self.fields[FILES_FIELD] = MultipleFileField(
            label=_("Photos ou documents"),
            required=False,
            help_text=_(
                "Facultatif. %(count)s fichiers au plus, de 10 Mo chacun au plus : "
                "photos (JPEG, PNG, WebP, GIF, HEIC) ou PDF."
            )
            % {"count": settings.PORTAL_MAX_FILES},
        )
        if anonymous:
            self.fields["contact_name"] = forms.CharField(
                label=_("Votre nom"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
            )
            self.fields["contact_email"] = forms.EmailField(
                max_length=254,  # the model's: a longer address would fail in PostgreSQL
                label=_("Votre adresse électronique"),
                help_text=_("Un lien vous y sera envoyé pour confirmer la demande puis la suivre."),
                widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            )
            self.fields["contact_phone"] = forms.CharField(
                label=_("Votre téléphone (facultatif)"),
                max_length=20,
                required=False,
                validators=[phone_validator],
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            )
        self.fields["submission_key"] = forms.UUIDField(widget=forms.HiddenInput, required=False)
        if not self.is_bound and "submission_key" not in self.initial:
            # One key per rendered form: posting it twice finds the request the first post filed.
            self.initial["submission_key"] = uuid.uuid4()
        if lenient:
            for name, field in self.fields.items():
                if name not in ("contact_name", "contact_email"):
                    field.required = False

    # Groups for the template (fieldsets).
    def extra_fields(self):
        return [self[name] for name in self.extra_names + self.file_extra_names]

    def address_fields(self):
        return [self[name] for name in ("street", "street_number", "address_details")]

    def contact_fields(self):
        return [
            self[name] for name in ("contact_name", "contact_email", "contact_phone") if name in self.fields
        ]

    # Shape checks the services repeat: done here too so that every error shows at once, not one per post.
    def clean_description(self):
        description = self.cleaned_data["description"]
        if len(description) > settings.PORTAL_MAX_DESCRIPTION:
            raise forms.ValidationError(
                _("La description ne peut pas dépasser %(max)s caractères (elle en compte %(count)s).")
                % {"max": _thousands(settings.PORTAL_MAX_DESCRIPTION), "count": _thousands(len(description))},
                code="too_long",
            )
        return description

    def clean_files(self):
        files = self.cleaned_data[FILES_FIELD]
        try:
            uploads_check(files, already=self.existing_files)
        except ServiceError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return files

    def clean_street(self):
        typed = self.cleaned_data["street"].strip()
        self.street = None
        if not typed:
            return ""
        self.street = selectors.street_match(typed=typed)
        if self.street is None:
            raise forms.ValidationError(
                _("Cette adresse n'est pas à Béthune : choisissez une voie de la liste."), code="street"
            )
        return self.street.name

    def filing_data(self) -> FilingData:
        data = self.cleaned_data
        answers = {}
        files = list(data.get(FILES_FIELD) or [])
        for name in self.extra_names:
            value = data.get(name)
            if value not in (None, ""):
                answers[name.removeprefix(EXTRA_PREFIX)] = _json_safe(value)
        for name in self.file_extra_names:
            upload = data.get(name)
            if upload:
                files.append(upload)
                answers[name.removeprefix(EXTRA_PREFIX)] = upload.name
        return FilingData(
            description=data.get("description", ""),
            answers=answers,
            street=getattr(self, "street", None),
            street_number=data.get("street_number", ""),
            address_details=data.get("address_details", ""),
            contact_name=data.get("contact_name", ""),
            contact_email=data.get("contact_email", ""),
            contact_phone=data.get("contact_phone", ""),
            files=files,
        )

    @staticmethod
    def initial_from_draft(draft: Request) -> dict:
        initial = {
            "street": draft.street.name if draft.street_id else "",
            "street_number": draft.street_number,
            "address_details": draft.address_details,
            "description": draft.description,
        }
        for service_field in draft.service.fields.all():
            if service_field.key in draft.answers and service_field.field_type != FieldType.FILE:
                initial[f"{EXTRA_PREFIX}{service_field.key}"] = _from_json(
                    service_field, draft.answers[service_field.key]
                )
        return initial


class ReplyForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("%(max)s caractères au plus.") % {"max": _thousands(settings.PORTAL_MAX_DESCRIPTION)},
    )
    files = MultipleFileField(
        label=_("Ajouter un document ou une photo"),
        required=False,
        help_text=_("Facultatif : photos ou PDF, 10 Mo au plus par fichier."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].error_messages["required"] = _("Écrivez votre message.")


class ReopenForm(AccessibleFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Pourquoi rouvrir la demande ? (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


OPEN, CLOSED = "open", "closed"


class MyRequestsFilterForm(forms.Form):
    """The filters of "Mes demandes" (GET: the page works without JavaScript and can be bookmarked)."""

    statut = forms.ChoiceField(label=_("Statut"), required=False)
    service = forms.ChoiceField(label=_("Démarche"), required=False)
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=100,
        help_text=_("Une référence ou un mot de la description."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [
            ("", _("Toutes")),
            (OPEN, _("En cours (toutes)")),
            (CLOSED, _("Closes (toutes)")),
        ] + [(value, label) for value, label in Status.choices if value != Status.DRAFT]
        self.fields["service"].choices = [("", _("Toutes"))] + [(s.code, s.name) for s in services]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "status": self.cleaned_data["statut"],
            "service_code": self.cleaned_data["service"],
            "query": self.cleaned_data["q"],
        }
