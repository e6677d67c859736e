"""Partner digests: what they list, when they go, and that no event reaches a person twice."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement, Milestone
from notifications.digests import digest_preview, digests_plan
from notifications.models import OutgoingEmail, Subscription
from notifications.planning import reminders_plan
from tests.factories import MilestoneFactory, PersonFactory, TechnopolisFactory, agreement_with_parties

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2027, 3, 15)
NOW = timezone.make_aware(datetime.datetime(2027, 3, 15, 7, 0))
DAY = datetime.timedelta(days=1)


@pytest.fixture
def parks():
    return TechnopolisFactory(short_name="Himgrad"), TechnopolisFactory(short_name="Gousev")


@pytest.fixture
def agreement(parks):
    return agreement_with_parties(*parks, reference="HIM-GOU-001", status=Agreement.Status.ACTIVE)


@pytest.fixture
def partner():
    return PersonFactory(full_name="Partner contact", email="partner@example.org")


def subscribe(contact, *, agreements=(), parks=(), **fields) -> Subscription:
    subscription = Subscription.objects.create(person=contact, **fields)
    subscription.agreements.add(*agreements)
    subscription.parks.add(*parks)
    return subscription


def milestone(agreement, title, due_on, **fields) -> Milestone:
    return MilestoneFactory(agreement=agreement, title=title, due_on=due_on, **fields)


def digests(day: datetime.date) -> list[OutgoingEmail]:
    """The digests newly planned for `day`."""
    planned = digests_plan(today=day, now=NOW)
    return list(OutgoingEmail.objects.filter(dedup_key__in=[email.dedup_key for email in planned]).order_by("pk"))


def test_a_weekly_digest_lists_agreement_by_agreement_overdue_due_soon_and_completed(agreement, parks, partner):
    other = agreement_with_parties(parks[1], TechnopolisFactory(), reference="KAZ-GOU-002", status="active")
    subscribe(partner, parks=[parks[1]])
    milestone(agreement, "Late list of projects", MONDAY - 3 * DAY, status=Milestone.Status.IN_PROGRESS)
    milestone(agreement, "Proposal in 12 days", MONDAY + 12 * DAY)
    milestone(agreement, "Promotion in 75 days", MONDAY + 75 * DAY)
    milestone(agreement, "Coordinators appointed", MONDAY - 10 * DAY, status="done", completed_on=MONDAY - 2 * DAY)
    milestone(agreement, "Done long ago", MONDAY - 40 * DAY, status="done", completed_on=MONDAY - 30 * DAY)
    milestone(other, "Joint lab opening", MONDAY + DAY)

    [digest] = digests(MONDAY)

    text = digest.text_body
    assert text.index("HIM-GOU-001") < text.index("Late list of projects") < text.index("Proposal in 12 days")
    assert text.index("Proposal in 12 days") < text.index("Coordinators appointed") < text.index("KAZ-GOU-002")
    assert text.index("KAZ-GOU-002") < text.index("Joint lab opening")
    assert "Promotion in 75 days" not in text and "Done long ago" not in text
    assert "Overdue:" in text and "Due soon:" in text and "Completed:" in text
    assert digest.subscription.person == partner
    assert set(digest.covered_agreements.all()) == {agreement, other}
    assert digest.subject == "Your weekly agreements digest, 15 March 2027"


def test_nothing_to_report_sends_no_digest(agreement, partner):
    subscribe(partner, agreements=[agreement])
    milestone(agreement, "Far away", MONDAY + 60 * DAY)

    assert digests(MONDAY) == []
    assert not OutgoingEmail.objects.exists()


def test_a_weekly_digest_goes_at_most_once_a_week_however_often_the_sweep_runs(agreement, partner):
    subscribe(partner, agreements=[agreement])
    milestone(agreement, "Proposal", MONDAY + 5 * DAY)

    assert len(digests(MONDAY)) == 1
    for offset in range(7):
        assert digests(MONDAY + offset * DAY) == []

    assert len(digests(MONDAY + 7 * DAY)) == 1


def test_a_daily_digest_looks_two_days_ahead(agreement, partner):
    subscribe(partner, agreements=[agreement], frequency=Subscription.Frequency.DAILY)
    milestone(agreement, "In two days", MONDAY + 2 * DAY)
    milestone(agreement, "In three days", MONDAY + 3 * DAY)

    [digest] = digests(MONDAY)

    assert "In two days" in digest.text_body and "In three days" not in digest.text_body
    assert digest.subject == "Your daily agreements digest, 15 March 2027"


def test_completed_since_the_last_digest_is_listed_in_the_next_digest_only(agreement, partner):
    subscribe(partner, agreements=[agreement])
    step = milestone(agreement, "Step", MONDAY + 20 * DAY)
    milestone(agreement, "Keeps the digests coming", MONDAY + 3 * DAY, status=Milestone.Status.IN_PROGRESS)
    digests(MONDAY)
    step.status, step.completed_on = Milestone.Status.DONE, MONDAY + 2 * DAY
    step.save()

    [second] = digests(MONDAY + 7 * DAY)
    [third] = digests(MONDAY + 14 * DAY)

    assert "Step" in second.text_body
    assert "Step" not in third.text_body


def test_unsubscribed_subscribers_and_finished_agreements_get_no_digest(agreement, partner, parks):
    subscribe(partner, agreements=[agreement], unsubscribed_at=NOW)
    finished = agreement_with_parties(parks[0], parks[1], status=Agreement.Status.TERMINATED)
    subscribe(PersonFactory(email="other@example.org"), agreements=[finished])
    milestone(agreement, "Proposal", MONDAY + 5 * DAY)
    milestone(finished, "Left open", MONDAY - 5 * DAY)

    assert digests(MONDAY) == []


def test_an_event_already_e_mailed_to_a_person_is_left_out_of_their_digest(agreement, partner):
    milestone(agreement, "Mine, due in 3 days", MONDAY + 3 * DAY, responsible_person=partner)
    milestone(agreement, "Someone else's", MONDAY + 5 * DAY)
    subscribe(partner, agreements=[agreement])

    reminders_plan(today=MONDAY, now=NOW)
    [digest] = digests(MONDAY)

    assert OutgoingEmail.objects.filter(kind="reminder_due", recipient_address=partner.email).count() == 1
    assert "Mine, due in 3 days" not in digest.text_body
    assert "Someone else's" in digest.text_body


def test_an_event_left_out_of_one_digest_still_reaches_the_other_followers_of_the_agreement(agreement, partner):
    # Followers of one agreement share its section (worked out and rendered once): leaving an event
    # out of one digest must not take it out of the others.
    milestone(agreement, "Mine, due in 3 days", MONDAY + 3 * DAY, responsible_person=partner)
    milestone(agreement, "Someone else's", MONDAY + 5 * DAY)
    colleague = PersonFactory(full_name="Colleague", email="colleague@example.org")
    subscribe(partner, agreements=[agreement])
    subscribe(colleague, agreements=[agreement])

    reminders_plan(today=MONDAY, now=NOW)
    by_address = {digest.recipient_address: digest for digest in digests(MONDAY)}

    assert "Mine, due in 3 days" not in by_address["partner@example.org"].text_body
    assert "Mine, due in 3 days" in by_address["colleague@example.org"].text_body
    assert "Mine, due in 3 days" in by_address["colleague@example.org"].html_body
    assert all("Someone else's" in digest.text_body for digest in by_address.values())


def test_an_event_delivered_in_a_digest_is_not_e_mailed_again_through_an_each_event_subscription(agreement, partner):
    milestone(agreement, "Due in 3 days", MONDAY + 3 * DAY)
    subscribe(partner, agreements=[agreement])
    subscribe(partner, agreements=[agreement], delivery=Subscription.Delivery.EACH_EVENT)

    [digest] = digests(MONDAY)
    reminders_plan(today=MONDAY, now=NOW)

    assert "Due in 3 days" in digest.text_body
    assert not OutgoingEmail.objects.filter(recipient_address=partner.email).exclude(kind="digest").exists()
    # The next event about the milestone (due today) has not been delivered yet: it goes on its own.
    reminders_plan(today=MONDAY + 3 * DAY, now=NOW)
    assert OutgoingEmail.objects.filter(recipient_address=partner.email, kind="reminder_due").count() == 1


def test_a_digest_left_with_nothing_after_e_mailed_events_is_not_sent(agreement, partner):
    milestone(agreement, "Mine", MONDAY + 3 * DAY, responsible_person=partner)
    subscribe(partner, agreements=[agreement])

    reminders_plan(today=MONDAY, now=NOW)

    assert digests(MONDAY) == []


def test_a_russian_subscriber_gets_the_digest_rendered_in_russian(agreement, partner):
    subscribe(partner, agreements=[agreement], language="ru")
    milestone(agreement, "Proposal", datetime.date(2027, 11, 25) - 3 * DAY)

    [digest] = digests(datetime.date(2027, 11, 15))

    assert digest.language == "ru"
    assert '<html lang="ru">' in digest.html_body
    # Django's own Russian catalogue formats the date; the portal's is still to be written.
    assert "22 ноября 2027" in digest.html_body


def _subscribers(count: int, agreement) -> None:
    for _number in range(count):
        subscribe(PersonFactory(), agreements=[agreement])


def _digest_queries(day: datetime.date) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        planned = digests_plan(today=day, now=NOW)
    return len(queries), len(planned)


def test_digests_for_many_subscribers_run_a_fixed_number_of_queries(agreement, parks):
    for offset in [-3, 2, 9]:
        milestone(agreement, f"Milestone {offset}", MONDAY + offset * DAY)
    _subscribers(5, agreement)
    few, few_digests = _digest_queries(MONDAY)
    _subscribers(45, agreement)

    many, many_digests = _digest_queries(MONDAY)

    assert (few_digests, many_digests) == (5, 45)
    # Subscriptions, their parks, their agreements, existing digests, previous digests, agreements,
    # their milestones, savepoint, claims insert, claims read, outbox insert, outbox ids, covered
    # agreements insert, savepoint release. (Following a park adds one: the agreements of the parks.)
    assert many == few == 14


def test_the_preview_shows_today_s_digest_and_records_nothing(agreement, partner):
    subscription = subscribe(partner, agreements=[agreement])
    milestone(agreement, "Proposal", MONDAY + 5 * DAY)

    preview = digest_preview(subscription, today=MONDAY)

    assert "Proposal" in preview.html and "Proposal" in preview.text
    assert not OutgoingEmail.objects.exists()


def test_the_preview_leaves_out_agreements_the_viewer_may_not_see(agreement, partner, parks):
    hidden = agreement_with_parties(parks[0], TechnopolisFactory(), reference="SECRET-1", status="active")
    subscription = subscribe(partner, parks=[parks[0]])
    milestone(agreement, "Visible", MONDAY + 5 * DAY)
    milestone(hidden, "Confidential", MONDAY + 5 * DAY)

    preview = digest_preview(subscription, today=MONDAY, visible_agreement_ids={agreement.pk})

    assert "Visible" in preview.text and "Confidential" not in preview.text and "SECRET-1" not in preview.text


def test_send_digests_dry_run_prints_the_digest_and_writes_nothing(agreement, partner):
    subscribe(partner, agreements=[agreement])
    milestone(agreement, "Proposal", MONDAY + 5 * DAY)
    out = io.StringIO()

    call_command("send_digests", "--date", MONDAY.isoformat(), "--dry-run", stdout=out)

    assert "digest to Partner contact <partner@example.org>: Your weekly agreements digest" in out.getvalue()
    assert not OutgoingEmail.objects.exists()
