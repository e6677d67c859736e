"""The profile page, the calendar link (create, regenerate, revoke) and the iCalendar feed behind it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pytest_django.asserts import assertContains

from agreements.models import Milestone
from parks.models import Membership
from portal.models import CalendarToken
from tests.factories import (
    CalendarTokenFactory,
    MilestoneFactory,
    SuperuserFactory,
    TechnopolisFactory,
    UserFactory,
    agreement_with_parties,
    member,
)

PROFILE = reverse("portal:profile")
TOKEN_ACTION = reverse("portal:calendar_token")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://portal.example"


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


def feed_url(token: str) -> str:
    return reverse("portal:calendar_feed", args=[token])


def events(response) -> dict[str, object]:
    """The feed's events by summary."""
    calendar = Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


# --- Profile ------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    assert client.get(PROFILE).status_code == 302
    assert client.post(TOKEN_ACTION, {"action": "create"}).status_code == 302
    assert CalendarToken.objects.count() == 0


def test_profile_shows_name_email_parks_and_roles(client, db):
    park_a, park_b = TechnopolisFactory(name="Khimgrad"), TechnopolisFactory(name="Idea")
    user = member(park_a, Membership.Role.EDITOR, first_name="Yana", last_name="Ivanova", email="yana@example.org")
    Membership.objects.create(user=user, technopolis=park_b, role=Membership.Role.MANAGER)
    client.force_login(user)

    response = client.get(PROFILE)

    assertContains(response, "Yana Ivanova")
    assertContains(response, "yana@example.org")
    assertContains(response, "Khimgrad")
    assertContains(response, "Editor")
    assertContains(response, "Manager")
    assertContains(response, "Create calendar link")


def test_creating_a_calendar_link_shows_its_absolute_url(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(TOKEN_ACTION, {"action": "create"}, follow=True)

    token = CalendarToken.objects.get(user=user).token
    assert len(token) >= 40
    assertContains(response, f">https://portal.example{feed_url(token)}</textarea>")
    assertContains(response, "Your calendar link is ready.")


def test_creating_twice_keeps_the_first_link(client, db):
    user = UserFactory()
    client.force_login(user)
    client.post(TOKEN_ACTION, {"action": "create"})
    first = CalendarToken.objects.get(user=user).token

    client.post(TOKEN_ACTION, {"action": "create"})

    assert CalendarToken.objects.get(user=user).token == first


def test_regenerating_makes_the_old_link_stop_working(client, db):
    token = CalendarTokenFactory()
    old = token.token
    client.force_login(token.user)

    client.post(TOKEN_ACTION, {"action": "regenerate"})

    new = CalendarToken.objects.get(user=token.user).token
    assert new != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_revoking_makes_the_link_stop_working(client, db):
    token = CalendarTokenFactory()
    client.force_login(token.user)

    response = client.post(TOKEN_ACTION, {"action": "revoke"}, follow=True)

    assert not CalendarToken.objects.exists()
    assert client.get(feed_url(token.token)).status_code == 404
    assertContains(response, "Create calendar link")


def test_unknown_action_changes_nothing(client, db):
    token = CalendarTokenFactory()
    client.force_login(token.user)

    client.post(TOKEN_ACTION, {"action": "steal"})

    assert CalendarToken.objects.get().token == token.token


def test_token_actions_need_a_post(client, db):
    client.force_login(UserFactory())

    assert client.get(TOKEN_ACTION, {"action": "create"}).status_code == 405
    assert not CalendarToken.objects.exists()


def test_nobody_can_act_on_someone_elses_link(client, db):
    """The action always applies to the signed-in person's own token."""
    theirs = CalendarTokenFactory()
    client.force_login(UserFactory())

    client.post(TOKEN_ACTION, {"action": "revoke"})

    assert CalendarToken.objects.get().token == theirs.token


# --- The feed -----------------------------------------------------------------------------------


@pytest.fixture
def world(db, today):
    park_a, park_b, park_c = TechnopolisFactory(), TechnopolisFactory(), TechnopolisFactory()
    ours = agreement_with_parties(park_a, park_b, reference="OURS-1")
    secret = agreement_with_parties(park_b, park_c, reference="SECRET-1")
    public = agreement_with_parties(park_b, park_c, reference="PUBLIC-1", is_public=True)
    soon = today + datetime.timedelta(days=10)
    return {
        "park_a": park_a,
        "ours": ours,
        "ours_open": MilestoneFactory(agreement=ours, title="Kick-off", due_on=soon),
        "secret_open": MilestoneFactory(agreement=secret, title="Hidden", due_on=soon),
        "public_open": MilestoneFactory(agreement=public, title="Announced", due_on=soon),
    }


def test_feed_needs_no_login_and_is_valid_icalendar(client, world):
    token = CalendarTokenFactory(user=member(world["park_a"]))

    response = client.get(feed_url(token.token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]


def test_feed_event_is_an_all_day_milestone_with_a_link_to_its_agreement(client, world):
    token = CalendarTokenFactory(user=member(world["park_a"]))
    milestone = world["ours_open"]

    event = events(client.get(feed_url(token.token)))["OURS-1: Kick-off"]

    assert event.decoded("DTSTART") == milestone.due_on
    assert event.decoded("DTEND") == milestone.due_on + datetime.timedelta(days=1)
    assert str(event["UID"]) == f"milestone-{milestone.pk}@portal.example"
    assert str(event["STATUS"]) == "CONFIRMED"
    link = f"https://portal.example{reverse('agreements:detail', args=[world['ours'].pk])}"
    assert link in str(event["DESCRIPTION"])
    assert "Status: planned" in str(event["DESCRIPTION"])


def test_feed_uid_stays_the_same_between_fetches(client, world):
    token = CalendarTokenFactory(user=member(world["park_a"]))

    first = events(client.get(feed_url(token.token)))["OURS-1: Kick-off"]
    second = events(client.get(feed_url(token.token)))["OURS-1: Kick-off"]

    assert str(first["UID"]) == str(second["UID"])


def test_feed_holds_only_the_milestones_its_owner_may_see(client, world):
    token = CalendarTokenFactory(user=member(world["park_a"]))

    response = client.get(feed_url(token.token))

    assert set(events(response)) == {"OURS-1: Kick-off", "PUBLIC-1: Announced"}
    assert b"SECRET-1" not in response.content


def test_admin_feed_holds_every_milestone(client, world):
    token = CalendarTokenFactory(user=SuperuserFactory())

    assert set(events(client.get(feed_url(token.token)))) == {
        "OURS-1: Kick-off",
        "SECRET-1: Hidden",
        "PUBLIC-1: Announced",
    }


def test_feed_keeps_recent_done_milestones_and_marks_cancelled_ones(client, world, today):
    ours = world["ours"]
    MilestoneFactory(
        agreement=ours, title="Done lately", status=Milestone.Status.DONE, due_on=today, completed_on=today
    )
    long_ago = today - datetime.timedelta(days=120)
    MilestoneFactory(
        agreement=ours, title="Done long ago", status=Milestone.Status.DONE, due_on=long_ago, completed_on=long_ago
    )
    MilestoneFactory(agreement=ours, title="Called off", status=Milestone.Status.CANCELLED, due_on=today)
    MilestoneFactory(agreement=ours, title="Late", due_on=long_ago)
    token = CalendarTokenFactory(user=member(world["park_a"]))

    feed = events(client.get(feed_url(token.token)))

    assert "OURS-1: Done lately" in feed
    assert "OURS-1: Done long ago" not in feed
    assert "OURS-1: Late" in feed
    assert str(feed["OURS-1: Called off"]["STATUS"]) == "CANCELLED"


def test_unknown_token_is_not_found(client, world):
    assert client.get(feed_url("not-a-token")).status_code == 404


def test_feed_of_a_deactivated_account_is_not_found(client, world):
    token = CalendarTokenFactory(user=member(world["park_a"], is_active=False))

    assert client.get(feed_url(token.token)).status_code == 404


def test_feed_follows_the_owners_current_roles(client, world):
    user = member(world["park_a"])
    token = CalendarTokenFactory(user=user)
    Membership.objects.filter(user=user).delete()

    assert set(events(client.get(feed_url(token.token)))) == {"PUBLIC-1: Announced"}


@pytest.mark.parametrize("rows", [5, 50])
def test_feed_queries_do_not_grow_with_the_rows(client, world, today, django_assert_num_queries, rows):
    for index in range(rows):
        MilestoneFactory(agreement=world["ours"], due_on=today + datetime.timedelta(days=index))
    token = CalendarTokenFactory(user=member(world["park_a"]))

    # the token with its user, the user's memberships, the milestones with their agreements.
    with django_assert_num_queries(3):
        response = client.get(feed_url(token.token))

    assert len(events(response)) == rows + 2


@pytest.mark.parametrize("rows", [5, 50])
def test_profile_queries_do_not_grow_with_the_rows(client, db, django_assert_num_queries, rows):
    user = UserFactory()
    for _ in range(rows):
        Membership.objects.create(user=user, technopolis=TechnopolisFactory())
    CalendarTokenFactory(user=user)
    client.force_login(user)

    # session, user, calendar token, memberships with their parks, the user's park roles (navigation).
    with django_assert_num_queries(4):
        client.get(PROFILE)


def test_feed_speaks_its_owners_language_whoever_fetches_it(client, world):
    from accounts.models import Profile

    owner = member(world["park_a"])
    Profile.objects.update_or_create(user=owner, defaults={"language": "ru"})
    world["ours_open"].title_ru = "Начало работ"
    world["ours_open"].save()
    token = CalendarTokenFactory(user=owner)

    response = client.get(feed_url(token.token), HTTP_ACCEPT_LANGUAGE="en")

    event = events(response)["OURS-1: Начало работ"]
    assert "Статус:" in str(event["DESCRIPTION"])
