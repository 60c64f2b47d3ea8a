"""The guichet's queue at scale (issue 4): with `--scale` requests (default 1 000 000) in PostgreSQL, the
default tab of an agent of one espace (50 rows) rendered server-side, its SQL query count, and searches
by reference and by email."""

import time

from django.db import connection
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from demo.generate import generate_people, generate_requests
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Request

RUNS = 60
WARMUP = 5


def _ensure_data(scale: int) -> None:
    from django.core.management import call_command

    if not User.objects.filter(email="agent.tranquillite@demo.bethune.fr").exists():
        call_command("seed_demo", verbosity=0)
    generate_people()
    missing = scale - Request.objects.count()
    if missing > 0:
        print(f"   génération de {missing} demandes…", flush=True)
        generate_requests(
            count=missing,
            seed=Request.objects.aggregate(m=Max("pk"))["m"] or 42,
            progress=lambda line: print(f"   {line}", flush=True),
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE requests_app_request" if connection.vendor == "postgresql" else "ANALYZE"
        )


def _time(client: Client, url: str, runs: int = RUNS) -> tuple[list[float], int]:
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return samples, len(queries.captured_queries)


def run(report, args) -> None:
    if connection.vendor != "postgresql":
        print("   (file du guichet : PostgreSQL requis, définir DATABASE_URL)")
        return
    catalogue_seed()
    _ensure_data(args.scale)
    total = Request.objects.count()
    agent = User.objects.get(email="agent.tranquillite@demo.bethune.fr")
    client = Client()
    client.force_login(agent)
    samples, queries = _time(client, "/guichet/")
    report.add(
        f"File du guichet, onglet par défaut, 50 lignes ({total:_} demandes)".replace("_", " "),
        samples,
        target="médiane ≤ 25 ms, p95 ≤ 50 ms",
        notes=f"{queries} requêtes SQL (≤ 10)",
    )
    samples, queries = _time(client, "/guichet/?onglet=closes", runs=30)
    report.add("File du guichet, onglet « Closes »", samples, notes=f"{queries} requêtes SQL")
    supervisor = User.objects.get(email="superviseur@demo.bethune.fr")
    sup_client = Client()
    sup_client.force_login(supervisor)
    samples, queries = _time(sup_client, "/guichet/", runs=30)
    report.add("File du guichet, superviseur (tous les espaces)", samples, notes=f"{queries} requêtes SQL")
    sample = (
        Request.objects.filter(espace__code="tranquillite").exclude(contact_email="").order_by("-pk").first()
    )
    samples, _ = _time(client, f"/guichet/?onglet=ouvertes&q={sample.reference}", runs=30)
    samples += _time(client, f"/guichet/?onglet=closes&q={sample.reference}", runs=30)[0]
    report.add("Recherche par référence", samples, target="≤ 50 ms")
    samples, _ = _time(client, f"/guichet/?onglet=closes&q={sample.contact_email}", runs=30)
    report.add("Recherche par courriel", samples, target="≤ 50 ms")
    samples, _ = _time(client, "/guichet/?onglet=closes&q=lampadaire", runs=20)
    report.add("Recherche plein texte (« lampadaire »)", samples)
    run_export(report, args)


def _export(client: Client, url: str, *, trace: bool) -> tuple[int, float, float]:
    """Rows streamed, seconds, and (with `trace`) the peak of Python allocations in MiB while streaming.
    The time is taken without tracing, which slows every allocation."""
    import tracemalloc

    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url)
    rows = -1  # the header line
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    peak = 0.0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return rows, elapsed, peak


def run_export(report, args) -> None:
    """The CSV export streams from a server-side cursor: its memory must not grow with the rows exported."""
    if connection.vendor != "postgresql":
        return
    supervisor = User.objects.get(email="superviseur@demo.bethune.fr")
    client = Client()
    client.force_login(supervisor)
    small_url = "/guichet/export.csv?onglet=closes&du=" + _days_ago(12)
    large_url = "/guichet/export.csv?onglet=closes&du=" + _days_ago(140)
    rows, seconds, _ = _export(client, large_url, trace=False)
    small_rows, _, small_peak = _export(client, small_url, trace=True)
    _, _, large_peak = _export(client, large_url, trace=True)
    report.add(
        f"Export CSV de {rows:_} lignes (streaming)".replace("_", " "),
        [seconds * 1000],
        target="mémoire constante",
        notes=f"{rows / seconds:_.0f} lignes/s ; pic mémoire Python {large_peak:.1f} Mio, "
        f"contre {small_peak:.1f} Mio pour {small_rows:_} lignes".replace("_", " "),
    )


def _days_ago(days: int) -> str:
    import datetime

    from django.utils import timezone

    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()
