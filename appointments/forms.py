"""Forms of the booking pages: they collect and shape input; the rules are the services' (a ServiceError is
shown on the field it names)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from appointments.models import Agenda
from appointments.services import ANTS_EXAMPLE, BookingData, Contact, Partner, ants_normalise
from appointments.slots import SlotView
from requests_app.errors import ServiceError
from requests_app.models import Channel, Request

# The addresses are stored in EmailFields of 254 characters (Request.contact_email): longer is a form
# error, not a database error.
EMAIL_MAX_LENGTH = Request._meta.get_field("contact_email").max_length


def slot_label(view: SlotView, *, show_free: bool = True) -> str:
    label = f"{view.starts_at:%H:%M}"
    if show_free:
        label += f" ({view.free} place{'s' if view.free > 1 else ''})"
    return label


class SlotForm(forms.Form):
    """The slots of one day, as one radio group (a fieldset with its legend, in the template)."""

    creneau = forms.ChoiceField(
        label=_("Créneaux libres"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez un créneau."),
            "invalid_choice": _("Ce créneau n'est plus proposé."),
        },
    )

    def __init__(self, *args, slots: list[SlotView], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creneau"].choices = [(view.value, slot_label(view)) for view in slots if view.free > 0]


class BookingDetailsForm(forms.Form):
    """What the booking needs beyond the slot: the number of people and the ANTS number (ID card and
    passport), or both partners (PACS)."""

    creneau = forms.CharField(widget=forms.HiddenInput)
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agenda: Agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda = agenda
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
        if agenda.max_people > 1:
            self.fields["people"] = forms.TypedChoiceField(
                label=_("Nombre de personnes"),
                coerce=int,
                initial=1,
                choices=[(n, str(n)) for n in range(1, agenda.max_people + 1)],
                help_text=_(
                    "Chaque personne (enfant compris) a son propre dossier : comptez-en une par titre "
                    "demandé. Chaque personne occupe une place du créneau."
                ),
            )
        if agenda.ants_required:
            self.fields["ants_number"] = forms.CharField(
                label=_("Numéro de pré-demande ANTS"),
                max_length=20,
                help_text=_(
                    "10 caractères, lettres et chiffres, reçus après votre pré-demande sur "
                    "ants.gouv.fr (exemple : %(example)s). Pour plusieurs personnes, indiquez celui de "
                    "la première ; apportez les autres."
                )
                % {"example": ANTS_EXAMPLE},
                widget=forms.TextInput(
                    attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
                ),
                error_messages={"required": _("Indiquez le numéro de pré-demande ANTS.")},
            )
        if agenda.is_pacs:
            for number in (1, 2):
                prefix = f"partner{number}_"
                self.fields[prefix + "last_name"] = forms.CharField(
                    label=_("Nom"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
                )
                self.fields[prefix + "first_name"] = forms.CharField(
                    label=_("Prénom(s)"),
                    max_length=150,
                    widget=forms.TextInput(attrs={"autocomplete": "off"}),
                )
                self.fields[prefix + "birth_date"] = forms.DateField(
                    label=_("Date de naissance"),
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                    error_messages={"invalid": _("Saisissez une date valide, par exemple 14/07/1990.")},
                )
                self.fields[prefix + "email"] = forms.EmailField(
                    label=_("Adresse électronique"),
                    max_length=EMAIL_MAX_LENGTH,
                    required=False,
                    widget=forms.EmailInput(attrs={"autocomplete": "off"}),
                )
                self.fields[prefix + "phone"] = forms.CharField(
                    label=_("Téléphone"),
                    max_length=20,
                    required=False,
                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
                )

    def partner_groups(self) -> list[tuple[int, list]]:
        """Each partner's fields, for one fieldset per partner."""
        names = ("last_name", "first_name", "birth_date", "email", "phone")
        return [(number, [self[f"partner{number}_{name}"] for name in names]) for number in (1, 2)]

    def clean_ants_number(self):
        try:
            return ants_normalise(self.cleaned_data["ants_number"])
        except ServiceError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None

    def booking_data(self, contact: Contact | None = None) -> BookingData:
        data = self.cleaned_data
        partners = []
        if self.agenda.is_pacs:
            partners = [
                Partner(
                    last_name=data[f"partner{n}_last_name"],
                    first_name=data[f"partner{n}_first_name"],
                    birth_date=data[f"partner{n}_birth_date"],
                    email=data.get(f"partner{n}_email", ""),
                    phone=data.get(f"partner{n}_phone", ""),
                )
                for n in (1, 2)
            ]
        return BookingData(
            people=data.get("people") or 1,
            ants_number=data.get("ants_number", ""),
            partners=partners,
            contact=contact or Contact(),
        )


class AgentBookingForm(BookingDetailsForm):
    """An agent books for someone at the counter or on the phone: an existing account (found by its email)
    or a contact without account."""

    channel = forms.ChoiceField(
        label=_("Canal"),
        widget=forms.RadioSelect,
        initial=Channel.GUICHET,
        choices=[(Channel.GUICHET, _("Au guichet")), (Channel.PHONE, _("Au téléphone"))],
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=EMAIL_MAX_LENGTH,
        required=False,
        help_text=_(
            "Si la personne a un compte avec cette adresse, le rendez-vous y est "
            "rattaché. La convocation y est envoyée."
        ),
    )
    contact_name = forms.CharField(label=_("Nom et prénom"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Téléphone"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )

    field_order = ["channel", "email", "contact_name", "contact_phone"]


class CancelByServiceForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison de l'annulation (envoyée à la personne)"),
        max_length=300,
        error_messages={"required": _("Indiquez la raison de l'annulation.")},
    )
