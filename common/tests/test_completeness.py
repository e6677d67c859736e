"""Missing data: what each record lacks, for its page (missing_labels) and for lists (filter_missing)."""

import datetime

import pytest
from django.utils import translation

from agreements.completeness import AGREEMENT_RULES, MILESTONE_RULES
from agreements.lifecycle import AgreementStatus
from agreements.models import Agreement
from common.completeness import annotate_missing, filter_missing, missing_labels
from parks.completeness import PARK_RULES, PERSON_RULES
from parks.models import Technopolis
from residents.completeness import RESIDENT_COMPANY_RULES
from tests.factories import (
    AgreementFactory,
    MilestoneFactory,
    PersonFactory,
    ResidentCompanyFactory,
    TechnopolisFactory,
    agreement_with_parties,
)

pytestmark = pytest.mark.django_db

S = AgreementStatus
SIGNED_ON = datetime.date(2026, 6, 18)


def signed_agreement(**fields) -> Agreement:
    """A signed bilateral agreement lacking nothing, unless `fields` say otherwise."""
    return agreement_with_parties(**{"status": S.SIGNED, "signed_on": SIGNED_ON, **fields})


def without_signatory(agreement: Agreement) -> Agreement:
    agreement.parties.filter(pk=agreement.parties.first().pk).update(signatory=None)
    return agreement


def labels(record, rules=AGREEMENT_RULES) -> list[str]:
    with translation.override("en"):
        return missing_labels(record, rules)


# Agreements


def test_complete_signed_agreement_lacks_nothing():
    assert labels(signed_agreement()) == []


def test_signed_agreement_without_signing_date_is_flagged():
    assert labels(signed_agreement(signed_on=None)) == ["signing date"]


def test_signed_agreement_with_a_party_without_signatory_is_flagged():
    assert labels(without_signatory(signed_agreement())) == ["a party's signatory"]


@pytest.mark.parametrize("status", [S.ACTIVE, S.COMPLETED, S.EXPIRED, S.TERMINATED])
def test_agreement_past_signing_without_date_or_signatory_is_flagged_for_both(status):
    agreement = without_signatory(signed_agreement(status=status, signed_on=None))

    assert labels(agreement) == ["signing date", "a party's signatory"]


@pytest.mark.parametrize("status", [S.DRAFT, S.NEGOTIATION])
def test_unsigned_agreement_is_not_flagged_for_signing_date_or_signatory(status):
    agreement = without_signatory(agreement_with_parties(status=status, signed_on=None))

    assert labels(agreement) == []


def test_agreement_in_effect_without_effective_date_is_flagged():
    assert labels(signed_agreement(status=S.ACTIVE, effective_from=None)) == ["effective date"]


def test_signed_agreement_not_yet_in_effect_is_not_flagged_for_effective_date():
    assert labels(signed_agreement(effective_from=None)) == []


def test_automatic_renewal_without_notice_period_is_flagged():
    agreement = signed_agreement(renewal=Agreement.Renewal.AUTOMATIC, renewal_months=12, notice_period_days=None)

    assert labels(agreement) == ["notice period"]


def test_missing_labels_reads_the_annotations_without_querying(django_assert_num_queries):
    stored = without_signatory(signed_agreement(signed_on=None))
    annotated = annotate_missing(Agreement.objects.filter(pk=stored.pk), AGREEMENT_RULES).get()

    with django_assert_num_queries(0):
        assert labels(annotated) == ["signing date", "a party's signatory"]


def test_missing_labels_of_a_plain_instance_asks_the_database_once(django_assert_num_queries):
    plain = Agreement.objects.get(pk=without_signatory(signed_agreement(signed_on=None)).pk)

    with django_assert_num_queries(1):
        assert labels(plain) == ["signing date", "a party's signatory"]


def test_annotated_and_plain_instances_agree_on_every_agreement():
    without_signatory(signed_agreement(signed_on=None))
    signed_agreement(status=S.ACTIVE, effective_from=None)
    agreement_with_parties()

    for annotated in annotate_missing(Agreement.objects.all(), AGREEMENT_RULES):
        assert labels(annotated) == labels(Agreement.objects.get(pk=annotated.pk))


def test_unsaved_record_lacks_nothing_yet(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert labels(AgreementFactory.build(status=S.SIGNED, signed_on=None)) == []


def test_filter_missing_by_code_lists_only_the_records_lacking_that_data():
    no_date = signed_agreement(signed_on=None)
    no_signatory = without_signatory(signed_agreement())
    signed_agreement()
    agreement_with_parties(status=S.DRAFT, signed_on=None)

    assert set(filter_missing(Agreement.objects.all(), AGREEMENT_RULES, "signed_on")) == {no_date}
    assert set(filter_missing(Agreement.objects.all(), AGREEMENT_RULES, "signatory")) == {no_signatory}


def test_filter_missing_without_code_lists_records_lacking_anything():
    no_date = signed_agreement(signed_on=None)
    no_signatory = without_signatory(signed_agreement())
    no_notice = signed_agreement(renewal=Agreement.Renewal.AUTOMATIC, renewal_months=12, notice_period_days=None)
    signed_agreement()
    agreement_with_parties(status=S.DRAFT, signed_on=None)

    assert set(filter_missing(Agreement.objects.all(), AGREEMENT_RULES, None)) == {no_date, no_signatory, no_notice}


def test_filter_missing_with_an_unknown_code_lists_nothing():
    signed_agreement(signed_on=None)

    assert not filter_missing(Agreement.objects.all(), AGREEMENT_RULES, "no_such_rule").exists()


def test_filter_missing_agrees_with_missing_labels():
    signed_agreement(signed_on=None)
    without_signatory(signed_agreement())
    signed_agreement()

    for rule in AGREEMENT_RULES:
        flagged = set(filter_missing(Agreement.objects.all(), AGREEMENT_RULES, rule.code))
        with translation.override("en"):
            label = str(rule.label)
        labelled = {a for a in Agreement.objects.all() if label in labels(a)}
        assert flagged == labelled, rule.code


# Milestones


def test_milestone_without_anyone_responsible_is_flagged():
    assert labels(MilestoneFactory(), MILESTONE_RULES) == ["responsible park or person"]


def test_milestone_with_a_responsible_park_or_person_is_not_flagged():
    assert labels(MilestoneFactory(responsible_technopolis=TechnopolisFactory()), MILESTONE_RULES) == []
    assert labels(MilestoneFactory(responsible_person=PersonFactory()), MILESTONE_RULES) == []


# Parks, people and resident companies


def test_himgrad_like_park_with_unknown_city_ownership_and_funding_is_flagged_for_those():
    himgrad = TechnopolisFactory(name="Technopolis Himgrad", city="", ownership="", receives_government_funding=None)

    assert labels(himgrad, PARK_RULES) == ["city", "ownership", "government funding"]


def test_park_known_not_to_receive_government_funding_is_not_flagged():
    assert labels(TechnopolisFactory(receives_government_funding=False), PARK_RULES) == []
    assert labels(TechnopolisFactory(receives_government_funding=True), PARK_RULES) == []


def test_park_lacking_everything_is_flagged_for_every_rule():
    bare = TechnopolisFactory(
        region="", city="", founded_year=None, ownership="", receives_government_funding=None, management_company=""
    )

    assert labels(bare, PARK_RULES) == [
        "region",
        "city",
        "founding year",
        "ownership",
        "government funding",
        "management company",
    ]


def test_filter_missing_finds_parks_lacking_the_city():
    himgrad = TechnopolisFactory(city="")
    TechnopolisFactory()

    assert list(filter_missing(Technopolis.objects.all(), PARK_RULES, "city")) == [himgrad]


def test_person_without_position_or_organisation_is_flagged():
    assert labels(PersonFactory(position="", organisation=""), PERSON_RULES) == ["position", "organisation"]
    assert labels(PersonFactory(), PERSON_RULES) == []


def test_resident_company_without_legal_form_or_residency_start_is_flagged():
    company = ResidentCompanyFactory(legal_form="", residency_start=None)

    assert labels(company, RESIDENT_COMPANY_RULES) == ["legal form", "residency start"]
    assert labels(ResidentCompanyFactory(), RESIDENT_COMPANY_RULES) == []
