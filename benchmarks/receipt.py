"""The acknowledgement receipt (issue: a receipt on every submission, rendered by a worker): WeasyPrint's
rendering of one receipt, with its context (QR code included) prepared once, as a worker renders it."""

import statistics
import time
import uuid

from portal_kit.pdf import render_pdf
from requests_app.catalogue_seed import catalogue_seed
from requests_app.documents import RECEIPT_TEMPLATE, receipt_context
from requests_app.models import Channel, Request, Service, Site, Street
from requests_app.services import FilingData, request_submit

RUNS = 50
WARMUP = 3
# The same filing on every run of the benchmark: request_submit returns the request it made the first time.
DESCRIPTION = (
    "Une dizaine de sacs d'ordures et des gravats déposés au pied du mur, devant le numéro 12, depuis lundi. "
    "Les sacs sont éventrés et les déchets s'étalent sur le trottoir. "
) * 3
SUBMISSION_KEY = uuid.uuid5(uuid.NAMESPACE_URL, "bethune-portal/benchmarks/receipt")


def _request() -> Request:
    catalogue_seed()
    service = Service.objects.get(code="depot-sauvage")
    answers = {field.key: (field.choice_list() or ["Oui"])[0] for field in service.fields.all()}
    request = request_submit(
        service=service,
        requester=None,
        channel=Channel.GUICHET,
        site=Site.objects.get(code="hdv"),
        submission_key=SUBMISSION_KEY,
        data=FilingData(
            description=DESCRIPTION,
            answers=answers,
            street=Street.objects.get(name="rue Hoche"),
            street_number="12",
            contact_name="Paul Martin",
            contact_email="paul.martin@example.fr",
            contact_phone="06 12 34 56 78",
        ),
    )
    return Request.objects.select_related("service", "espace", "site", "street", "requester").get(
        pk=request.pk
    )


def run(report, args) -> None:
    request = _request()
    started = time.perf_counter()
    context = receipt_context(request)
    context_ms = (time.perf_counter() - started) * 1000
    for _ in range(WARMUP):
        render_pdf(RECEIPT_TEMPLATE, context)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        pdf = render_pdf(RECEIPT_TEMPLATE, context)
        samples.append((time.perf_counter() - started) * 1000)
    report.add(
        "Accusé de réception PDF (rendu WeasyPrint)",
        samples,
        target="médiane ≤ 80 ms",
        notes=f"{request.reference}, {len(pdf) // 1024} Ko, contexte et code QR : {context_ms:.0f} ms "
        f"(une fois) ; écart-type {statistics.pstdev(samples):.1f} ms",
    )
