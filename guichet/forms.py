"""Forms of the agents' workspace. They check input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.access import agent_espace_ids
from requests_app.models import Espace, Priority, Service, Status
from requests_app.selectors import transferable_services


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Nom du filtre"), max_length=80)
    query = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)
    shared_with = forms.ModelChoiceField(
        label=_("Partager avec l'espace"),
        queryset=Espace.objects.none(),
        required=False,
        empty_label=_("Personne (filtre personnel)"),
    )
    is_default = forms.BooleanField(label=_("En faire ma vue par défaut"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        espace_ids = agent_espace_ids(user)
        self.fields["shared_with"].queryset = (
            Espace.objects.all() if espace_ids is None else Espace.objects.filter(pk__in=espace_ids)
        )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Nouveau statut"))
    template = forms.IntegerField(required=False, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message au demandeur"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Obligatoire pour clore la demande. Le demandeur le reçoit par courriel."),
    )

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(value, Status(value).label) for value in allowed]


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    internal = forms.BooleanField(label=_("Note interne (jamais visible par le demandeur)"), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Attribuer à"),
        queryset=None,
        required=False,
        empty_label=_("Personne (remettre dans « À prendre »)"),
    )

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agents


class ServiceChangeForm(forms.Form):
    # Only the spine's own kinds: a request never moves into or out of a kind an app owns (the spine
    # refuses it too), so those services are not offered.
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = transferable_services()


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priorité"), choices=Priority.choices, coerce=int)


class DuplicateForm(forms.Form):
    original = forms.CharField(
        label=_("Référence de la demande d'origine"),
        max_length=20,
        help_text=_("Par exemple BET-2026-000123."),
    )
    message = forms.CharField(
        label=_("Message au demandeur (facultatif)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


INTAKE_CHANNELS = [
    ("guichet", _("Au guichet")),
    ("phone", _("Par téléphone")),
    ("mail", _("Par courrier")),
    ("email", _("Par courriel")),
]


def intake_form_class():
    """The resident's filing form (requests_app.forms.FilingForm) plus what the counter records: the channel,
    the site, and a contact that may have no email address."""
    from requests_app.forms import FilingForm
    from requests_app.models import Site

    class IntakeForm(FilingForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, anonymous=True, **kwargs)
            self.fields["contact_name"].label = _("Nom du demandeur")
            self.fields["contact_email"].label = _("Adresse électronique (facultatif)")
            self.fields["contact_email"].required = False
            self.fields["contact_email"].help_text = _(
                "Si elle est connue : l'accusé de réception et les réponses y seront envoyés."
            )
            self.fields["contact_phone"].label = _("Téléphone (facultatif)")
            self.fields["channel"] = forms.ChoiceField(
                label=_("Canal"), choices=INTAKE_CHANNELS, widget=forms.RadioSelect
            )
            self.fields["site"] = forms.ModelChoiceField(
                label=_("Site"),
                queryset=Site.objects.order_by("order"),
                required=False,
                empty_label=_("Sans objet"),
            )

        def clean(self):
            data = super().clean()
            if not (data.get("contact_name") or "").strip():
                self.add_error("contact_name", _("Indiquez le nom du demandeur."))
            return data

    return IntakeForm
