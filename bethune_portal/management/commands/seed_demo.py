"""Reference data, catalogue and demo accounts for the embedded default; idempotent, never in prod."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_ACCOUNTS, demo_accounts_seed
from accounts.models import User
from appointments.seed import agendas_seed
from bethune_portal.management.guards import refuse_in_production
from guichet.seed import reply_templates_seed
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Espace


class Command(BaseCommand):
    help = "Charge le catalogue des démarches et les comptes de démonstration (jamais en production)."

    def handle(self, *args, **options):
        refuse_in_production("seed_demo")
        password = settings.DEMO_PASSWORD
        with transaction.atomic():
            services = catalogue_seed()
            agendas_seed()
            reply_templates_seed()
            accounts = demo_accounts_seed(password=password)
            espaces = {espace.code: espace for espace in Espace.objects.all()}
            for email, _first, _last, _role, codes in DEMO_ACCOUNTS:
                user = User.objects.get(email=email)
                user.espaces.set([espaces[code] for code in codes])
        self.stdout.write(
            self.style.SUCCESS(f"{services} services au catalogue, {len(accounts)} comptes de démonstration.")
        )
        self.stdout.write(f"Comptes de démonstration (mot de passe : {password}) :")
        for email, role in accounts:
            self.stdout.write(f"  {email:<40} {role}")
