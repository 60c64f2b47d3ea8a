"""Two commissions decide the same dossier at the same instant, each on its own PostgreSQL connection: the
dossier's row lock lets one decide; the other is told the dossier is no longer admissible. One decision,
one payment schedule, one decision event."""

import datetime
from decimal import Decimal

import pytest

from associations.models import Dossier, DossierStatus, Payment
from associations.services import (
    association_create,
    campaign_create,
    commission_decide,
    dossier_admissibility,
    dossier_create,
    dossier_opinion,
    dossier_save,
    dossier_submit,
)
from requests_app.catalogue_seed import catalogue_seed
from requests_app.errors import ServiceError
from requests_app.models import Notification, Status
from tests.accounts.factories import UserFactory, agent_of
from tests.associations.conftest import PARIS, association_data, dossier_data, upload_all
from tests.races import errors, race

COMMISSIONS = 2


@pytest.mark.postgres
def test_two_commissions_deciding_the_same_dossier_make_one_decision(
    transactional_db, django_db_serialized_rollback, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 16, 10, 0, tzinfo=PARIS), tick=True)
    catalogue_seed()
    president = UserFactory(email="presidente@asso.fr")
    instructors = [
        agent_of("vielocale", email=f"instructeur{n}@bethune.fr", first_name=f"Instr{n}", last_name="Test")
        for n in range(COMMISSIONS)
    ]
    campaign = campaign_create(
        year=2026,
        title="Appel à projets 2026",
        opens_on=datetime.date(2026, 1, 15),
        closes_on=datetime.date(2026, 4, 30),
        axes=[("Cohésion sociale", Decimal(20000))],
    )
    association = association_create(user=president, data=association_data())
    upload_all(association, president)
    dossier = dossier_create(association=association, campaign=campaign, user=president, title="Soutien")
    dossier_save(dossier=dossier, user=president, data=dossier_data(campaign, title="Soutien", town=8000))
    dossier_submit(dossier=dossier, user=president)
    dossier_admissibility(dossier=dossier, agent=instructors[0], admissible=True)
    dossier_opinion(dossier=dossier, agent=instructors[0], opinion="Favorable", proposed_amount="8000")
    # Each commission holds the dossier as its page listed it: admissible, not yet decided.
    held = [Dossier.objects.get(pk=dossier.pk) for _ in range(COMMISSIONS)]

    outcomes = race(
        lambda i: commission_decide(
            dossiers=[held[i]],
            agent=instructors[i],
            deliberation_number=f"2026-{40 + i}",
            deliberation_on=datetime.date(2026, 6, 20),
        ),
        times=COMMISSIONS,
    )

    assert errors(outcomes, expected=(ServiceError,)) == []
    won = [o for o in outcomes if o.ok]
    refused = [o.error.message for o in outcomes if not o.ok]
    assert len(won) == 1
    assert refused == ["Action impossible : le dossier est « Accordé »."]
    decided = Dossier.objects.get(pk=dossier.pk)
    assert decided.status == DossierStatus.GRANTED and decided.granted_amount == 8000
    assert decided.deliberation_number == f"2026-{40 + won[0].index}"
    assert Payment.objects.filter(dossier=decided).count() == 2  # one schedule: advance and balance
    assert decided.request.events.filter(new_status=Status.RESOLVED).count() == 1
    assert Notification.objects.filter(template="associations/decision").count() == 1
