"""`manage.py generate_requests --count N [--years Y]`: realistic history for benchmarks (never in prod)."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.generate import generate_requests
from demo.guards import refuse_in_production


class Command(BaseCommand):
    help = (
        "Génère N demandes réalistes (tous canaux, services, quartiers, statuts) sur les Y dernières années."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, count: int, years: int, seed: int, **options):
        refuse_in_production("generate_requests")
        if count < 1 or years < 1:
            raise CommandError("--count et --years doivent être des entiers positifs.")
        started = time.perf_counter()
        try:
            totals = generate_requests(
                count=count, years=years, seed=seed, progress=lambda line: self.stdout.write(f"  {line}")
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{totals['requests']} demandes, {totals['events']} événements, "
                f"{totals['messages']} messages "
                f"en {time.perf_counter() - started:.0f} s."
            )
        )
