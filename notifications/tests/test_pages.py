"""The notification pages of an agreement, the token links of the e-mails, and the delivery log in admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from agreements.models import Agreement
from notifications import links
from notifications.models import OutgoingEmail, ReminderSnooze, Subscription
from parks.models import Membership
from tests.factories import (
    MilestoneFactory,
    OutgoingEmailFactory,
    PersonFactory,
    SubscriptionFactory,
    SuperuserFactory,
    TechnopolisFactory,
    UserFactory,
    agreement_with_parties,
    member,
)
from tests.support.twofactor import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def park():
    return TechnopolisFactory()


@pytest.fixture
def agreement(park):
    """A confidential agreement of `park` and another park."""
    return agreement_with_parties(park, TechnopolisFactory(), status=Agreement.Status.ACTIVE, is_public=False)


@pytest.fixture
def partner():
    return PersonFactory(full_name="Partner contact", email="partner@example.org")


def page(agreement) -> str:
    return reverse("notifications:agreement", args=[agreement.pk])


def logged_in(client, user):
    client.force_login(user)
    return client


def overdue_milestone(agreement):
    return MilestoneFactory(agreement=agreement, due_on=timezone.localdate() - datetime.timedelta(days=3))


# --- The agreement's notifications page --------------------------------------------------------


def test_the_page_needs_a_login(client, agreement):
    response = client.get(page(agreement))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "own_park", "expected"),
    [
        (Membership.Role.VIEWER, True, 200),
        (Membership.Role.EDITOR, True, 200),
        (Membership.Role.EDITOR, False, 404),
    ],
)
def test_who_sees_the_page_of_a_confidential_agreement(client, agreement, park, role, own_park, expected):
    user = member(park if own_park else TechnopolisFactory(), role)

    assert logged_in(client, user).get(page(agreement)).status_code == expected


@pytest.mark.parametrize("reader", ["nobody's", "another park's"])
def test_contacts_and_delivery_log_of_a_public_agreement_are_only_for_its_parties(client, park, partner, reader):
    public = agreement_with_parties(park, TechnopolisFactory(), status=Agreement.Status.ACTIVE, is_public=True)
    subscription = SubscriptionFactory(person=partner, delivery=Subscription.Delivery.DIGEST)
    subscription.agreements.add(public)
    OutgoingEmailFactory(recipient_address="partner@example.org", agreement=public)
    logged_in(client, member(TechnopolisFactory()) if reader == "another park's" else UserFactory())

    agreement_page = client.get(reverse("agreements:detail", args=[public.pk]))
    notifications = client.get(page(public))
    preview = client.get(reverse("notifications:subscription_preview", args=[public.pk, subscription.pk]))

    assert agreement_page.status_code == 200
    assertNotContains(agreement_page, page(public))
    assert notifications.status_code == 403 and preview.status_code == 403
    assertNotContains(notifications, "partner@example.org", status_code=403)


def test_the_parties_staff_read_the_contacts_of_their_public_agreement(client, park, partner):
    public = agreement_with_parties(park, TechnopolisFactory(), status=Agreement.Status.ACTIVE, is_public=True)
    subscription = SubscriptionFactory(person=partner, delivery=Subscription.Delivery.DIGEST)
    subscription.agreements.add(public)
    logged_in(client, member(park, Membership.Role.VIEWER))

    assertContains(client.get(reverse("agreements:detail", args=[public.pk])), page(public))
    assertContains(client.get(page(public)), "partner@example.org")


def test_the_page_shows_the_delivery_log_with_failures_standing_out(client, agreement, park):
    OutgoingEmailFactory(agreement=agreement, recipient_address="ok@example.org", status="sent", sent_at=timezone.now())
    OutgoingEmailFactory(
        agreement=agreement, recipient_address="gone@example.org", status="bounced", last_error="550 No such user"
    )
    digest = OutgoingEmailFactory(kind="digest", recipient_address="digest@example.org")
    digest.covered_agreements.add(agreement)
    OutgoingEmailFactory(recipient_address="elsewhere@example.org")

    response = logged_in(client, member(park)).get(page(agreement))

    assertContains(response, "ok@example.org")
    assertContains(response, "digest@example.org")
    assertContains(response, '<tr class="table-danger">')
    assertContains(response, "550 No such user")
    assertNotContains(response, "elsewhere@example.org")


def test_a_viewer_sees_the_subscriptions_and_preview_links_but_cannot_change_them(client, agreement, park, partner):
    subscription = SubscriptionFactory(person=partner)
    subscription.agreements.add(agreement)

    response = logged_in(client, member(park)).get(page(agreement))

    assertContains(response, "partner@example.org")
    assertContains(response, reverse("notifications:subscription_preview", args=[agreement.pk, subscription.pk]))
    assertNotContains(response, f'action="{reverse("notifications:subscription_add", args=[agreement.pk])}"')
    assertNotContains(response, "Remove")


def test_subscriptions_through_a_party_park_are_listed(client, agreement, park, partner):
    SubscriptionFactory(person=partner).parks.add(park)

    response = logged_in(client, member(park)).get(page(agreement))

    assertContains(response, f"agreements of {park}")


def test_the_page_runs_the_same_number_of_queries_for_5_and_50_rows(client, agreement, park):
    client = logged_in(client, member(park, Membership.Role.EDITOR))

    def rows(count):
        for _number in range(count):
            OutgoingEmailFactory(agreement=agreement, milestone=MilestoneFactory(agreement=agreement))
            SubscriptionFactory().agreements.add(agreement)

    rows(5)
    with CaptureQueriesContext(connection) as few:
        client.get(page(agreement))
    rows(45)
    with CaptureQueriesContext(connection) as many:
        response = client.get(page(agreement))

    assert len(response.context["emails"]) == 50
    # Session, user, memberships, the agreement, may edit, delivery log, subscriptions, their parks,
    # their agreements, overdue milestones, partner contacts for the form.
    assert len(many) == len(few) == 10


# --- Adding and removing subscribers -----------------------------------------------------------


def test_an_editor_subscribes_a_partner_contact_to_the_agreement(client, agreement, park, partner):
    data = {"person": partner.pk, "delivery": "digest", "frequency": "daily", "language": "ru"}

    response = logged_in(client, member(park, Membership.Role.EDITOR)).post(
        reverse("notifications:subscription_add", args=[agreement.pk]), data
    )

    assert response.status_code == 302 and response.url == page(agreement)
    subscription = Subscription.objects.get()
    assert (subscription.person, subscription.frequency, subscription.language) == (partner, "daily", "ru")
    assert list(subscription.agreements.all()) == [agreement]


@pytest.mark.parametrize("through", ["the agreement", "a party park"])
def test_a_contact_already_following_the_agreement_is_not_subscribed_twice(client, agreement, park, partner, through):
    existing = SubscriptionFactory(person=partner, delivery=Subscription.Delivery.EACH_EVENT)
    if through == "the agreement":
        existing.agreements.add(agreement)
    else:
        existing.parks.add(park)
    data = {"person": partner.pk, "delivery": "digest", "frequency": "daily", "language": "ru"}

    response = logged_in(client, member(park, Membership.Role.EDITOR)).post(
        reverse("notifications:subscription_add", args=[agreement.pk]), data
    )

    assert response.status_code == 400
    assertContains(
        response,
        "Partner contact already follows this agreement (one e-mail per event): change or remove that subscription "
        "instead of adding a second one.",
        status_code=400,
    )
    assert Subscription.objects.count() == 1


def test_an_ended_subscription_does_not_stand_in_the_way(client, agreement, park, partner):
    ended = SubscriptionFactory(person=partner, unsubscribed_at=timezone.now())
    ended.agreements.add(agreement)
    data = {"person": partner.pk, "delivery": "digest", "frequency": "daily", "language": "ru"}

    response = logged_in(client, member(park, Membership.Role.EDITOR)).post(
        reverse("notifications:subscription_add", args=[agreement.pk]), data
    )

    assert response.status_code == 302
    assert Subscription.objects.filter(unsubscribed_at__isnull=True).count() == 1


def test_admin_refuses_a_second_subscription_over_the_same_park(admin_client, park, partner):
    SubscriptionFactory(person=partner).parks.add(park)

    response = admin_client.post(
        reverse("admin:notifications_subscription_add"),
        {"person": partner.pk, "language": "en", "parks": [park.pk], "delivery": "digest", "frequency": "weekly"},
    )

    assert response.status_code == 200
    assertContains(response, "already follows some of these agreements or parks")
    assert Subscription.objects.count() == 1


def test_an_editor_subscribes_themselves(client, agreement, park):
    editor = member(park, Membership.Role.EDITOR)
    data = {"myself": "on", "delivery": "each_event", "frequency": "weekly", "language": "en"}

    logged_in(client, editor).post(reverse("notifications:subscription_add", args=[agreement.pk]), data)

    assert Subscription.objects.get().user == editor


def test_a_subscription_needs_exactly_one_contact_and_keeps_what_was_typed(client, agreement, park):
    data = {"delivery": "digest", "frequency": "daily", "language": "ru"}

    response = logged_in(client, member(park, Membership.Role.EDITOR)).post(
        reverse("notifications:subscription_add", args=[agreement.pk]), data
    )

    assert response.status_code == 200
    assertContains(response, "Choose a partner contact")
    assertContains(response, '<option value="daily" selected>')
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(("role", "own_park", "expected"), [("viewer", True, 403), ("editor", False, 404)])
def test_others_cannot_add_subscribers(client, agreement, park, partner, role, own_park, expected):
    user = member(park if own_park else TechnopolisFactory(), role)
    data = {"person": partner.pk, "delivery": "digest", "frequency": "weekly", "language": "en"}

    response = logged_in(client, user).post(reverse("notifications:subscription_add", args=[agreement.pk]), data)

    assert response.status_code == expected
    assert not Subscription.objects.exists()


def test_an_editor_removes_a_subscriber_whose_subscription_then_ends(client, agreement, park, partner):
    subscription = SubscriptionFactory(person=partner)
    subscription.agreements.add(agreement)
    url = reverse("notifications:subscription_remove", args=[agreement.pk, subscription.pk])

    assert logged_in(client, member(park, Membership.Role.EDITOR)).post(url).status_code == 302

    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert not subscription.agreements.exists()


def test_a_viewer_cannot_remove_a_subscriber(client, agreement, park, partner):
    subscription = SubscriptionFactory(person=partner)
    subscription.agreements.add(agreement)
    url = reverse("notifications:subscription_remove", args=[agreement.pk, subscription.pk])

    assert logged_in(client, member(park)).post(url).status_code == 403

    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None


# --- Digest preview ----------------------------------------------------------------------------


def test_a_viewer_previews_the_digest_a_subscriber_would_get_today(client, agreement, park, partner):
    subscription = SubscriptionFactory(person=partner)
    subscription.agreements.add(agreement)
    MilestoneFactory(agreement=agreement, title="Proposal", due_on=timezone.localdate() + datetime.timedelta(days=4))
    url = reverse("notifications:subscription_preview", args=[agreement.pk, subscription.pk])

    response = logged_in(client, member(park)).get(url)

    assertContains(response, "Your weekly agreements digest")
    # The e-mail's HTML is shown in a sandboxed frame, escaped into its srcdoc attribute.
    assertContains(response, 'sandbox srcdoc="&lt;!doctype html&gt;')
    assertContains(response, "Proposal")
    assert not OutgoingEmail.objects.exists()


def test_a_preview_of_nothing_to_report_says_so(client, agreement, park, partner):
    subscription = SubscriptionFactory(person=partner)
    subscription.agreements.add(agreement)
    url = reverse("notifications:subscription_preview", args=[agreement.pk, subscription.pk])

    assertContains(logged_in(client, member(park)).get(url), "no digest would be sent")


def test_the_preview_leaves_out_and_counts_the_followed_agreements_the_viewer_may_not_see(
    client, agreement, park, partner
):
    elsewhere = agreement_with_parties(status=Agreement.Status.ACTIVE, is_public=False)
    subscription = SubscriptionFactory(person=partner)
    subscription.agreements.add(agreement, elsewhere)
    soon = timezone.localdate() + datetime.timedelta(days=4)
    MilestoneFactory(agreement=agreement, title="Proposal", due_on=soon)
    MilestoneFactory(agreement=elsewhere, title="Confidential step", due_on=soon)
    url = reverse("notifications:subscription_preview", args=[agreement.pk, subscription.pk])

    response = logged_in(client, member(park)).get(url)

    assertContains(response, "This subscription also follows 1 agreement you may not see")
    assertContains(response, "Proposal")
    assertNotContains(response, "Confidential step")

    response = logged_in(client, SuperuserFactory()).get(url)

    assertNotContains(response, "you may not see")
    assertContains(response, "Confidential step")


def test_only_digest_subscriptions_following_the_agreement_can_be_previewed(client, agreement, park, partner):
    each_event = SubscriptionFactory(person=partner, delivery=Subscription.Delivery.EACH_EVENT)
    each_event.agreements.add(agreement)
    elsewhere = SubscriptionFactory(person=partner)
    client = logged_in(client, member(park))

    for subscription in [each_event, elsewhere]:
        url = reverse("notifications:subscription_preview", args=[agreement.pk, subscription.pk])
        assert client.get(url).status_code == 404


# --- Snoozing ----------------------------------------------------------------------------------


def test_an_editor_pauses_the_reminders_of_an_overdue_milestone_for_a_week(client, agreement, park):
    milestone = overdue_milestone(agreement)
    url = reverse("notifications:milestone_snooze", args=[agreement.pk, milestone.pk])

    response = logged_in(client, member(park, Membership.Role.EDITOR)).post(url)

    assert response.status_code == 302
    assert ReminderSnooze.objects.get(milestone=milestone).until == timezone.localdate() + datetime.timedelta(days=7)


def test_a_viewer_cannot_pause_reminders(client, agreement, park):
    milestone = overdue_milestone(agreement)
    url = reverse("notifications:milestone_snooze", args=[agreement.pk, milestone.pk])

    assert logged_in(client, member(park)).post(url).status_code == 403
    assert not ReminderSnooze.objects.exists()


def test_the_snooze_link_of_an_overdue_e_mail_asks_first_then_pauses_without_a_login(client, agreement):
    milestone = overdue_milestone(agreement)
    path = links.snooze_url(milestone.pk, "yana@example.org").removeprefix(links.absolute(""))

    confirm = client.get(path)
    assertContains(confirm, "Pause for a week")
    assert not ReminderSnooze.objects.exists()

    assertContains(client.post(path), "Overdue reminders are paused until")
    snooze = ReminderSnooze.objects.get()
    assert (snooze.milestone, snooze.snoozed_by) == (milestone, "yana@example.org")


def test_a_tampered_snooze_link_is_not_found(client, agreement):
    milestone = overdue_milestone(agreement)
    token = links.snooze_token(milestone.pk, "yana@example.org")

    assert client.post(f"/notifications/snooze/{token}x/").status_code == 404
    assert not ReminderSnooze.objects.exists()


# --- Admin: the delivery log -------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    verified_login(client, SuperuserFactory())
    return client


def test_the_admin_delivery_log_filters_by_status_and_kind_and_shows_the_error(admin_client):
    OutgoingEmailFactory(recipient_address="bounced@example.org", status="bounced", last_error="550 No such user")
    OutgoingEmailFactory(recipient_address="sent@example.org", status="sent", kind="digest")
    url = reverse("admin:notifications_outgoingemail_changelist")

    bounced = admin_client.get(url, {"status__exact": "bounced"})
    assertContains(bounced, "bounced@example.org")
    assertContains(bounced, "550 No such user")
    assertNotContains(bounced, "sent@example.org")
    assertContains(admin_client.get(url, {"kind__exact": "digest"}), "sent@example.org")
    assertContains(admin_client.get(url, {"q": "bounced@"}), "bounced@example.org")


def test_the_admin_re_sends_failed_and_bounced_e_mails_only(admin_client):
    failed = OutgoingEmailFactory(status="failed", attempts=6, last_error="ConnectionRefusedError")
    bounced = OutgoingEmailFactory(status="bounced", attempts=1)
    sent = OutgoingEmailFactory(status="sent", attempts=1)
    url = reverse("admin:notifications_outgoingemail_changelist")

    response = admin_client.post(
        url, {"action": "resend", "_selected_action": [failed.pk, bounced.pk, sent.pk]}, follow=True
    )

    assertContains(response, "2 e-mails are queued again")
    for email, expected in [(failed, ("queued", 0)), (bounced, ("queued", 0)), (sent, ("sent", 1))]:
        email.refresh_from_db()
        assert (email.status, email.attempts) == expected
