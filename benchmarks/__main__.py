"""`make bench`: timed scenarios on generated data; prints a Markdown table for the README.

Each scenario module in SCENARIOS has `run(report, args)`. Run one with `make bench BENCH_ARGS="filing"`.
The database is DATABASE_URL's (the figures in the README are on PostgreSQL); scenarios that need
PostgreSQL say so and are skipped on SQLite."""

import argparse
import importlib
import os
import sys
import time

SCENARIOS = ["filing", "receipt", "queue", "appointments"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("only", nargs="*", help="scénarios à lancer (défaut : tous)")
    parser.add_argument("--scale", type=int, default=1_000_000, help="demandes générées pour la file du guichet")
    parser.add_argument("--output", default="", help="écrire le tableau Markdown dans ce fichier")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bethune_portal.settings.bench")
    import django

    django.setup()
    from django.db import connection

    from benchmarks.report import Report

    report = Report()
    print(f"Base : {connection.vendor} {connection.settings_dict.get('NAME')}", flush=True)
    for name in args.only or SCENARIOS:
        module = importlib.import_module(f"benchmarks.{name}")
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        module.run(report, args)
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    table = report.markdown()
    print()
    print(table)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
