"""The association, the vault, campaigns, the dossier's CERFA rules, the correction loop, the commission,
the convention threshold, payments and the compte-rendu financier."""

import datetime
from decimal import Decimal

import pytest

from associations.models import (
    Association,
    Dossier,
    DossierStatus,
    DossierVersion,
    Membership,
    Payment,
    PaymentKind,
    ReportStatus,
)
from associations.services import (
    OverEnvelope,
    association_create,
    commission_decide,
    dossier_admissibility,
    dossier_corrections_ask,
    dossier_create,
    dossier_decide,
    dossier_opinion,
    dossier_save,
    dossier_submit,
    invitation_accept,
    invitation_create,
    invitation_token,
    member_remove,
    payment_mark_paid,
    report_review,
    report_submit,
    versions_diff,
)
from requests_app.errors import ServiceError
from requests_app.models import Status
from tests.associations.conftest import (
    association_data,
    dossier_data,
    filled_dossier,
    member,
    upload_all,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("rna", "W12345", "rna"),
        ("siret", "73282932000075", "siret"),
        ("iban", "FR7630006000011234567890188", "iban"),
    ],
)
def test_an_invalid_identifier_is_refused_and_nothing_is_saved(president, now, field, value, code):
    with pytest.raises(ServiceError) as error:
        association_create(user=president, data=association_data(**{field: value}))
    assert error.value.code == code and error.value.field == field
    assert not Association.objects.exists()


def test_the_creator_becomes_president_and_a_person_may_belong_to_two_associations(president, now):
    first = association_create(user=president, data=association_data())
    second = association_create(user=president, data=association_data(rna="W623009999", name="Judo club"))
    assert set(Membership.objects.filter(user=president).values_list("association", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_the_president_invites_by_signed_link_and_a_tampered_link_is_refused(
    association, president, now, django_capture_on_commit_callbacks, mailoutbox
):
    from tests.accounts.factories import UserFactory

    treasurer = UserFactory(email="tresorier@asso.fr")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            association=association, by=president, email="Tresorier@asso.fr", role="tresorier"
        )
    assert mailoutbox[-1].to == ["tresorier@asso.fr"]
    token = invitation_token(invitation)
    assert token in mailoutbox[-1].body
    with pytest.raises(ServiceError):
        invitation_accept(token=token[:-2] + "xx", user=treasurer)
    membership = invitation_accept(token=token, user=treasurer)
    assert membership.role == "tresorier"
    with pytest.raises(ServiceError):
        invitation_create(association=association, by=treasurer, email="x@y.fr", role="membre")
    member_remove(association=association, by=president, membership=membership)
    assert not Membership.objects.filter(user=treasurer).exists()


# --- Budget rules --------------------------------------------------------------------------------------


def _submit_error(association, campaign, president, **overrides):
    dossier = filled_dossier(association, campaign, president, **overrides)
    with pytest.raises(ServiceError) as error:
        dossier_submit(dossier=dossier, user=president)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT and dossier.request_id is None
    return error.value


def test_an_unbalanced_budget_shows_the_difference_and_the_total_that_is_off(
    catalogue, association, campaign, president
):
    from tests.associations.conftest import balanced_budget

    error = _submit_error(association, campaign, president, budget=balanced_budget(**{"60": 3500}))
    assert error.code == "unbalanced"
    assert "le total des produits est inférieur de 500 €" in error.message
    assert "charges 11\u202f300 €" in error.message


def test_accounts_86_and_87_must_be_equal(catalogue, association, campaign, president):
    from tests.associations.conftest import balanced_budget

    error = _submit_error(association, campaign, president, budget=balanced_budget(**{"87": 500, "75": 300}))
    assert error.code == "in_kind_unbalanced" and "300 €" in error.message


def test_the_town_line_must_equal_the_amount_asked(catalogue, association, campaign, president):
    error = _submit_error(association, campaign, president, amount_asked="6000")
    assert error.code == "town_line"


def test_cents_are_refused_when_saving(catalogue, association, campaign, president):
    dossier = dossier_create(association=association, campaign=campaign, user=president, title="Projet")
    with pytest.raises(ServiceError) as error:
        dossier_save(
            dossier=dossier,
            user=president,
            data=dossier_data(campaign, title="Projet", amount_asked="5000,50"),
        )
    assert error.value.code == "cents"
    dossier.refresh_from_db()
    assert dossier.amount_asked == 0


def test_a_missing_or_expired_document_blocks_submission(catalogue, president, campaign, now):
    association = association_create(user=president, data=association_data())
    upload_all(association, president, valid_until=datetime.date(2026, 3, 20))
    dossier = filled_dossier(association, campaign, president)
    with pytest.raises(ServiceError) as error:
        dossier_submit(dossier=dossier, user=president, now=now + datetime.timedelta(days=10))
    assert error.value.code == "documents" and "Statuts (expirée le 20/03/2026)" in error.value.message


def test_a_closed_campaign_and_a_second_dossier_for_the_same_project_are_refused(
    catalogue, association, campaign, president, now
):
    filled_dossier(association, campaign, president)
    with pytest.raises(ServiceError) as error:
        dossier_create(
            association=association, campaign=campaign, user=president, title="Soutien  scolaire !"
        )
    assert error.value.code == "same_project"
    campaign.closes_on = datetime.date(2026, 3, 1)
    campaign.save()
    with pytest.raises(ServiceError) as error:
        dossier_create(association=association, campaign=campaign, user=president, title="Autre projet")
    assert error.value.code == "campaign_closed"


def test_submission_files_the_spine_request_with_a_first_version(
    catalogue, association, campaign, president, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = filled_dossier(association, campaign, president)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_submit(dossier=dossier, user=president)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.version == 1
    assert dossier.request.status == Status.NEW and dossier.request.service.kind == "subvention"
    assert DossierVersion.objects.filter(dossier=dossier).count() == 1
    sent = [mail for mail in mailoutbox if dossier.request.reference in mail.subject]
    assert sent and any(name.startswith("dossier-") for name, *_rest in sent[0].attachments)


# --- Correction loop -------------------------------------------------------------------------------------


def submitted(association, campaign, president, **kwargs):
    dossier = filled_dossier(association, campaign, president, **kwargs)
    return dossier_submit(dossier=dossier, user=president)


def test_the_correction_loop_keeps_both_versions_and_shows_what_changed(
    catalogue, association, campaign, president, instructor
):
    dossier = submitted(association, campaign, president)
    dossier_corrections_ask(dossier=dossier, agent=instructor, message="Précisez le public.")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.CORRECTIONS and dossier.request.status == Status.AWAITING_CITIZEN
    dossier_save(
        dossier=dossier,
        user=president,
        data=dossier_data(campaign, public="Enfants de 6 à 11 ans du Mont-Liébaut"),
    )
    dossier_submit(dossier=dossier, user=president)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.request.status == Status.IN_PROGRESS
    first, second = DossierVersion.objects.filter(dossier=dossier).order_by("number")
    assert versions_diff(first.data, second.data) == [
        ("Public", "Enfants du quartier", "Enfants de 6 à 11 ans du Mont-Liébaut")
    ]


# --- Decision, commission, convention ---------------------------------------------------------


def admissible(dossier, instructor, proposed=None):
    dossier_admissibility(dossier=dossier, agent=instructor, admissible=True)
    if proposed is not None:
        dossier_opinion(dossier=dossier, agent=instructor, opinion="Favorable", proposed_amount=str(proposed))
    dossier.refresh_from_db()
    return dossier


def test_the_commission_decides_many_dossiers_at_once(
    catalogue, association, campaign, president, instructor
):
    one = admissible(submitted(association, campaign, president, title="Projet A"), instructor, 5000)
    two = admissible(submitted(association, campaign, president, title="Projet B"), instructor, 3000)
    three = admissible(submitted(association, campaign, president, title="Projet C"), instructor, 0)
    commission_decide(
        dossiers=[one, two, three],
        agent=instructor,
        deliberation_number="2026-045",
        deliberation_on=datetime.date(2026, 6, 20),
    )
    statuses = dict(Dossier.objects.values_list("title", "status"))
    assert statuses == {"Projet A": "granted", "Projet B": "partly", "Projet C": "refused"}
    one.refresh_from_db()
    assert one.request.status == Status.RESOLVED and one.granted_amount == 5000
    assert Dossier.objects.get(title="Projet C").request.status == Status.REJECTED


def test_a_commission_without_proposal_decides_nothing(
    catalogue, association, campaign, president, instructor
):
    one = admissible(submitted(association, campaign, president, title="Projet A"), instructor, 5000)
    two = admissible(submitted(association, campaign, president, title="Projet B"), instructor)
    with pytest.raises(ServiceError):
        commission_decide(
            dossiers=[one, two],
            agent=instructor,
            deliberation_number="1",
            deliberation_on=datetime.date(2026, 6, 20),
        )
    assert not Dossier.objects.filter(status__in=["granted", "partly"]).exists()


def test_a_decision_above_the_envelope_must_be_confirmed(
    catalogue, association, campaign, president, instructor
):
    dossier = admissible(submitted(association, campaign, president, town=25000), instructor)
    with pytest.raises(OverEnvelope):
        dossier_decide(
            dossier=dossier,
            agent=instructor,
            outcome="granted",
            amount="25000",
            deliberation_number="7",
            deliberation_on=datetime.date(2026, 6, 20),
        )
    dossier_decide(
        dossier=dossier,
        agent=instructor,
        outcome="granted",
        amount="25000",
        deliberation_number="7",
        deliberation_on=datetime.date(2026, 6, 20),
        confirm_over_envelope=True,
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.GRANTED and dossier.convention_required


def test_the_convention_threshold_sums_the_year_cash_and_in_kind(
    catalogue, association, campaign, president, instructor
):
    first = admissible(submitted(association, campaign, president, title="Projet A", town=17000), instructor)
    dossier_decide(
        dossier=first,
        agent=instructor,
        outcome="granted",
        amount="17000",
        in_kind="0",
        deliberation_number="1",
        deliberation_on=datetime.date(2026, 6, 1),
    )
    first.refresh_from_db()
    assert not first.convention_required
    second = admissible(submitted(association, campaign, president, title="Projet B"), instructor)
    dossier_decide(
        dossier=second,
        agent=instructor,
        outcome="partly",
        amount="4000",
        in_kind="3000",
        deliberation_number="2",
        deliberation_on=datetime.date(2026, 6, 1),
        confirm_over_envelope=True,
    )
    second.refresh_from_db()
    first.refresh_from_db()
    # 17 000 + 4 000 + 3 000 in kind = 24 000 € > 23 000 €: both grants of the year need the convention.
    assert second.convention_required and first.convention_required


def test_exactly_23000_needs_no_convention_and_one_euro_more_does(
    catalogue, association, campaign, president, instructor
):
    first = admissible(submitted(association, campaign, president, title="Projet A", town=20000), instructor)
    dossier_decide(
        dossier=first,
        agent=instructor,
        outcome="granted",
        amount="20000",
        in_kind="3000",
        deliberation_number="1",
        deliberation_on=datetime.date(2026, 6, 1),
        confirm_over_envelope=True,
    )
    first.refresh_from_db()
    assert not first.convention_required
    second = admissible(submitted(association, campaign, president, title="Projet B", town=1000), instructor)
    dossier_decide(
        dossier=second,
        agent=instructor,
        outcome="granted",
        amount="0",
        in_kind="1",
        deliberation_number="2",
        deliberation_on=datetime.date(2026, 6, 1),
    )
    first.refresh_from_db()
    assert first.convention_required


# --- Payments and the compte-rendu financier ---------------------------------------------------------------


def granted(
    association, campaign, president, instructor, amount=5000, instalments=True, title="Soutien scolaire"
):
    dossier = admissible(submitted(association, campaign, president, title=title, town=amount), instructor)
    dossier_decide(
        dossier=dossier,
        agent=instructor,
        outcome="granted",
        amount=str(amount),
        deliberation_number="2026-12",
        deliberation_on=datetime.date(2026, 6, 20),
        instalments=instalments,
    )
    dossier.refresh_from_db()
    return dossier


def test_the_balance_is_blocked_until_the_report_is_accepted(
    catalogue, association, campaign, president, instructor
):
    dossier = granted(association, campaign, president, instructor)
    advance = Payment.objects.get(dossier=dossier, kind=PaymentKind.ADVANCE)
    balance = Payment.objects.get(dossier=dossier, kind=PaymentKind.BALANCE)
    assert advance.amount + balance.amount == Decimal(5000)
    payment_mark_paid(payment=advance, agent=instructor)
    with pytest.raises(ServiceError) as error:
        payment_mark_paid(payment=balance, agent=instructor)
    assert error.value.code == "balance_blocked"
    report = dossier.report
    assert report.due_on == datetime.date(2027, 6, 30)
    report_submit(report=report, user=president, actual={"60": "3000", "70": "3000"}, review="Bilan positif")
    report_review(report=report, agent=instructor, accept=False, note="Joignez les factures.")
    assert report.status == ReportStatus.MORE
    report_submit(
        report=report, user=president, actual={"60": "3000", "70": "3000"}, review="Factures jointes"
    )
    report_review(report=report, agent=instructor, accept=True)
    payment_mark_paid(payment=balance, agent=instructor)
    assert Payment.objects.filter(dossier=dossier, paid_on__isnull=False).count() == 2


def test_a_new_dossier_is_refused_while_a_report_is_overdue(
    catalogue, association, campaign, president, instructor, time_machine
):
    from associations.services import campaign_create

    dossier = granted(association, campaign, president, instructor)
    time_machine.move_to(datetime.datetime(2027, 7, 2, 10, 0, tzinfo=datetime.UTC), tick=False)
    upload_all(association, president, valid_until=datetime.date(2028, 1, 1))
    next_campaign = campaign_create(
        year=2027,
        title="Appel 2027",
        opens_on=datetime.date(2027, 7, 1),
        closes_on=datetime.date(2027, 9, 30),
        axes=[("Cohésion", Decimal(1000))],
    )
    with pytest.raises(ServiceError) as error:
        dossier_create(association=association, campaign=next_campaign, user=president, title="Nouveau")
    assert error.value.code == "report_overdue"
    assert dossier.reference in error.value.message and "30/06/2027" in error.value.message


def test_report_reminders_go_30_days_before_and_on_the_date_once(
    catalogue, association, campaign, president, instructor
):
    from associations.services import report_reminders
    from requests_app.models import Notification

    dossier = granted(association, campaign, president, instructor)
    assert report_reminders(today=datetime.date(2027, 5, 1)) == 0
    assert report_reminders(today=datetime.date(2027, 5, 31)) == 1
    assert report_reminders(today=datetime.date(2027, 6, 1)) == 0
    assert report_reminders(today=datetime.date(2027, 6, 30)) == 1
    assert (
        Notification.objects.filter(request=dossier.request, template="associations/report_reminder").count()
        == 2
    )


def test_a_person_in_two_associations_acts_in_each_and_an_outsider_in_none(
    catalogue, association, campaign, president
):
    from tests.accounts.factories import UserFactory

    other = association_create(
        user=UserFactory(email="judo@club.fr"), data=association_data(rna="W623005555")
    )
    outsider = UserFactory(email="x@y.fr")
    with pytest.raises(ServiceError):
        dossier_create(association=other, campaign=campaign, user=president, title="Judo")
    member(other, president)
    assert dossier_create(association=other, campaign=campaign, user=president, title="Judo")
    with pytest.raises(ServiceError):
        dossier_create(association=association, campaign=campaign, user=outsider, title="Autre")
