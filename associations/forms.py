from django import forms
from django.utils.translation import gettext_lazy as _

from associations.models import DocumentType, MemberRole


class AssociationForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'association"), max_length=200)
    rna = forms.CharField(label=_("Numéro RNA"), max_length=12, help_text=_("W suivi de 9 chiffres."))
    siret = forms.CharField(label=_("SIRET"), max_length=20, required=False, help_text=_("14 chiffres."))
    address = forms.CharField(label=_("Adresse du siège"), max_length=250)
    purpose = forms.CharField(label=_("Objet"), widget=forms.Textarea(attrs={"rows": 3}))
    email = forms.EmailField(label=_("Adresse électronique"))
    phone = forms.CharField(label=_("Téléphone"), max_length=20, required=False)
    iban = forms.CharField(label=_("IBAN"), max_length=40, required=False)
    bic = forms.CharField(label=_("BIC"), max_length=11, required=False)
    federation = forms.CharField(label=_("Fédération ou réseau"), max_length=200, required=False)
    agrements = forms.CharField(label=_("Agréments administratifs"), max_length=300, required=False)
    conventionnee = forms.BooleanField(label=_("Association conventionnée avec la ville"), required=False)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique de la personne invitée"))
    role = forms.ChoiceField(
        label=_("Rôle"), choices=[c for c in MemberRole.choices if c[0] != MemberRole.PRESIDENT]
    )


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Pièce"), choices=DocumentType.choices)
    file = forms.FileField(label=_("Fichier (PDF, JPEG ou PNG, 10 Mo au plus)"))
    valid_until = forms.DateField(label=_("Valable jusqu'au"), widget=forms.DateInput(attrs={"type": "date"}))


class NewDossierForm(forms.Form):
    title = forms.CharField(label=_("Intitulé du projet"), max_length=200)


class CorrectionsForm(forms.Form):
    message = forms.CharField(
        label=_("Corrections demandées à l'association"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AdmissibilityForm(forms.Form):
    admissible = forms.ChoiceField(
        label=_("Recevabilité"),
        widget=forms.RadioSelect,
        choices=[("oui", _("Recevable")), ("non", _("Irrecevable"))],
    )
    message = forms.CharField(
        label=_("Motif (si irrecevable)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(forms.Form):
    opinion = forms.CharField(label=_("Avis de l'instructeur"), widget=forms.Textarea(attrs={"rows": 3}))
    proposed_amount = forms.CharField(label=_("Montant proposé (€, entier)"), max_length=12)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Décision"),
        widget=forms.RadioSelect,
        choices=[
            ("granted", _("Accordée")),
            ("partly", _("Accordée partiellement")),
            ("refused", _("Refusée")),
        ],
    )
    amount = forms.CharField(label=_("Montant accordé (€, entier)"), max_length=12, required=False)
    in_kind = forms.CharField(
        label=_("Aide en nature accordée, valorisée (€)"), max_length=12, required=False
    )
    deliberation_number = forms.CharField(label=_("Numéro de délibération"), max_length=40)
    deliberation_on = forms.DateField(
        label=_("Date de la délibération"), widget=forms.DateInput(attrs={"type": "date"})
    )
    instalments = forms.BooleanField(label=_("Versement en deux fois (avance puis solde)"), required=False)
    message = forms.CharField(
        label=_("Message à l'association (motif d'un refus)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_over_envelope = forms.BooleanField(
        label=_("Je confirme un montant au-delà de l'enveloppe"), required=False
    )


class CommissionForm(forms.Form):
    deliberation_number = forms.CharField(label=_("Numéro de délibération"), max_length=40)
    deliberation_on = forms.DateField(
        label=_("Date de la délibération"), widget=forms.DateInput(attrs={"type": "date"})
    )
    confirm_over_envelope = forms.BooleanField(
        label=_("Je confirme les montants au-delà de l'enveloppe"), required=False
    )


class ReportReviewForm(forms.Form):
    accept = forms.ChoiceField(
        label=_("Compte-rendu financier"),
        widget=forms.RadioSelect,
        choices=[("oui", _("Accepter")), ("non", _("Demander des compléments"))],
    )
    note = forms.CharField(
        label=_("Compléments demandés"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Titre de la campagne"), max_length=200)
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(
        label=_("Ouverture des dépôts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(label=_("Clôture des dépôts"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Présentation (facultative)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AxisForm(forms.Form):
    """One line of the axes grid; both cells may stay empty (an unused line, or an axis to remove)."""

    axis_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Intitulé de l'axe"), max_length=200, required=False)
    envelope = forms.CharField(label=_("Enveloppe (€, entier)"), max_length=14, required=False)


AxisFormSet = forms.formset_factory(AxisForm, extra=3, max_num=30, absolute_max=30)
