"""The public pages: the home of the app, the campaign calendar, and the open data of granted subsidies
(a page and a CSV following the national SCDL "subventions" schema)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from associations import budget as budget_rules
from associations import selectors, services
from portal_kit.exports import SafeWriter


def home(request):
    return render(
        request,
        "associations/home.html",
        {
            "associations": selectors.associations_of(request.user),
            "open_campaigns": selectors.campaigns_open(),
            "is_instructor": services.is_instructor(request.user),
        },
    )


def campaigns(request):
    return render(
        request,
        "associations/campaigns.html",
        {"campaigns": selectors.campaigns_public(), "today": timezone.localdate()},
    )


# The SCDL "subventions" schema, version 2.1.1 (schema.data.gouv.fr/scdl/subventions/2.1.1), in its order.
OPEN_DATA_FIELDS = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
]
# The grantor's SIRET in the SCDL schema. Chosen default, to confirm with the INSEE directory: a
# commune's SIREN is 21 + its INSEE code (62119) + a check digit; the establishment number is assumed.
TOWN_SIRET = "21620119000017"


def open_data_rows(year: int) -> list[dict]:
    rows = []
    for dossier in selectors.granted_for_year(year):
        payments = list(dossier.payments.all())
        total_budget = budget_rules.totals(dossier.budget)["charges"]
        rows.append(
            {
                "nomAttribuant": "Commune de Béthune",
                "idAttribuant": TOWN_SIRET,
                "dateConvention": dossier.deliberation_on.isoformat() if dossier.deliberation_on else "",
                "referenceDecision": dossier.deliberation_number,
                "nomBeneficiaire": dossier.association.name,
                "idBeneficiaire": dossier.association.siret,
                "rnaBeneficiaire": dossier.association.rna,
                "objet": dossier.title,
                "montant": f"{dossier.granted_amount:.2f}",
                "nature": "aide en numéraire" if dossier.granted_amount else "aide en nature",
                "conditionsVersement": "échelonné" if len(payments) > 1 else "unique",
                "datesPeriodeVersement": "_".join(p.planned_on.isoformat() for p in payments),
                "idRAE": "",
                "notificationUE": "non",
                "pourcentageSubvention": (
                    f"{(dossier.granted_amount / total_budget):.2f}"
                    if total_budget and dossier.granted_amount
                    else ""
                ),
                "dispositifAide": dossier.campaign.title,
            }
        )
    return rows


def open_data(request, year: int):
    return render(
        request,
        "associations/open_data.html",
        {"year": year, "rows": open_data_rows(year), "fields": OPEN_DATA_FIELDS},
    )


def open_data_csv(request, year: int):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subventions-bethune-{year}.csv"'
    writer = SafeWriter(response, delimiter=",")
    writer.writerow(OPEN_DATA_FIELDS)
    for row in open_data_rows(year):
        writer.writerow([row[name] for name in OPEN_DATA_FIELDS])
    return response
