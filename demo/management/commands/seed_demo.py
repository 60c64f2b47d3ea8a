"""Demo data for the embedded default: every app's demo data from its registration, then the demo accounts;
idempotent, never in production."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from demo.accounts import DEMO_ACCOUNTS, demo_accounts_seed
from demo.guards import refuse_in_production
from requests_app.models import Espace
from requests_app.registry import registry


class Command(BaseCommand):
    help = (
        "Charge le catalogue, les données de chaque application et les comptes de démonstration "
        "(jamais en production)."
    )

    def handle(self, *args, **options):
        refuse_in_production("seed_demo")
        password = settings.DEMO_PASSWORD
        with transaction.atomic():
            # The spine's catalogue first, then each app's data in its declared order (requests_app.registry).
            loaded = [load() for _name, load in registry.demo_loaders()]
            accounts = demo_accounts_seed(password=password)
            espaces = {espace.code: espace for espace in Espace.objects.all()}
            for email, _first, _last, _role, codes in DEMO_ACCOUNTS:
                user = User.objects.get(email=email)
                user.espaces.set([espaces[code] for code in codes])
        self.stdout.write(
            self.style.SUCCESS(", ".join([*loaded, f"{len(accounts)} comptes de démonstration"]) + ".")
        )
        self.stdout.write(f"Comptes de démonstration (mot de passe : {password}) :")
        for email, role in accounts:
            self.stdout.write(f"  {email:<40} {role}")
