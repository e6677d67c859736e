"""In a real Chromium: on the agreement page an editor adds milestone rows without a reload, each
responsible-person list shows only the chosen park's people, a long list narrows as they type, and
the rows are saved (issue 14, item 10). Screenshot in test-artifacts/agreement-form-rows.png."""

import datetime

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement, Milestone
from parks.models import Membership
from tests.factories import PersonFactory, TechnopolisFactory, agreement_with_parties, member
from tests.support.browser import browser_page, log_in, save_screenshot  # noqa: F401 (fixture)

PASSWORD = "correct-horse-battery-staple"


def visible_options(select) -> list[str]:
    return select.evaluate("s => [...s.options].filter(o => o.value && !o.hidden).map(o => o.text)")


@pytest.mark.django_db(transaction=True)
def test_an_editor_adds_milestone_rows_at_once_and_picks_people_of_the_chosen_park(browser_page):  # noqa: F811
    page = browser_page
    alpha = TechnopolisFactory(name="Technopolis Alpha", short_name="Alpha")
    beta = TechnopolisFactory(name="Technopolis Beta", short_name="Beta")
    agreement = agreement_with_parties(
        alpha, beta, reference="PICK-1", status=Agreement.Status.DRAFT,
        effective_from=datetime.date(2026, 1, 1), expires_on=datetime.date(2029, 12, 31),
    )  # fmt: skip
    PersonFactory(technopolis=alpha, full_name="Anna Alphina", position="")
    PersonFactory(technopolis=beta, full_name="Boris Betov", position="")
    for index in range(20):  # the rest of a long directory
        PersonFactory(technopolis=TechnopolisFactory(), full_name=f"Someone Else {index:02d}", position="")
    member(alpha, Membership.Role.EDITOR, username="erika", password=PASSWORD)
    log_in(page, "erika", PASSWORD)
    page.goto(f"{page.base_url}/agreements/{agreement.pk}/edit/")
    url = page.url

    add = page.get_by_role("button", name="Add a milestone")
    add.click()
    add.click()

    expect(page.locator('[data-formset-rows="milestones"] fieldset')).to_have_count(3)
    assert page.url == url  # no round trip
    assert page.locator("#id_milestones-TOTAL_FORMS").input_value() == "3"
    for index, (title, due, park) in enumerate(
        [("Open the lab", "2027-03-01", alpha), ("Joint report", "2027-09-01", beta)], 1
    ):
        page.fill(f"#id_milestones-{index}-title", title)
        page.fill(f"#id_milestones-{index}-due_on", due)
        page.select_option(f"#id_milestones-{index}-responsible_technopolis", str(park.pk))
    first, second = (page.locator(f"#id_milestones-{index}-responsible_person") for index in (1, 2))
    assert visible_options(first) == ["Anna Alphina"]
    assert visible_options(second) == ["Boris Betov"]
    first.select_option(label="Anna Alphina")
    # The witnesses are the parties' people, however long the directory.
    witnesses = visible_options(page.locator("#id_witnesses"))
    assert witnesses and not [name for name in witnesses if name.startswith("Someone Else")]
    # A long list with no park chosen yet (the new party row's signatory) narrows as one types.
    signatory = page.locator("#id_parties-2-signatory")
    page.locator("#id_parties-2-signatory").locator("xpath=preceding-sibling::input[@data-people-filter]").fill(
        "else 1"
    )
    narrowed = visible_options(signatory)
    assert narrowed and all("Else 1" in name for name in narrowed)
    save_screenshot(page, "agreement-form-rows")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert").filter(has_text="Agreement PICK-1 saved.")).to_be_visible()
    saved = {m.title: m.responsible_person for m in Milestone.objects.filter(agreement=agreement)}
    assert set(saved) == {"Open the lab", "Joint report"}
    assert saved["Open the lab"].full_name == "Anna Alphina"
