"""Reminder planning: who hears what on which day, exactly once, in a bounded number of queries."""

import datetime
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Milestone
from notifications.models import EventClaim, OutgoingEmail, ReminderSnooze, Subscription
from notifications.planning import reminders_plan
from parks.models import Membership
from tests.factories import (
    MilestoneFactory,
    PersonFactory,
    TechnopolisFactory,
    agreement_with_parties,
    member,
)
from tests.support.agreement_pages import page_data

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 15)
NOW = timezone.make_aware(datetime.datetime(2027, 1, 1, 7, 0))
DAY = datetime.timedelta(days=1)


@pytest.fixture
def parks():
    return TechnopolisFactory(short_name="Himgrad"), TechnopolisFactory(short_name="Gousev")


@pytest.fixture
def staff(parks):
    himgrad, gousev = parks
    return {
        "editor": member(himgrad, Membership.Role.EDITOR, username="editor"),
        "manager": member(himgrad, Membership.Role.MANAGER, username="manager"),
        "viewer": member(himgrad, Membership.Role.VIEWER, username="viewer"),
        "gousev_editor": member(gousev, Membership.Role.EDITOR, username="gousev-editor"),
    }


@pytest.fixture
def agreement(parks):
    return agreement_with_parties(*parks, status=Agreement.Status.ACTIVE, expires_on=datetime.date(2030, 12, 31))


@pytest.fixture
def milestone(agreement, parks, staff):
    return MilestoneFactory(agreement=agreement, due_on=DUE, responsible_technopolis=parks[0])


def plan(day: datetime.date) -> list[tuple[str, str]]:
    """Plans the reminders of `day`; (kind, address) of each new e-mail."""
    return sorted((email.kind, email.recipient.address) for email in reminders_plan(today=day, now=NOW))


def kinds(day: datetime.date) -> list[str]:
    return sorted({kind for kind, _address in plan(day)})


# --- The schedule -----------------------------------------------------------------------------


def test_reminders_go_14_3_and_0_days_before_the_due_date_and_not_in_between(milestone):
    assert kinds(DUE - 15 * DAY) == []
    assert kinds(DUE - 14 * DAY) == ["reminder_due"]
    assert kinds(DUE - 13 * DAY) == []
    assert kinds(DUE - 4 * DAY) == []
    assert kinds(DUE - 3 * DAY) == ["reminder_due"]
    assert kinds(DUE - 1 * DAY) == []
    assert kinds(DUE) == ["reminder_due"]
    subjects = list(OutgoingEmail.objects.order_by("planned_for").values_list("subject", flat=True).distinct())
    assert subjects == [
        f"Due in 14 days: {milestone.title}",
        f"Due in 3 days: {milestone.title}",
        f"Due today: {milestone.title}",
    ]


def test_a_sweep_that_missed_the_day_catches_up_once(milestone):
    assert kinds(DUE - 10 * DAY) == ["reminder_due"]
    assert kinds(DUE - 9 * DAY) == []


def test_overdue_reminders_go_the_day_after_then_weekly(milestone):
    assert kinds(DUE + DAY) == ["reminder_overdue"]
    for offset in range(2, 8):
        assert kinds(DUE + offset * DAY) == [], offset
    assert kinds(DUE + 8 * DAY) == ["reminder_overdue"]
    assert kinds(DUE + 9 * DAY) == []


def test_an_overdue_milestone_is_escalated_once_to_the_managers_after_14_days(milestone, staff):
    plan(DUE + 13 * DAY)
    assert not OutgoingEmail.objects.filter(kind="escalation").exists()

    assert ("escalation", staff["manager"].email) in plan(DUE + 14 * DAY)
    plan(DUE + 15 * DAY)
    plan(DUE + 30 * DAY)

    escalations = OutgoingEmail.objects.filter(kind="escalation")
    assert list(escalations.values_list("recipient_address", flat=True)) == [staff["manager"].email]


@pytest.mark.parametrize("status", [Milestone.Status.DONE, Milestone.Status.CANCELLED])
def test_done_and_cancelled_milestones_never_remind(milestone, status):
    milestone.status = status
    milestone.completed_on = DUE - 20 * DAY if status == Milestone.Status.DONE else None
    milestone.save()

    for day in [DUE - 14 * DAY, DUE, DUE + DAY, DUE + 14 * DAY]:
        assert plan(day) == []


@pytest.mark.parametrize("status", [Agreement.Status.COMPLETED, Agreement.Status.TERMINATED])
def test_milestones_and_dates_of_a_finished_agreement_never_remind(milestone, agreement, status):
    Agreement.objects.filter(pk=agreement.pk).update(status=status, expires_on=DUE)

    assert plan(DUE - 14 * DAY) == []
    assert plan(DUE + DAY) == []


def test_a_snoozed_milestone_sends_no_overdue_reminder_until_the_snooze_ends(milestone, staff):
    ReminderSnooze.objects.create(milestone=milestone, until=DUE + 9 * DAY)

    assert plan(DUE + DAY) == []
    assert plan(DUE + 8 * DAY) == []
    # The snooze ends: the reminder current that day goes.
    assert kinds(DUE + 9 * DAY) == ["reminder_overdue"]


def test_a_snooze_does_not_hold_back_the_escalation(milestone, staff):
    ReminderSnooze.objects.create(milestone=milestone, until=DUE + 30 * DAY)

    assert plan(DUE + 14 * DAY) == [("escalation", staff["manager"].email)]


def test_a_milestone_may_set_its_own_lead_times(milestone):
    milestone.reminder_days = "30, 1"
    milestone.save()

    assert kinds(DUE - 30 * DAY) == ["reminder_due"]
    assert kinds(DUE - 14 * DAY) == []
    assert kinds(DUE - DAY) == ["reminder_due"]
    assert kinds(DUE) == []


def test_a_milestone_moved_to_a_new_date_reminds_again(milestone):
    plan(DUE - 3 * DAY)
    milestone.due_on = DUE + 10 * DAY
    milestone.save()

    assert kinds(DUE + 7 * DAY) == ["reminder_due"]


# --- Recipients -------------------------------------------------------------------------------


def test_a_responsible_person_with_an_e_mail_gets_the_reminder_instead_of_the_park_staff(milestone):
    person = PersonFactory(full_name="Yana Stoyanova", email="yana@example.org")
    milestone.responsible_person = person
    milestone.save()

    assert plan(DUE) == [("reminder_due", "yana@example.org")]


def test_without_a_responsible_person_the_editors_and_managers_of_the_responsible_park_get_it(milestone, staff):
    milestone.responsible_person = PersonFactory(email="")
    milestone.save()

    assert plan(DUE) == sorted([("reminder_due", staff["editor"].email), ("reminder_due", staff["manager"].email)])


def test_without_a_responsible_park_the_editors_of_every_party_park_get_it(milestone, staff):
    milestone.responsible_technopolis = None
    milestone.save()

    recipients = {address for _kind, address in plan(DUE)}
    assert recipients == {staff["editor"].email, staff["manager"].email, staff["gousev_editor"].email}


def test_inactive_users_and_users_without_an_e_mail_get_nothing(milestone, staff, parks):
    staff["editor"].is_active = False
    staff["editor"].save()
    member(parks[0], Membership.Role.EDITOR, email="")

    assert plan(DUE) == [("reminder_due", staff["manager"].email)]


def test_act_by_date_before_an_automatic_renewal_reminds_the_editors_of_each_party(agreement, staff):
    Agreement.objects.filter(pk=agreement.pk).update(
        renewal=Agreement.Renewal.AUTOMATIC, renewal_months=12, notice_period_days=30, expires_on=DUE
    )
    act_by = DUE - 30 * DAY

    planned = plan(act_by - 14 * DAY)

    assert planned == sorted(("act_by", staff[name].email) for name in ["editor", "manager", "gousev_editor"])
    subject = OutgoingEmail.objects.filter(kind="act_by").values_list("subject", flat=True).first()
    assert "give notice by 13 February 2027" in subject
    assert plan(act_by - 13 * DAY) == []


def test_expiry_date_reminds_the_editors_of_each_party(agreement, staff):
    Agreement.objects.filter(pk=agreement.pk).update(expires_on=DUE)

    assert {kind for kind, _address in plan(DUE - 3 * DAY)} == {"expiry"}
    assert OutgoingEmail.objects.filter(kind="expiry").count() == 3


def test_agreement_dates_are_reminded_90_30_and_7_days_before_by_default(agreement, staff):
    Agreement.objects.filter(pk=agreement.pk).update(
        renewal=Agreement.Renewal.AUTOMATIC, renewal_months=12, notice_period_days=30, expires_on=DUE
    )
    act_by = DUE - 30 * DAY

    assert plan(act_by - 91 * DAY) == []
    assert {kind for kind, _address in plan(act_by - 90 * DAY)} == {"act_by"}
    assert plan(act_by - 31 * DAY) == []
    assert {kind for kind, _address in plan(act_by - 30 * DAY)} == {"act_by"}
    assert plan(act_by - 8 * DAY) == []
    assert {kind for kind, _address in plan(act_by - 7 * DAY)} == {"act_by"}


def test_an_agreement_sets_its_own_days_before_its_dates(agreement, staff):
    Agreement.objects.filter(pk=agreement.pk).update(expires_on=DUE, date_reminder_days="60")

    assert plan(DUE - 61 * DAY) == []
    assert {kind for kind, _address in plan(DUE - 60 * DAY)} == {"expiry"}
    assert plan(DUE - 7 * DAY) == []


def test_an_agreements_days_before_its_dates_are_checked_by_the_form(client, agreement, staff):
    editor_client = client
    editor_client.force_login(staff["editor"])
    edit = reverse("agreements:edit", args=[agreement.pk])
    data = page_data(editor_client.get(edit))
    data["date_reminder_days"] = "90, soon"

    response = editor_client.post(edit, data)

    assert response.status_code == 200
    assert response.context["form"].errors["date_reminder_days"] == [
        "Give whole numbers of days from 0 to 365, separated by commas, e.g. 14, 3, 0."
    ]


def test_an_unsigned_agreement_does_not_remind_about_its_dates(agreement, staff):
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.NEGOTIATION, expires_on=DUE)

    assert plan(DUE - 3 * DAY) == []


def test_each_event_subscribers_of_a_park_get_the_reminders_of_its_agreements(milestone, parks):
    partner = PersonFactory(email="partner@example.org")
    subscription = Subscription.objects.create(person=partner, delivery=Subscription.Delivery.EACH_EVENT)
    subscription.parks.add(parks[1])
    digest_only = Subscription.objects.create(person=PersonFactory(email="digest@example.org"))
    digest_only.agreements.add(milestone.agreement)

    assert ("reminder_due", "partner@example.org") in plan(DUE)
    email = OutgoingEmail.objects.get(recipient_address="partner@example.org")
    assert email.subscription == subscription
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not OutgoingEmail.objects.filter(recipient_address="digest@example.org").exists()


def test_an_unsubscribed_follower_gets_nothing(milestone):
    subscription = Subscription.objects.create(
        person=PersonFactory(email="gone@example.org"), delivery=Subscription.Delivery.EACH_EVENT, unsubscribed_at=NOW
    )
    subscription.agreements.add(milestone.agreement)

    assert "gone@example.org" not in {address for _kind, address in plan(DUE)}


def test_only_those_responsible_get_a_snooze_link(milestone, staff):
    follower = Subscription.objects.create(
        person=PersonFactory(email="follower@example.org"), delivery=Subscription.Delivery.EACH_EVENT
    )
    follower.agreements.add(milestone.agreement)

    plan(DUE + DAY)

    assert "/notifications/snooze/" in OutgoingEmail.objects.get(recipient_address=staff["editor"].email).text_body
    assert "/notifications/snooze/" not in OutgoingEmail.objects.get(recipient_address="follower@example.org").text_body


# --- Exactly once -----------------------------------------------------------------------------


def test_planning_the_same_day_twice_records_each_e_mail_once(milestone, staff):
    first = plan(DUE)
    second = plan(DUE)

    assert len(first) == 2 and second == []
    assert OutgoingEmail.objects.count() == 2
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"queued"}


def test_each_event_is_claimed_for_its_recipient(milestone, staff):
    plan(DUE)

    claims = set(EventClaim.objects.values_list("recipient_address", "event_key"))
    key = f"milestone:{milestone.pk}:due:{DUE.isoformat()}:0"
    assert claims == {(staff["editor"].email, key), (staff["manager"].email, key)}


def test_a_dry_run_writes_nothing(milestone, staff):
    planned = reminders_plan(today=DUE, now=NOW, dry_run=True)

    assert len(planned) == 2
    assert planned[0].rendered.subject == f"Due today: {milestone.title}"
    assert not OutgoingEmail.objects.exists()
    assert not EventClaim.objects.exists()


def _milestones(count: int, agreement, park) -> None:
    """`count` milestones, each with a reminder due on DUE, responsible people and park staff alike."""
    offsets = [0, 3, 14, -1, -15]  # due today, in 3 and 14 days, overdue, escalated
    for number in range(count):
        offset = offsets[number % len(offsets)]
        person = PersonFactory() if number % 2 else None
        MilestoneFactory(
            agreement=agreement, due_on=DUE + offset * DAY, responsible_technopolis=park, responsible_person=person
        )


def _count_queries(day: datetime.date) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        planned = reminders_plan(today=day, now=NOW)
    return len(queries), len(planned)


def test_planning_runs_the_same_number_of_queries_for_5_and_50_milestones(agreement, parks, staff):
    follower = Subscription.objects.create(person=PersonFactory(), delivery=Subscription.Delivery.EACH_EVENT)
    follower.parks.add(parks[1])
    _milestones(5, agreement, parks[0])
    few, few_emails = _count_queries(DUE)
    OutgoingEmail.objects.all().delete()
    EventClaim.objects.all().delete()
    _milestones(45, agreement, parks[0])

    many, many_emails = _count_queries(DUE)

    assert many_emails > few_emails >= 5
    # Milestones (with agreement, person, park and snooze), the parties' confirmations, agreements with
    # dates, party parks, park staff, each-event subscriptions, their parks, their agreements, the
    # agreements of their parks, existing dedup keys, savepoint, claims insert, claims read, outbox
    # insert, the rows it wrote, savepoint release.
    assert many == few == 16


def test_send_reminders_refuses_a_bad_date_naming_the_option():
    with pytest.raises(CommandError, match="--date must be a date as YYYY-MM-DD"):
        call_command("send_reminders", "--date", "2027-02-30", stdout=io.StringIO())


def test_send_reminders_dry_run_prints_who_would_get_what_and_writes_nothing(milestone, staff):
    out = io.StringIO()

    call_command("send_reminders", "--date", DUE.isoformat(), "--dry-run", stdout=out)

    assert f"reminder_due to editor <{staff['editor'].email}>: Due today: {milestone.title}" in out.getvalue()
    assert "2 e-mails would be planned" in out.getvalue()
    assert not OutgoingEmail.objects.exists()


# --- Runs at the same time --------------------------------------------------------------------


def test_a_run_that_planned_beside_another_reports_only_what_it_recorded(milestone, monkeypatch):
    day = DUE - 14 * DAY
    first = reminders_plan(today=day, now=NOW)
    # The second run read the outbox before the first one wrote: it plans the same e-mails again.
    monkeypatch.setattr("notifications.planning.without_planned", lambda candidates: candidates)

    second = reminders_plan(today=day, now=NOW + datetime.timedelta(seconds=1))

    assert len(first) == OutgoingEmail.objects.count() > 0
    assert second == []


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_together_report_exactly_the_e_mails_in_the_outbox(milestone):
    day = DUE - 14 * DAY
    reports: list[int] = []
    start = threading.Barrier(2)

    def sweep(offset: int) -> None:
        try:
            start.wait(timeout=10)
            reports.append(len(reminders_plan(today=day, now=NOW + datetime.timedelta(seconds=offset))))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep, args=(offset,)) for offset in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(reports) == 2
    assert sum(reports) == OutgoingEmail.objects.count() > 0
