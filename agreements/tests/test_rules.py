"""Rules on agreements: dates, renewal, amendments, references, status lifecycle and parties."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from agreements.lifecycle import ALLOWED_TRANSITIONS, AgreementStatus, check_parties
from agreements.models import Agreement
from tests.factories import AgreementFactory, AgreementPartyFactory, TechnopolisFactory
from tests.support.assertions import assert_refused, refused_by_database, validation_errors

S = AgreementStatus

# Every ordered pair of two different statuses, generated from the statuses themselves so that a
# status added later is tested too (and, if the transition table forgets it, refused everywhere).
STATUS_PAIRS = [(current, new) for current in S.values for new in S.values if current != new]
ALLOWED_PAIRS = [(current, new) for current, new in STATUS_PAIRS if new in ALLOWED_TRANSITIONS.get(current, ())]
REFUSED_PAIRS = [(current, new) for current, new in STATUS_PAIRS if new not in ALLOWED_TRANSITIONS.get(current, ())]


# Dates


@pytest.mark.django_db
def test_agreement_expiring_before_it_takes_effect_is_refused():
    agreement = AgreementFactory.build(effective_from=datetime.date(2026, 3, 1), expires_on=datetime.date(2026, 2, 28))

    assert_refused(agreement, "expires_on", "cannot expire before it takes effect (2026-03-01)")


@pytest.mark.django_db
def test_agreement_expiring_the_day_it_takes_effect_is_accepted():
    AgreementFactory.build(effective_from=datetime.date(2026, 3, 1), expires_on=datetime.date(2026, 3, 1)).full_clean()


@pytest.mark.django_db
def test_database_refuses_an_agreement_expiring_before_it_takes_effect():
    with refused_by_database("agreement_expires_after_it_takes_effect"):
        AgreementFactory(effective_from=datetime.date(2026, 3, 1), expires_on=datetime.date(2026, 2, 28))


# Renewal


@pytest.mark.django_db
def test_automatic_renewal_without_a_renewal_period_is_refused():
    agreement = AgreementFactory.build(renewal=Agreement.Renewal.AUTOMATIC, renewal_months=None)

    assert_refused(agreement, "renewal_months", "needs the length of each renewal period")


@pytest.mark.django_db
def test_automatic_renewal_without_a_first_expiry_date_is_refused():
    agreement = AgreementFactory.build(renewal=Agreement.Renewal.AUTOMATIC, renewal_months=12, expires_on=None)

    assert_refused(agreement, "expires_on", "needs the date the first term expires")


@pytest.mark.django_db
def test_automatic_renewal_with_period_and_expiry_is_accepted():
    AgreementFactory.build(renewal=Agreement.Renewal.AUTOMATIC, renewal_months=12, notice_period_days=30).full_clean()


@pytest.mark.django_db
def test_renewal_by_decision_needs_no_period_nor_expiry():
    AgreementFactory.build(renewal=Agreement.Renewal.BY_DECISION, renewal_months=None, expires_on=None).full_clean()


@pytest.mark.django_db
def test_zero_month_renewal_period_is_refused():
    agreement = AgreementFactory.build(renewal=Agreement.Renewal.AUTOMATIC, renewal_months=0)

    assert_refused(agreement, "renewal_months", "greater than or equal to 1")


@pytest.mark.django_db
def test_database_refuses_automatic_renewal_without_a_renewal_period():
    with refused_by_database("agreement_automatic_renewal_has_period_and_expiry"):
        AgreementFactory(renewal=Agreement.Renewal.AUTOMATIC, renewal_months=None)


@pytest.mark.django_db
def test_database_refuses_automatic_renewal_of_zero_months():
    with refused_by_database("agreement_automatic_renewal_has_period_and_expiry"):
        AgreementFactory(renewal=Agreement.Renewal.AUTOMATIC, renewal_months=0)


@pytest.mark.django_db
def test_database_refuses_automatic_renewal_without_a_first_expiry_date():
    with refused_by_database("agreement_automatic_renewal_has_period_and_expiry"):
        AgreementFactory(renewal=Agreement.Renewal.AUTOMATIC, renewal_months=12, expires_on=None)


# Amendments and supplements


@pytest.mark.django_db
def test_agreement_with_a_parent_but_no_relation_is_refused():
    agreement = AgreementFactory.build(parent=AgreementFactory(), parent_relation="")

    assert_refused(agreement, "parent_relation", "amends or supplements its parent")


@pytest.mark.django_db
def test_amendment_without_a_parent_is_refused():
    agreement = AgreementFactory.build(parent=None, parent_relation=Agreement.ParentRelation.AMENDMENT)

    assert_refused(agreement, "parent", "needs its parent agreement")


@pytest.mark.django_db
@pytest.mark.parametrize("relation", Agreement.ParentRelation.values)
def test_amendment_or_supplement_with_its_parent_is_accepted(relation):
    AgreementFactory.build(parent=AgreementFactory(), parent_relation=relation).full_clean()


@pytest.mark.django_db
def test_database_refuses_a_parent_without_a_relation():
    parent = AgreementFactory()

    with refused_by_database("agreement_parent_and_relation_together"):
        AgreementFactory(parent=parent, parent_relation="")


@pytest.mark.django_db
def test_database_refuses_a_relation_without_a_parent():
    with refused_by_database("agreement_parent_and_relation_together"):
        AgreementFactory(parent=None, parent_relation=Agreement.ParentRelation.SUPPLEMENT)


@pytest.mark.django_db
def test_agreement_amending_itself_is_refused():
    agreement = AgreementFactory()
    agreement.parent = agreement
    agreement.parent_relation = Agreement.ParentRelation.AMENDMENT

    assert_refused(agreement, "parent", "cannot amend itself")


@pytest.mark.django_db
def test_database_refuses_an_agreement_amending_itself():
    agreement = AgreementFactory()
    agreement.parent = agreement
    agreement.parent_relation = Agreement.ParentRelation.AMENDMENT

    with refused_by_database("agreement_not_its_own_parent"):
        agreement.save()


# Reference


@pytest.mark.django_db
def test_second_agreement_with_the_same_reference_is_refused():
    AgreementFactory(reference="TP-2026/017")

    assert_refused(AgreementFactory.build(reference="TP-2026/017"), "reference", "with this Reference already exists")


@pytest.mark.django_db
def test_database_refuses_a_second_agreement_with_the_same_reference():
    AgreementFactory(reference="TP-2026/017")

    with refused_by_database("reference"):
        AgreementFactory(reference="TP-2026/017")


# Status lifecycle


def test_transition_table_covers_every_status():
    assert set(ALLOWED_TRANSITIONS) == set(S.values)
    for targets in ALLOWED_TRANSITIONS.values():
        assert targets <= set(S.values)


def test_transition_table_is_the_documented_lifecycle():
    assert dict(ALLOWED_TRANSITIONS) == {
        S.DRAFT: {S.NEGOTIATION},
        S.NEGOTIATION: {S.DRAFT, S.SIGNED},
        S.SIGNED: {S.ACTIVE},
        S.ACTIVE: {S.COMPLETED, S.EXPIRED, S.TERMINATED},
        S.COMPLETED: set(),
        S.EXPIRED: set(),
        S.TERMINATED: set(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("status", S.values)
def test_new_agreement_may_start_in_any_status(status):
    AgreementFactory.build(status=status).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("status", S.values)
def test_stored_agreement_may_keep_its_status(status):
    agreement = AgreementFactory(status=status)

    agreement.title = "Renamed"
    agreement.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "new"), ALLOWED_PAIRS)
def test_allowed_status_transition_is_accepted(current, new):
    agreement = AgreementFactory(status=current)

    agreement.status = new
    agreement.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "new"), REFUSED_PAIRS)
def test_disallowed_status_transition_is_refused(current, new):
    agreement = AgreementFactory(status=current)

    agreement.status = new
    assert_refused(agreement, "status", f"cannot go from {S(current).label} to {S(new).label}")


@pytest.mark.django_db
def test_refused_transition_out_of_a_final_status_says_it_is_final():
    agreement = AgreementFactory(status=S.COMPLETED)

    agreement.status = S.ACTIVE
    assert_refused(agreement, "status", "nowhere, it is final")


@pytest.mark.django_db
def test_transition_is_checked_against_the_stored_status_not_the_unsaved_one():
    agreement = AgreementFactory(status=S.DRAFT)

    agreement.status = S.NEGOTIATION
    agreement.full_clean()
    agreement.status = S.SIGNED  # negotiation -> signed, but the record is still a draft in the database

    assert_refused(agreement, "status", "cannot go from draft to signed")


@pytest.mark.django_db
def test_unknown_status_is_refused():
    assert "status" in validation_errors(AgreementFactory.build(status="archived"))


@pytest.mark.django_db
def test_database_refuses_an_unknown_status():
    with refused_by_database("agreement_status_known"):
        AgreementFactory(status="archived")


# Parties


@pytest.mark.parametrize("status", [s for s in S.values if s != S.DRAFT])
def test_two_distinct_parks_may_be_parties_past_draft(status):
    check_parties(status, [1, 2])


@pytest.mark.parametrize("status", [s for s in S.values if s != S.DRAFT])
@pytest.mark.parametrize("park_ids", [[], [1]])
def test_fewer_than_two_parties_past_draft_is_refused(status, park_ids):
    with pytest.raises(ValidationError, match="needs at least two parties") as caught:
        check_parties(status, park_ids)
    assert caught.value.code == "too_few_parties"


@pytest.mark.parametrize("park_ids", [[], [1], [1, 2]])
def test_draft_may_have_any_number_of_distinct_parties(park_ids):
    check_parties(S.DRAFT, park_ids)


@pytest.mark.parametrize("status", S.values)
def test_same_park_twice_is_refused(status):
    with pytest.raises(ValidationError, match="cannot be a party twice") as caught:
        check_parties(status, [1, 2, 1])
    assert caught.value.code == "duplicate_party"


def test_check_parties_accepts_any_iterable_of_park_ids():
    check_parties(S.SIGNED, iter([1, 2]))


@pytest.mark.django_db
def test_same_park_as_a_party_twice_is_refused_by_validation():
    party = AgreementPartyFactory()
    again = AgreementPartyFactory.build(agreement=party.agreement, technopolis=party.technopolis, signatory=None)

    assert_refused(again, NON_FIELD_ERRORS, "The same park cannot be a party twice to one agreement")


@pytest.mark.django_db
def test_database_refuses_the_same_park_twice_in_one_agreement():
    party = AgreementPartyFactory()

    with refused_by_database("agreement_party_once_per_park"):
        AgreementPartyFactory(agreement=party.agreement, technopolis=party.technopolis)


@pytest.mark.django_db
def test_same_park_may_be_a_party_to_two_agreements():
    park = TechnopolisFactory()
    AgreementPartyFactory(technopolis=park)

    AgreementPartyFactory.build(agreement=AgreementFactory(), technopolis=park, signatory=None).full_clean()
