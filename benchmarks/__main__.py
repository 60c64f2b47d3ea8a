"""`make bench`: timed scenarios on generated data; prints a Markdown table for the README.

Each scenario module in SCENARIOS has `run(report, args)`. Run one with `make bench BENCH_ARGS="filing"`.
The database is DATABASE_URL's, by default a PostgreSQL database of its own (DEFAULT_DATABASE_URL);
scenarios that need PostgreSQL say so and are skipped on SQLite."""

import argparse
import importlib
import os
import sys
import time

SCENARIOS = ["filing", "receipt", "queue", "appointments", "encombrants", "load"]
# The figures in the README are on PostgreSQL: a database of its own, created and migrated if missing, and
# kept between runs (generating a million requests takes minutes; the next run reuses them).
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bethune_bench"


def _create_database(url: str) -> None:
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    name = name.split("?", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Base {name} créée.", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("only", nargs="*", help="scénarios à lancer (défaut : tous)")
    parser.add_argument(
        "--scale", type=int, default=1_000_000, help="demandes générées pour la file du guichet"
    )
    parser.add_argument("--output", default="", help="écrire le tableau Markdown dans ce fichier")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bethune_portal.settings.bench")
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)

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
