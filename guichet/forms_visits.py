"""Forms of the walk-in visits. They shape input; the rules (who may call, which request may be linked)
live in guichet.services.visits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.models import VisitOutcome
from requests_app.models import Espace, Site


class AsciiPkChoiceField(forms.ModelChoiceField):
    """A choice by primary key that accepts ASCII digits only. int() takes any Unicode decimal digit
    ("٣" is 3) and str.isdigit() accepts "²", which int() refuses: anything else is an invalid choice,
    never a lookup of a number the agent did not type (nor a 500)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class VisitArrivalForm(forms.Form):
    site = AsciiPkChoiceField(
        label=_("Site d'accueil"),
        queryset=Site.objects.order_by("order", "name"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez un site de la liste.")},
    )
    espace = AsciiPkChoiceField(
        label=_("Espace"),
        queryset=Espace.objects.order_by("order", "name"),
        empty_label=_("Choisir l'espace"),
        error_messages={
            "required": _("Choisissez l'espace qui recevra le visiteur."),
            "invalid_choice": _("Choisissez un espace de la liste."),
        },
    )
    reason = forms.CharField(
        label=_("Motif de la visite"),
        max_length=200,
        help_text=_("Par exemple : renouvellement de carte d'identité, inscription scolaire."),
        error_messages={"required": _("Indiquez le motif de la visite.")},
    )
    visitor_name = forms.CharField(
        label=_("Nom du visiteur"),
        max_length=120,
        required=False,
        help_text=_("Facultatif : le numéro de ticket suffit pour l'appeler."),
    )


class VisitCallForm(forms.Form):
    espace = AsciiPkChoiceField(
        label=_("Espace"),
        queryset=Espace.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Vous ne recevez pas les visiteurs de cet espace.")},
    )
    counter = forms.CharField(
        label=_("Guichet"),
        max_length=20,
        required=False,
        help_text=_("Le numéro ou le nom du guichet où le visiteur doit se présenter."),
    )

    def __init__(self, *args, espaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["espace"].queryset = espaces


class VisitCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Issue de la visite"),
        choices=VisitOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez l'issue de la visite.")},
    )
    request_reference = forms.CharField(
        label=_("Référence de la demande enregistrée"),
        max_length=20,
        required=False,
        help_text=_("Si une demande a été enregistrée, par exemple BET-2026-000123."),
    )
    note = forms.CharField(
        label=_("Précision"),
        max_length=200,
        required=False,
        help_text=_("Obligatoire si le visiteur a été orienté : le service vers lequel il a été orienté."),
    )
