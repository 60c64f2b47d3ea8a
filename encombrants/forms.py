"""Forms of the pickup pages: they collect and shape input; the rules are the services' (a ServiceError is
shown on the field it names)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from encombrants.models import Item, PickupStatus
from requests_app.models import Channel, Request, Street

EMAIL_MAX_LENGTH = Request._meta.get_field("contact_email").max_length
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/gif,image/heic,.jpg,.jpeg,.png,.webp,.gif,.heic"


class StreetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ItemsMixin:
    """One quantity field per item of the catalogue (item_<code>); the volume is computed by the server
    (and shown live by a small script when JavaScript runs)."""

    def add_item_fields(self, items: list[Item], initial: dict[str, int] | None = None) -> None:
        self.items = items
        for item in items:
            name = f"item_{item.code}"
            self.fields[name] = forms.IntegerField(
                label=item.name,
                required=False,
                min_value=0,
                max_value=99,
                initial=(initial or {}).get(item.code, 0),
                help_text=_("%(volume)s l'unité, %(most)s au plus.%(advice)s")
                % {
                    "volume": item.volume_display,
                    "most": item.max_per_pickup,
                    "advice": f" {item.advice}" if item.advice else "",
                },
                widget=forms.NumberInput(
                    attrs={"data-volume": item.unit_volume_l, "class": "enc-qty", "inputmode": "numeric"}
                ),
                error_messages={
                    "invalid": _("Indiquez un nombre entier."),
                    "min_value": _("Indiquez 0 ou plus."),
                    "max_value": _("Indiquez un nombre plus petit."),
                },
            )

    def item_fields(self):
        return [self[f"item_{item.code}"] for item in self.items]

    def quantities(self) -> dict[str, int]:
        return {item.code: self.cleaned_data.get(f"item_{item.code}") or 0 for item in self.items}


def _note_field():
    return forms.CharField(
        label=_("Où seront les objets ?"),
        required=False,
        help_text=_("250 caractères au plus. Par exemple : devant le portail, à gauche de l'entrée."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _other_field():
    return forms.CharField(
        label=_("Autre objet (facultatif)"),
        required=False,
        max_length=120,
        help_text=_(
            "Un objet absent de la liste : nous vous disons s'il est collecté et sinon où l'apporter."
        ),
    )


class PickupForm(ItemsMixin, forms.Form):
    """Address, items and where they will be: the first step of a booking (and the agents' form)."""

    street = StreetChoiceField(
        label=_("Voie"),
        queryset=Street.objects.order_by("search_key"),
        empty_label=_("Choisissez votre voie"),
        help_text=_("Les enlèvements se font à Béthune seulement."),
        error_messages={
            "required": _("Choisissez votre voie dans la liste des voies de Béthune."),
            "invalid_choice": _("Cette adresse n'est pas à Béthune : choisissez une voie de la liste."),
        },
    )
    street_number = forms.CharField(
        label=_("Numéro"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "enc-short"}),
        error_messages={"required": _("Indiquez le numéro dans la voie, par exemple 12 ou 12 bis.")},
    )

    def __init__(self, *args, items: list[Item], initial_quantities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_item_fields(items, initial_quantities)
        self.fields["other"] = _other_field()
        self.fields["location_note"] = _note_field()


class ConfirmForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo des objets (facultative)"),
        required=False,
        help_text=_("Une photo aide l'équipe à prévoir le camion. JPEG, PNG, WebP, GIF ou HEIC."),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())


class AmendForm(ItemsMixin, forms.Form):
    def __init__(self, *args, items: list[Item], initial_quantities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_item_fields(items, initial_quantities)
        self.fields["location_note"] = _note_field()


class AgentContactForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Canal"),
        widget=forms.RadioSelect,
        initial=Channel.PHONE,
        choices=[(Channel.PHONE, _("Au téléphone")), (Channel.GUICHET, _("Au guichet"))],
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=EMAIL_MAX_LENGTH,
        required=False,
        help_text=_(
            "Si la personne a un compte avec cette adresse, l'enlèvement y est rattaché. Sans adresse, "
            "imprimez la confirmation."
        ),
    )
    contact_name = forms.CharField(label=_("Nom et prénom"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Téléphone"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())


class AgentChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Demande reçue"),
        widget=forms.RadioSelect,
        initial=Channel.PHONE,
        choices=[(Channel.PHONE, _("Au téléphone")), (Channel.GUICHET, _("Au guichet"))],
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Résultat"),
        widget=forms.RadioSelect,
        choices=[
            (PickupStatus.COLLECTED, _("Collecté")),
            (PickupStatus.PARTLY_COLLECTED, _("Collecté en partie")),
            (PickupStatus.NOT_PRESENTED, _("Objets non sortis")),
            (PickupStatus.NO_ACCESS, _("Accès impossible")),
        ],
        error_messages={"required": _("Choisissez le résultat de l'enlèvement.")},
    )
    note = forms.CharField(label=_("Remarque (envoyée à la personne)"), required=False, max_length=250)
    photo = forms.FileField(
        label=_("Photo (facultative)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"refused_{line.pk}"] = forms.IntegerField(
                label=_("%(item)s refusés (sur %(quantity)s)")
                % {"item": line.item.name, "quantity": line.quantity},
                required=False,
                min_value=0,
                max_value=line.quantity,
                initial=0,
                error_messages={"max_value": _("Au plus %(limit_value)s."), "min_value": _("0 ou plus.")},
            )

    def refused_fields(self):
        return [self[f"refused_{line.pk}"] for line in self.lines]

    def refused(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"refused_{line.pk}") or 0 for line in self.lines}


class MissedForm(forms.Form):
    details = forms.CharField(
        label=_("Précisions (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
