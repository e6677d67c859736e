"""The dashboard: overdue and upcoming milestones, expiring agreements, counts and the month chart."""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from agreements.models import Agreement, Milestone
from parks.models import Membership
from tests.factories import (
    MilestoneFactory,
    SuperuserFactory,
    TechnopolisFactory,
    UserFactory,
    agreement_with_parties,
    member,
)

URL = reverse("portal:dashboard")


@pytest.fixture
def today() -> datetime.date:
    # The view asks timezone.localdate(); data are made relative to it, so no clock is frozen.
    return timezone.localdate()


def milestone(agreement: Agreement, due_on: datetime.date, status: str = Milestone.Status.PLANNED, **fields):
    if status == Milestone.Status.DONE:
        fields.setdefault("completed_on", due_on)
    return MilestoneFactory(agreement=agreement, due_on=due_on, status=status, **fields)


@pytest.fixture
def world(db, today):
    """Park A with B (confidential), B with C (confidential), B with C (public)."""
    park_a, park_b, park_c = TechnopolisFactory(), TechnopolisFactory(), TechnopolisFactory()
    ours = agreement_with_parties(park_a, park_b, reference="OURS-1", status=Agreement.Status.ACTIVE)
    secret = agreement_with_parties(park_b, park_c, reference="SECRET-1", status=Agreement.Status.ACTIVE)
    public = agreement_with_parties(
        park_b, park_c, reference="PUBLIC-1", status=Agreement.Status.SIGNED, is_public=True
    )
    return {
        "park_a": park_a,
        "ours": ours,
        "secret": secret,
        "public": public,
        "ours_late": milestone(ours, today - datetime.timedelta(days=3), title="Ours late"),
        "secret_late": milestone(secret, today - datetime.timedelta(days=3), title="Secret late"),
        "public_late": milestone(public, today - datetime.timedelta(days=3), title="Public late"),
    }


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_member_sees_the_overdue_milestones_of_their_parks_only(client, world):
    client.force_login(member(world["park_a"]))

    response = client.get(URL)

    assert [m.title for m in response.context["overdue"].rows] == ["Ours late"]
    assertContains(response, "Ours late")
    assertNotContains(response, "Secret late")
    assertNotContains(response, "SECRET-1")
    # Public agreements of other parks are visible, but not "mine".
    assertNotContains(response, "Public late")


def test_admin_sees_every_overdue_milestone(client, world):
    client.force_login(SuperuserFactory())

    response = client.get(URL)

    assert {m.title for m in response.context["overdue"].rows} == {"Ours late", "Secret late", "Public late"}


def test_person_without_parks_sees_the_overdue_milestones_of_public_agreements(client, world):
    client.force_login(UserFactory())

    response = client.get(URL)

    assert [m.title for m in response.context["overdue"].rows] == ["Public late"]
    assertNotContains(response, "Secret late")


def test_done_and_cancelled_milestones_are_never_overdue(client, world, today):
    milestone(world["ours"], today - datetime.timedelta(days=5), Milestone.Status.DONE, title="Done early")
    milestone(world["ours"], today - datetime.timedelta(days=5), Milestone.Status.CANCELLED, title="Called off")
    client.force_login(member(world["park_a"]))

    response = client.get(URL)

    assert [m.title for m in response.context["overdue"].rows] == ["Ours late"]


@pytest.mark.parametrize("status", [Agreement.Status.COMPLETED, Agreement.Status.EXPIRED, Agreement.Status.TERMINATED])
def test_open_milestones_of_a_closed_agreement_are_not_overdue(client, world, today, status):
    Agreement.objects.filter(pk=world["ours"].pk).update(status=status)
    client.force_login(member(world["park_a"]))

    response = client.get(URL)

    assert response.context["overdue"].total == 0
    assertNotContains(response, "Ours late")
    detail = client.get(reverse("agreements:detail", args=[world["ours"].pk]))
    assertNotContains(detail, "list-group-item-danger")
    milestones = client.get(reverse("agreements:milestones"), {"overdue": "yes"})
    assertNotContains(milestones, "Ours late")


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("admin", "Overdue milestones of all parks"),
        ("member", "Overdue milestones of your parks"),
        ("outsider", "Overdue milestones you can see"),
    ],
)
def test_overdue_heading_says_whose_milestones_it_lists(client, world, who, heading):
    users = {"admin": SuperuserFactory, "member": lambda: member(world["park_a"]), "outsider": UserFactory}
    client.force_login(users[who]())

    response = client.get(URL)

    assertContains(response, f'<h2 class="h5" id="overdue">{heading} <span')
    assertNotContains(response, "My overdue milestones")


def test_due_soon_lists_open_milestones_of_the_next_30_days(client, world, today):
    milestone(world["ours"], today, title="Due today")
    milestone(world["ours"], today + datetime.timedelta(days=30), title="Due in 30 days")
    milestone(world["ours"], today + datetime.timedelta(days=31), title="Due in 31 days")
    milestone(world["ours"], today + datetime.timedelta(days=5), Milestone.Status.DONE, title="Done ahead")
    milestone(world["secret"], today + datetime.timedelta(days=5), title="Secret soon")
    client.force_login(member(world["park_a"]))

    response = client.get(URL)

    assert [m.title for m in response.context["due_soon"].rows] == ["Due today", "Due in 30 days"]
    assertNotContains(response, "Secret soon")


def test_lists_stop_at_ten_rows_and_link_to_the_full_list(client, world, today):
    for days in range(1, 13):
        milestone(world["ours"], today - datetime.timedelta(days=days + 3))
    client.force_login(member(world["park_a"]))

    response = client.get(URL)

    overdue = response.context["overdue"]
    assert (len(overdue.rows), overdue.total) == (10, 13)
    assertContains(response, f'href="{reverse("agreements:milestones")}?overdue=yes&amp;sort=due_on"')


def test_agreements_expiring_in_the_next_90_days(client, db, today):
    park_a, park_b = TechnopolisFactory(), TechnopolisFactory()
    in_effect = {"effective_from": today - datetime.timedelta(days=400), "status": Agreement.Status.ACTIVE}
    agreement_with_parties(
        park_a, park_b, reference="SOON-1", expires_on=today + datetime.timedelta(days=30), **in_effect
    )
    agreement_with_parties(
        park_a, park_b, reference="LATER-1", expires_on=today + datetime.timedelta(days=91), **in_effect
    )
    agreement_with_parties(
        park_a,
        park_b,
        reference="ENDED-1",
        expires_on=today + datetime.timedelta(days=10),
        effective_from=today - datetime.timedelta(days=400),
        status=Agreement.Status.TERMINATED,
    )
    agreement_with_parties(
        park_b, TechnopolisFactory(), reference="OTHERS-1", expires_on=today + datetime.timedelta(days=10), **in_effect
    )
    client.force_login(member(park_a))

    response = client.get(URL)

    assert [a.reference for a in response.context["expiring"].rows] == ["SOON-1"]


def test_counts_by_status_are_those_of_the_visible_agreements_and_link_to_the_list(client, world):
    client.force_login(member(world["park_a"]))

    response = client.get(URL)

    counts = {item.status: item.count for item in response.context["status_counts"]}
    # OURS-1 (active, a party) and PUBLIC-1 (signed, public); never SECRET-1.
    assert counts == {
        "draft": 0,
        "negotiation": 0,
        "signed": 1,
        "active": 1,
        "completed": 0,
        "expired": 0,
        "terminated": 0,
    }
    assertContains(response, f'href="{reverse("agreements:list")}?status=active"')


def test_month_chart_counts_done_open_and_overdue_milestones(client, db, today):
    park_a = TechnopolisFactory()
    agreement = agreement_with_parties(park_a, TechnopolisFactory())
    last_month = today.replace(day=1) - relativedelta(months=1)
    next_month = today.replace(day=1) + relativedelta(months=1)
    milestone(agreement, last_month, Milestone.Status.DONE)
    milestone(agreement, last_month + datetime.timedelta(days=1), Milestone.Status.DONE)
    milestone(agreement, last_month + datetime.timedelta(days=2), Milestone.Status.IN_PROGRESS)
    milestone(agreement, last_month, Milestone.Status.CANCELLED)
    for day in range(3):
        milestone(agreement, next_month + datetime.timedelta(days=day))
    # Outside the window of six months either side: not drawn.
    milestone(agreement, today.replace(day=1) + relativedelta(months=7))
    client.force_login(member(park_a))

    response = client.get(URL)

    bars = {bar.month: bar.counts for bar in response.context["chart"].bars}
    assert len(bars) == 13
    assert (bars[last_month].done, bars[last_month].open, bars[last_month].overdue) == (2, 0, 1)
    assert (bars[next_month].done, bars[next_month].open, bars[next_month].overdue) == (0, 3, 0)
    assert sum(counts.total for counts in bars.values()) == 6
    html = response.content.decode()
    assert re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="milestone-chart-title', html)
    assert '<title id="milestone-chart-title">' in html
    row = re.search(rf'<tr data-month="{last_month:%Y-%m}">.*?</tr>', html, re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["2", "0", "1"]
    # Three segments in all for two months: done and overdue last month, open next month.
    assert html.count('<rect x="') == 3


def test_chart_coordinates_are_plain_numbers_in_every_language(client, db, today):
    park_a = TechnopolisFactory()
    agreement = agreement_with_parties(park_a, TechnopolisFactory())
    for _ in range(3):
        milestone(agreement, today + datetime.timedelta(days=1))
    client.force_login(member(park_a))

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="ru")

    assert not re.search(r'(?:x|y|width|height)="\d+,\d', response.content.decode())


def test_empty_dashboard_says_so(client, db):
    client.force_login(member(TechnopolisFactory(), Membership.Role.EDITOR))

    response = client.get(URL)

    assert response.status_code == 200
    assertContains(response, "Nothing is overdue.")
    assertContains(response, "No milestones are due in the coming days.")
    assertContains(response, "No agreement expires in the coming months.")
    assertContains(response, "No milestones are due in these months.")


def _many(park, count: int, today: datetime.date) -> None:
    for index in range(count):
        agreement = agreement_with_parties(
            park,
            TechnopolisFactory(),
            status=Agreement.Status.ACTIVE,
            effective_from=today - datetime.timedelta(days=400),
            expires_on=today + datetime.timedelta(days=1 + index % 80),
        )
        milestone(agreement, today - datetime.timedelta(days=1 + index))
        milestone(agreement, today + datetime.timedelta(days=index % 30))
        milestone(agreement, today - datetime.timedelta(days=index), Milestone.Status.DONE)


@pytest.mark.parametrize("rows", [5, 50])
def test_dashboard_queries_do_not_grow_with_the_rows(client, db, today, django_assert_num_queries, rows):
    park = TechnopolisFactory()
    _many(park, rows, today)
    client.force_login(member(park))

    # session, user, the user's memberships, overdue (rows and total), due soon, expiring,
    # counts by status, milestones per month.
    with django_assert_num_queries(8):
        response = client.get(URL)

    assert response.context["overdue"].total == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_dashboard_queries_for_an_admin(client, db, today, django_assert_num_queries, rows):
    _many(TechnopolisFactory(), rows, today)
    client.force_login(SuperuserFactory())

    # session, user, overdue, due soon, expiring, counts by status, milestones per month, what waits for
    # the admin from partners (no memberships).
    with django_assert_num_queries(9):
        response = client.get(URL)

    assert response.context["overdue"].total == rows


@pytest.mark.django_db
def test_summary_cards_count_in_the_singular_and_the_plural(client, today):
    park = TechnopolisFactory()
    agreement = agreement_with_parties(park, TechnopolisFactory(), status=Agreement.Status.ACTIVE)
    milestone(agreement, today + datetime.timedelta(days=5))
    milestone(agreement, today - datetime.timedelta(days=2))
    milestone(agreement, today - datetime.timedelta(days=4))
    client.force_login(member(park))

    response = client.get(URL)

    # One milestone due soon, two overdue: each card's noun agrees with its own number.
    assertContains(response, "milestone due in the next 30 days")
    assertNotContains(response, "milestones due in the next 30 days")
    assertContains(response, "overdue milestones")
