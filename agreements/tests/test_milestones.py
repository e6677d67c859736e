"""Rules on milestones: due within the agreement's term, done means completed, and "overdue"."""

import datetime

import pytest

from agreements.models import Agreement, Milestone
from tests.factories import AgreementFactory, MilestoneFactory
from tests.support.assertions import assert_refused, refused_by_database

pytestmark = pytest.mark.django_db

EFFECTIVE_FROM = datetime.date(2026, 1, 1)
EXPIRES_ON = datetime.date(2028, 12, 31)


def milestone_of(agreement: Agreement, **fields) -> Milestone:
    return MilestoneFactory.build(agreement=agreement, **fields)


@pytest.fixture
def agreement() -> Agreement:
    return AgreementFactory(effective_from=EFFECTIVE_FROM, expires_on=EXPIRES_ON)


def test_milestone_due_before_agreement_takes_effect_is_refused(agreement):
    milestone = milestone_of(agreement, due_on=datetime.date(2025, 12, 31))

    assert_refused(milestone, "due_on", "cannot be due before the agreement takes effect (2026-01-01)")


def test_milestone_due_after_agreement_expires_is_refused(agreement):
    milestone = milestone_of(agreement, due_on=datetime.date(2029, 1, 1))

    assert_refused(milestone, "due_on", "cannot be due after the agreement expires (2028-12-31)")


@pytest.mark.parametrize("due_on", [EFFECTIVE_FROM, EXPIRES_ON])
def test_milestone_due_on_the_first_or_last_day_of_the_agreement_is_accepted(agreement, due_on):
    milestone_of(agreement, due_on=due_on).full_clean()


def test_milestone_due_after_first_expiry_of_an_automatically_renewed_agreement_is_accepted():
    agreement = AgreementFactory(
        effective_from=EFFECTIVE_FROM, expires_on=EXPIRES_ON, renewal=Agreement.Renewal.AUTOMATIC, renewal_months=12
    )

    milestone_of(agreement, due_on=datetime.date(2030, 6, 30)).full_clean()


def test_milestone_due_after_expiry_of_an_agreement_renewed_by_decision_is_refused():
    agreement = AgreementFactory(
        effective_from=EFFECTIVE_FROM, expires_on=EXPIRES_ON, renewal=Agreement.Renewal.BY_DECISION
    )

    assert_refused(milestone_of(agreement, due_on=datetime.date(2029, 1, 1)), "due_on", "after the agreement expires")


def test_milestone_of_an_open_ended_agreement_may_be_due_any_time_after_it_takes_effect():
    agreement = AgreementFactory(effective_from=EFFECTIVE_FROM, expires_on=None)

    milestone_of(agreement, due_on=datetime.date(2040, 1, 1)).full_clean()


def test_done_milestone_without_a_completion_date_is_refused(agreement):
    milestone = milestone_of(agreement, status=Milestone.Status.DONE, completed_on=None)

    assert_refused(milestone, "completed_on", "needs the date it was completed")


def test_done_milestone_with_a_completion_date_is_accepted(agreement):
    milestone_of(agreement, status=Milestone.Status.DONE, completed_on=datetime.date(2027, 6, 1)).full_clean()


def test_database_refuses_a_done_milestone_without_a_completion_date(agreement):
    with refused_by_database("milestone_done_has_completion_date"):
        MilestoneFactory(agreement=agreement, status=Milestone.Status.DONE, completed_on=None)


def test_database_refuses_an_unknown_milestone_status(agreement):
    with refused_by_database("milestone_status_known"):
        MilestoneFactory(agreement=agreement, status="postponed")


# Overdue: the queryset and the single record must agree.


@pytest.mark.parametrize(
    ("status", "days_past_due", "overdue"),
    [
        (Milestone.Status.PLANNED, 1, True),
        (Milestone.Status.IN_PROGRESS, 30, True),
        (Milestone.Status.PLANNED, 0, False),
        (Milestone.Status.IN_PROGRESS, 0, False),
        (Milestone.Status.PLANNED, -1, False),
        (Milestone.Status.DONE, 30, False),
        (Milestone.Status.CANCELLED, 30, False),
    ],
)
def test_milestone_is_overdue_only_when_open_and_past_due(agreement, today, status, days_past_due, overdue):
    milestone = MilestoneFactory(
        agreement=agreement,
        due_on=today - datetime.timedelta(days=days_past_due),
        status=status,
        completed_on=today if status == Milestone.Status.DONE else None,
    )

    assert milestone.is_overdue(today) is overdue
    assert Milestone.objects.overdue(today).filter(pk=milestone.pk).exists() is overdue


def test_overdue_lists_exactly_the_open_milestones_past_due(agreement, today):
    yesterday = today - datetime.timedelta(days=1)
    planned_late = MilestoneFactory(agreement=agreement, due_on=yesterday)
    in_progress_late = MilestoneFactory(agreement=agreement, due_on=yesterday, status=Milestone.Status.IN_PROGRESS)
    MilestoneFactory(agreement=agreement, due_on=today)
    MilestoneFactory(agreement=agreement, due_on=yesterday, status=Milestone.Status.DONE, completed_on=yesterday)
    MilestoneFactory(agreement=agreement, due_on=yesterday, status=Milestone.Status.CANCELLED)

    assert set(Milestone.objects.overdue(today)) == {planned_late, in_progress_late}
    assert [m for m in Milestone.objects.all() if m.is_overdue(today)] == list(Milestone.objects.overdue(today))
