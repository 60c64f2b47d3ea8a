"""Pages of the associations app: the association's space (members only, others 404), the dossier form
with its grids, the public campaign calendar and open data, and the instructors' pages. Every form works
without JavaScript; views call selectors and services only.

One module per audience: public (calendar, open data), space (the association), dossier (its dossiers),
instruction and campaigns (the instructors)."""

from associations.views.campaigns import campaign_form
from associations.views.dossier import dossier, dossier_autosave, dossier_pdf, report
from associations.views.instruction import (
    instruction,
    instruction_campaign,
    instruction_dossier,
    instruction_export,
    instruction_pdf,
)
from associations.views.public import campaigns, home, open_data, open_data_csv
from associations.views.space import (
    association,
    association_edit,
    association_new,
    document_add,
    dossier_new,
    invitation,
    member_invite,
    member_remove,
)

__all__ = [
    "association",
    "association_edit",
    "association_new",
    "campaign_form",
    "campaigns",
    "document_add",
    "dossier",
    "dossier_autosave",
    "dossier_new",
    "dossier_pdf",
    "home",
    "instruction",
    "instruction_campaign",
    "instruction_dossier",
    "instruction_export",
    "instruction_pdf",
    "invitation",
    "member_invite",
    "member_remove",
    "open_data",
    "open_data_csv",
    "report",
]
