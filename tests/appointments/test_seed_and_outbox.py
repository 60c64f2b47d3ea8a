"""The demo agendas, and the confirmation email going through the spine's outbox to this app's builder."""

import pytest
from django.core import mail

from appointments.models import Agenda, Motif
from appointments.seed import agendas_seed
from requests_app.catalogue_seed import catalogue_seed
from tests.appointments.conftest import paris
from tests.appointments.helpers import book

pytestmark = pytest.mark.django_db


def test_the_demo_seed_opens_id_motifs_at_both_sites_and_pacs_at_the_hotel_de_ville(db):
    catalogue_seed()

    assert agendas_seed() == 9
    assert agendas_seed() == 9  # idempotent

    pairs = set(Agenda.objects.values_list("motif", "site__code"))
    for motif in (Motif.CNI, Motif.PASSEPORT, Motif.CNI_PASSEPORT, Motif.RETRAIT):
        assert {(motif, "hdv"), (motif, "victor-hugo")} <= pairs
    assert (Motif.PACS, "hdv") in pairs and (Motif.PACS, "victor-hugo") not in pairs
    pacs = Agenda.objects.get(motif=Motif.PACS)
    assert pacs.service.code == "rdv-pacs" and pacs.openings.count() == 2
    assert Agenda.objects.get(motif=Motif.CNI, site__code="hdv").service.code == "rdv-cni-passeport"
    assert all(agenda.document_list() for agenda in Agenda.objects.all())


def test_the_confirmation_goes_out_through_the_outbox_with_the_convocation(
    agenda, resident_user, now, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(agenda, resident_user, paris(2026, 3, 24, 9))

    confirmations = [
        email for email in mail.outbox if email.subject.startswith("[Ville de Béthune] Rendez-vous")
    ]
    assert len(confirmations) == 1
    names = [name for name, _content, _mimetype in confirmations[0].attachments]
    assert f"convocation-{booking.request.reference}.pdf" in names and "rendez-vous.ics" in names
