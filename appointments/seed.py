"""Demo agendas (seed_demo): ID card and passport motifs at both Guichet Unique sites, PACS at the Hôtel
de Ville. The town's documents give no figures for appointments: every number below is a chosen
default, editable by staff in the admin. Idempotent: existing agendas are left as staff edited them."""

import datetime

from appointments.models import Agenda, AgendaOpening, Motif
from requests_app.models import Service, Site

# Chosen default: what the State asks for an ID card or passport application (service-public.fr).
_TITLE_DOCUMENTS = """Le numéro de pré-demande ANTS (ou son récapitulatif imprimé)
Une photo d'identité de moins de 6 mois, conforme aux normes
Un justificatif de domicile de moins d'un an
L'ancien titre en cas de renouvellement, ou la déclaration de perte ou de vol
Un timbre fiscal en cas de perte ou de vol (carte) ou pour un passeport"""
_PICKUP_DOCUMENTS = """Le récépissé remis lors du dépôt de la demande
L'ancien titre, qui vous sera repris"""
# Chosen default: the documents a PACS registration needs (Cerfa 15725 and 15726).
_PACS_DOCUMENTS = """La convention de PACS signée par les deux partenaires (Cerfa 15726 ou convention rédigée)
La déclaration conjointe et les attestations sur l'honneur (Cerfa 15725)
Un acte de naissance de chaque partenaire de moins de 3 mois
Une pièce d'identité en cours de validité de chaque partenaire"""

# (motif, site code, service code, minutes, seats, max people, min delay h, max delay days, ANTS, documents)
# Chosen defaults: 20 min per ID card or passport file, 30 for both, 10 to hand a title over, 45 for a
# PACS; three counters for ID cards at the Hôtel de Ville, two at Victor Hugo, one for the other motifs; a
# family books its ID cards together, one seat (counter) per person, so at most as many as counters;
# PACS booked a week ahead at least (the documents are checked before the appointment).
AGENDAS = [
    (Motif.CNI, "hdv", "rdv-cni-passeport", 20, 3, 3, 24, 60, True, _TITLE_DOCUMENTS),
    (Motif.PASSEPORT, "hdv", "rdv-cni-passeport", 20, 1, 1, 24, 60, True, _TITLE_DOCUMENTS),
    (Motif.CNI_PASSEPORT, "hdv", "rdv-cni-passeport", 30, 1, 1, 24, 60, True, _TITLE_DOCUMENTS),
    (Motif.RETRAIT, "hdv", "rdv-cni-passeport", 10, 1, 1, 2, 30, False, _PICKUP_DOCUMENTS),
    (Motif.PACS, "hdv", "rdv-pacs", 45, 1, 1, 168, 90, False, _PACS_DOCUMENTS),
    (Motif.CNI, "victor-hugo", "rdv-cni-passeport", 20, 2, 2, 24, 60, True, _TITLE_DOCUMENTS),
    (Motif.PASSEPORT, "victor-hugo", "rdv-cni-passeport", 20, 1, 1, 24, 60, True, _TITLE_DOCUMENTS),
    (Motif.CNI_PASSEPORT, "victor-hugo", "rdv-cni-passeport", 30, 1, 1, 24, 60, True, _TITLE_DOCUMENTS),
    (Motif.RETRAIT, "victor-hugo", "rdv-cni-passeport", 10, 1, 1, 2, 30, False, _PICKUP_DOCUMENTS),
]
# Chosen default: PACS are registered by an officer of the état civil on Tuesday and Thursday afternoons;
# every other agenda follows its site's opening hours (no rows of its own).
PACS_OPENINGS = [(1, "14:00", "17:00"), (3, "14:00", "17:00")]


def agendas_seed() -> int:
    """Create the demo agendas that do not exist yet; returns how many agendas there are."""
    sites = {site.code: site for site in Site.objects.all()}
    services = {
        service.code: service
        for service in Service.objects.filter(code__in=["rdv-cni-passeport", "rdv-pacs"])
    }
    for motif, site, service, minutes, seats, people, min_h, max_d, ants, documents in AGENDAS:
        if site not in sites or service not in services:
            continue
        agenda, created = Agenda.objects.get_or_create(
            motif=motif,
            site=sites[site],
            defaults={
                "service": services[service],
                "slot_minutes": minutes,
                "seats": seats,
                "max_people": people,
                "min_delay_hours": min_h,
                "max_delay_days": max_d,
                "ants_required": ants,
                "documents": documents,
            },
        )
        if created and motif == Motif.PACS:
            AgendaOpening.objects.bulk_create(
                [
                    AgendaOpening(
                        agenda=agenda,
                        weekday=weekday,
                        opens=datetime.time.fromisoformat(opens),
                        closes=datetime.time.fromisoformat(closes),
                    )
                    for weekday, opens, closes in PACS_OPENINGS
                ]
            )
    return Agenda.objects.count()
