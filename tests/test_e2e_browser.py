"""End to end in a real Chromium: an editor records an agreement between two parks with two milestones,
finds it on the dashboard and ticks a milestone off; a viewer of the same park can read it but not change it.

The steps run in one journey because each builds on the previous one, as they would for a person.
Screenshots of the dashboard and of the agreement page go to test-artifacts/.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Agreement, Milestone
from parks.models import Membership
from tests.factories import TechnopolisFactory, member
from tests.support.browser import browser_page, log_in, new_session, save_screenshot  # noqa: F401 (fixture)

PASSWORD = "correct-horse-battery-staple"
REFERENCE = "E2E-2026/01"
TITLE = "Joint incubation programme"
SOON = "Kick-off meeting"
LATER = "First joint report"
# Each button also names its milestone, for screen readers.
MARK_DONE = re.compile(r"^Mark done\b")


@pytest.mark.django_db(transaction=True)
def test_editor_records_an_agreement_follows_it_on_the_dashboard_and_a_viewer_cannot_change_it(browser_page):  # noqa: F811
    page = browser_page
    today = timezone.localdate()
    park_a = TechnopolisFactory(name="Technopolis Alpha", short_name="Alpha Park")
    park_b = TechnopolisFactory(name="Technopolis Beta", short_name="Beta Park")
    member(park_a, Membership.Role.EDITOR, username="erika", password=PASSWORD)
    member(park_a, Membership.Role.VIEWER, username="viktor", password=PASSWORD)
    soon, later = today + datetime.timedelta(days=10), today + datetime.timedelta(days=120)

    log_in(page, "erika", PASSWORD)
    expect(page).to_have_url(f"{page.base_url}/")

    agreement = _create_agreement(page, park_a, park_b, today=today, soon=soon, later=later)
    _see_milestone_due_soon_on_dashboard(page, agreement)
    _mark_milestone_done(page, agreement, today=today)

    viewer_page = new_session(page)
    log_in(viewer_page, "viktor", PASSWORD)
    _viewer_cannot_change_the_agreement(viewer_page, agreement)


def _create_agreement(page, park_a, park_b, *, today, soon, later) -> Agreement:
    page.goto(f"{page.base_url}/agreements/")
    page.get_by_role("link", name="New agreement").click()
    expect(page.get_by_role("heading", name="New agreement")).to_be_visible()

    main = page.get_by_role("group", name="Agreement", exact=True)
    main.get_by_label("Reference").fill(REFERENCE)
    main.get_by_label("Title (English)").fill(TITLE)
    main.get_by_label("Kind").select_option(label="joint R&D")
    main.get_by_label("Status").select_option(label="active")
    page.get_by_role("group", name="Signing", exact=True).get_by_label("Signed on").fill(_iso(today))
    term = page.get_by_role("group", name="Term", exact=True)
    term.get_by_label("Effective from").fill(_iso(today))
    term.get_by_label("Expires on").fill(_iso(today.replace(year=today.year + 3)))

    for number, park in enumerate((park_a, park_b), start=1):
        party = page.get_by_role("group", name=re.compile(rf"^Party {number}\b"))
        party.get_by_label("Park").select_option(label=str(park))
    for number, (title, due_on) in enumerate(((SOON, soon), (LATER, later)), start=1):
        row = page.get_by_role("group", name=re.compile(rf"^Milestone {number}\b"))
        row.get_by_label("Title (English)").fill(title)
        row.get_by_label("Due on").fill(_iso(due_on))
        row.get_by_label("Responsible park").select_option(label=str(park_a))

    page.get_by_role("button", name="Create agreement").click()

    expect(page.get_by_role("alert").filter(has_text=f"Agreement {REFERENCE} created.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    parties = page.get_by_role("region", name="Parties")
    expect(parties.get_by_role("link", name=str(park_a))).to_be_visible()
    expect(parties.get_by_role("link", name=str(park_b))).to_be_visible()
    milestones = page.get_by_role("region", name="Milestones")
    expect(milestones.get_by_role("listitem")).to_have_count(2)
    expect(milestones.get_by_role("listitem").nth(0)).to_contain_text(SOON)
    expect(milestones.get_by_role("listitem").nth(1)).to_contain_text(LATER)

    agreement = Agreement.objects.get(reference=REFERENCE)
    assert page.url == f"{page.base_url}/agreements/{agreement.pk}/"
    assert (agreement.title, agreement.kind, agreement.status) == (TITLE, Agreement.Kind.JOINT_RD, "active")
    assert agreement.signed_on == agreement.effective_from == today
    assert sorted(agreement.parties.values_list("technopolis_id", flat=True)) == sorted([park_a.pk, park_b.pk])
    assert list(agreement.milestones.values_list("title", "due_on", "status", "responsible_technopolis")) == [
        (SOON, soon, Milestone.Status.PLANNED, park_a.pk),
        (LATER, later, Milestone.Status.PLANNED, park_a.pk),
    ]
    return agreement


def _see_milestone_due_soon_on_dashboard(page, agreement: Agreement) -> None:
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page).to_have_url(f"{page.base_url}/")

    due_soon = page.get_by_role("region", name=re.compile(r"^Due in the next 30 days"))
    row = due_soon.get_by_role("row").filter(has_text=SOON)
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name=agreement.reference)).to_have_attribute("href", f"/agreements/{agreement.pk}/")
    # The later milestone is not due within 30 days; nothing is overdue.
    expect(due_soon.get_by_role("row").filter(has_text=LATER)).to_have_count(0)
    expect(page.get_by_role("region", name=re.compile(r"^Overdue milestones of your parks"))).to_contain_text(
        "Nothing is overdue."
    )
    save_screenshot(page, "dashboard")


def _mark_milestone_done(page, agreement: Agreement, *, today) -> None:
    page.get_by_role("region", name=re.compile(r"^Due in the next 30 days")).get_by_role(
        "link", name=agreement.reference
    ).click()
    expect(page).to_have_url(f"{page.base_url}/agreements/{agreement.pk}/")

    milestones = page.get_by_role("region", name="Milestones")
    milestones.get_by_role("listitem").filter(has_text=SOON).get_by_role("link", name=MARK_DONE).click()
    # It asks on which day (today unless said otherwise) and how, then records it.
    expect(page.get_by_label("Done on")).to_have_value(today.isoformat())
    page.get_by_label("Note").fill("Both coordinators named at the kick-off meeting")
    page.get_by_role("button", name=MARK_DONE).click()

    expect(page.get_by_role("alert").filter(has_text=f"Milestone “{SOON}” marked done.")).to_be_visible()
    milestones = page.get_by_role("region", name="Milestones")
    done_item = milestones.get_by_role("listitem").filter(has_text=SOON)
    expect(done_item).to_contain_text("done")
    expect(done_item).to_contain_text("completed on")
    expect(done_item).to_contain_text("Both coordinators named at the kick-off meeting")
    expect(done_item.get_by_role("link", name=MARK_DONE)).to_have_count(0)
    # The other milestone is still open and can still be ticked off.
    expect(
        milestones.get_by_role("listitem").filter(has_text=LATER).get_by_role("link", name=MARK_DONE)
    ).to_be_visible()

    done, still_open = agreement.milestones.order_by("due_on")
    assert (done.status, done.completed_on) == (Milestone.Status.DONE, today)
    assert (still_open.status, still_open.completed_on) == (Milestone.Status.PLANNED, None)
    save_screenshot(page, "agreement")


def _viewer_cannot_change_the_agreement(page, agreement: Agreement) -> None:
    before = list(agreement.milestones.values_list("pk", "status", "completed_on"))
    updated_at = Agreement.objects.get(pk=agreement.pk).updated_at

    page.goto(f"{page.base_url}/agreements/")
    expect(page.get_by_role("link", name=agreement.reference)).to_be_visible()
    expect(page.get_by_role("link", name="New agreement")).to_have_count(0)

    page.get_by_role("link", name=agreement.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_role("region", name="Milestones").get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    expect(page.get_by_role("region", name=re.compile("^Change status"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Move to"))).to_have_count(0)
    expect(page.get_by_role("link", name=MARK_DONE)).to_have_count(0)

    response = page.goto(f"{page.base_url}/agreements/{agreement.pk}/edit/")
    assert response.status == 403

    agreement.refresh_from_db()
    assert agreement.updated_at == updated_at
    assert list(agreement.milestones.values_list("pk", "status", "completed_on")) == before


def _iso(day: datetime.date) -> str:
    return day.isoformat()
