"""Demo data of the associations app (seed_demo only): this year's campaign on the Contrat de ville's three
"enjeux" (001) and one association. Idempotent."""

import datetime
from decimal import Decimal

from django.utils import timezone

from associations.models import Association, Axis, Campaign

AXES = [
    ("Cohésion sociale", Decimal(60000)),
    ("Cadre de vie et renouvellement urbain", Decimal(30000)),
    ("Emploi et développement économique", Decimal(30000)),
]


def associations_seed() -> str:
    year = timezone.localdate().year
    campaign, created = Campaign.objects.get_or_create(
        year=year,
        title=f"Appel à projets associatifs {year}",
        defaults={
            "opens_on": datetime.date(year, 1, 1),
            "closes_on": datetime.date(year, 12, 31),
            "description": "Subventions de fonctionnement et de projet aux associations béthunoises.",
        },
    )
    if created:
        for order, (title, envelope) in enumerate(AXES):
            Axis.objects.create(campaign=campaign, title=title, envelope=envelope, order=order)
    Association.objects.get_or_create(
        rna="W623001234",
        defaults={
            "name": "Les Amis du Mont-Liébaut",
            "address": "rue de Lille, 62400 Béthune",
            "purpose": "Animation de quartier et soutien scolaire.",
            "email": "contact@amis-mont-liebaut.example.fr",
        },
    )
    return f"{Campaign.objects.count()} campagnes de subventions, {Association.objects.count()} associations"
