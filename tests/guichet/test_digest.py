"""The SLA daily digest: who gets what, at most once a day, nothing when there is nothing to say."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from guichet.digest import DIGEST_LINE_CAP, digest_build, digest_send
from guichet.models import DigestSent
from guichet.tasks import agent_digest_task
from requests_app.catalogue_seed import catalogue_seed
from requests_app.models import Street
from requests_app.services import request_assign
from tests.accounts.factories import supervisor
from tests.requests_app.factories import submitted_request

PARIS = ZoneInfo("Europe/Paris")
FILED = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)  # Monday; 10 working days → due 16 March
DIGEST_TIME = datetime.datetime(2026, 4, 1, 8, 0, tzinfo=PARIS)
TODAY = DIGEST_TIME.date()


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://demarches.bethune.fr"


def file(resident, code="poubelles-hors-horaires", when=FILED, description="Bacs sur le trottoir"):
    catalogue_seed()
    with time_machine.travel(when, tick=False):
        return submitted_request(
            service=code, requester=resident, description=description, street=Street.objects.first()
        )


def run_digest_at(moment=DIGEST_TIME):
    with time_machine.travel(moment, tick=False):
        return agent_digest_task.apply().get()


def mails_to(email: str) -> list:
    return [message for message in mail.outbox if message.to == [email]]


@pytest.fixture
def cast(resident_user, agent, other_agent, manager_user):
    """A Tranquillité request assigned to `agent` and overdue, one unassigned and overdue, one unassigned
    and not yet due; a Famille request assigned to `other_agent`, not due yet (filed the day before)."""
    mine = file(resident_user, description="Assignée et en retard")
    request_assign(request=mine, actor=agent, assignee=agent)
    unassigned_late = file(resident_user, description="Personne ne l'a prise")
    unassigned_fresh = file(resident_user, when=DIGEST_TIME - datetime.timedelta(days=1))
    famille = file(resident_user, code="periscolaire", when=DIGEST_TIME - datetime.timedelta(days=1))
    request_assign(request=famille, actor=other_agent, assignee=other_agent)
    return {
        "mine": mine,
        "unassigned_late": unassigned_late,
        "unassigned_fresh": unassigned_fresh,
        "famille": famille,
    }


def test_an_agent_gets_their_overdue_and_their_espaces_unassigned_requests(cast, agent):
    digest = digest_build(user=agent, today=TODAY)

    assert [line.reference for line in digest.overdue] == [cast["mine"].reference]
    assert digest.overdue[0].due_date == datetime.date(2026, 3, 16)
    assert digest.overdue[0].days_late == 16
    assert digest.overdue[0].url == f"https://demarches.bethune.fr/guichet/demandes/{cast['mine'].reference}/"
    # Oldest due date first.
    assert [line.reference for line in digest.unassigned] == [
        cast["unassigned_late"].reference,
        cast["unassigned_fresh"].reference,
    ]
    assert (digest.overdue_total, digest.unassigned_total) == (1, 2)


def test_the_digest_email_is_french_with_links_to_the_guichet(cast, agent):
    result = run_digest_at()

    [message] = mails_to(agent.email)
    assert message.subject == (
        "Guichet – votre récapitulatif du 01/04/2026 : 1 demande en retard, 2 demandes à attribuer"
    )
    assert "Bonjour Luc," in message.body
    assert "VOS DEMANDES EN RETARD (1)" in message.body
    assert "DEMANDES À ATTRIBUER DANS VOS ESPACES (2)" in message.body
    assert "Échéance : 16/03/2026 (16 jours de retard)" in message.body
    assert f"https://demarches.bethune.fr/guichet/demandes/{cast['mine'].reference}/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert '<html lang="fr">' in html
    assert (
        f'<a href="https://demarches.bethune.fr/guichet/demandes/{cast["unassigned_late"].reference}/">'
        in html
    )
    assert '<th scope="col">Échéance</th>' in html
    assert result["sent"] >= 1


def test_an_agent_of_another_espace_does_not_get_those_requests(cast, other_agent):
    digest = digest_build(user=other_agent, today=TODAY)

    assert digest.overdue == [] and digest.unassigned == []
    assert digest.is_empty


def test_no_email_when_both_lists_are_empty(cast, other_agent):
    run_digest_at()

    assert mails_to(other_agent.email) == []
    assert not DigestSent.objects.filter(user=other_agent).exists()


def test_residents_get_no_digest(cast, resident_user):
    run_digest_at()

    assert mails_to(resident_user.email) == []


def test_supervisors_get_the_unassigned_requests_of_every_espace(cast, resident_user):
    boss = supervisor(email="chef@bethune.fr", first_name="Claire")
    famille_unassigned = file(resident_user, code="periscolaire")

    digest = digest_build(user=boss, today=TODAY)

    assert {line.reference for line in digest.unassigned} == {
        cast["unassigned_late"].reference,
        cast["unassigned_fresh"].reference,
        famille_unassigned.reference,
    }
    assert digest.overdue == []


def test_closed_requests_are_left_out(cast, agent):
    from requests_app.services import request_transition

    request_transition(request=cast["mine"], to_status="resolved", actor=agent, message="Bacs rentrés.")

    assert digest_build(user=agent, today=TODAY).overdue == []


def test_at_most_one_digest_a_day(cast, agent):
    run_digest_at()
    run_digest_at(DIGEST_TIME + datetime.timedelta(hours=3))  # beat fired twice, or someone ran it by hand

    assert len(mails_to(agent.email)) == 1
    assert DigestSent.objects.filter(user=agent, day=TODAY).count() == 1

    run_digest_at(DIGEST_TIME + datetime.timedelta(days=1))
    assert len(mails_to(agent.email)) == 2


def test_a_claimed_digest_is_not_sent_again(cast, agent):
    DigestSent.objects.create(user=agent, day=TODAY)

    assert digest_send(user_id=agent.pk, today=TODAY) == "already_sent"
    assert mails_to(agent.email) == []


def test_a_failed_email_gives_its_claim_back(cast, agent, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(ConnectionRefusedError):
        digest_send(user_id=agent.pk, today=TODAY)
    assert not DigestSent.objects.exists()

    monkeypatch.undo()
    assert digest_send(user_id=agent.pk, today=TODAY) == "sent"


def test_long_lists_are_capped_with_the_total(resident_user, agent):
    for n in range(DIGEST_LINE_CAP + 5):
        file(resident_user, description=f"Signalement {n}")

    digest = digest_build(user=agent, today=TODAY)
    assert len(digest.unassigned) == DIGEST_LINE_CAP
    assert digest.unassigned_total == DIGEST_LINE_CAP + 5

    run_digest_at()
    [message] = mails_to(agent.email)
    assert "… 50 affichées sur 55 : les autres sont dans la file du guichet." in message.body
    assert message.body.count("/guichet/demandes/BET-") == DIGEST_LINE_CAP
