"""End to end in a real Chromium: an editor pastes a press release, reviews the proposal beside its
sentences and confirms, in English (a new agreement) and in Russian (the agreement already there, updated).
Screenshots of both review pages go to test-artifacts/."""

import datetime
import json
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement
from demo.seed import load_seed_world
from parks.models import Membership, Technopolis
from tests.factories import member
from tests.support.browser import browser_page, log_in, save_screenshot  # noqa: F401 (fixture)
from tests.test_layout_widths import WIDER_THAN_THE_SCREEN
from tests.test_page_checks import AXE, BLOCKING, HTML_VALIDATE, _needed

PASSWORD = "correct-horse-battery-staple"
CORPUS = Path(__file__).resolve().parent.parent / "extraction" / "corpus" / "tuning"


def _editor():
    load_seed_world(today=datetime.date.today())
    return member(Technopolis.objects.get(slug="himgrad"), Membership.Role.EDITOR, username="erika", password=PASSWORD)


def _paste(page, text: str):
    page.goto(f"{page.base_url}/agreements/")
    page.locator("a[href='/agreements/from-release/']").click()
    page.locator("textarea[name=text]").fill(text)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#release-text")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_an_english_release_becomes_a_new_draft_agreement(browser_page):  # noqa: F811
    page = browser_page
    _editor()
    log_in(page, "erika", PASSWORD)
    _paste(page, (CORPUS / "en-00-seed.txt").read_text(encoding="utf-8"))
    # Each fact beside its sentence; the sentence marked in the text.
    expect(page.locator("#existing-agreement")).to_contain_text("HIM-GOU-001")
    expect(page.locator("#release-text mark").first).to_be_visible()
    expect(page.get_by_role("group", name="Artem Zdunov")).to_contain_text("took part in the signing ceremony")
    save_screenshot(page, "release-review-en")
    page.get_by_label("Create a new agreement").check()
    page.locator("input[name=reference]").fill("HIM-GOU-002")
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agreement on collaboration")
    expect(page.get_by_text("created from the press release, as a draft")).to_be_visible()
    agreement = Agreement.objects.get(reference="HIM-GOU-002")
    assert agreement.parties.get(technopolis__slug="gousev").signatory.full_name_en == "Alexey Liulin"
    assert agreement.documents.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_russian_release_read_in_russian_updates_the_agreement_already_there(browser_page):  # noqa: F811
    page = browser_page
    _editor()
    stored = Agreement.objects.get(reference="HIM-GOU-001")
    log_in(page, "erika", PASSWORD)
    page.goto(f"{page.base_url}/agreements/")
    page.get_by_role("button", name="RU").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    _paste(page, (CORPUS / "ru-00-seed.txt").read_text(encoding="utf-8"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#existing-agreement")).to_contain_text("HIM-GOU-001")
    expect(page.get_by_role("group", name="Алексей Люлин")).to_be_visible()
    save_screenshot(page, "release-review-ru")
    page.locator("form[action$='/review/'] button[type=submit]").click()
    expect(page.get_by_text("HIM-GOU-001").first).to_be_visible()
    stored.refresh_from_db()
    assert stored.releases.get().language == "ru"
    assert stored.history.latest().history_change_reason


@pytest.mark.django_db(transaction=True)
def test_the_review_page_fits_a_phone_and_passes_the_page_checks(browser_page, tmp_path):  # noqa: F811
    """The review page answers a POST, so the page-check walk over GET pages cannot reach it: checked here."""
    _editor()
    # axe is injected as a script: this context lets it past the portal's strict CSP.
    context = browser_page.context.browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = browser_page.base_url
    log_in(page, "erika", PASSWORD)
    _paste(page, (CORPUS / "en-00-seed.txt").read_text(encoding="utf-8"))
    assert page.evaluate(WIDER_THAN_THE_SCREEN) == []
    page.add_script_tag(content=_needed(AXE).read_text())
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, where: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
    )
    assert [violation for violation in violations if violation["impact"] in BLOCKING] == []
    html = tmp_path / "release-review.html"
    html.write_text(page.content())
    report = tmp_path / "report.json"
    subprocess.run(
        [str(_needed(HTML_VALIDATE)), "--config", ".htmlvalidate.json", "--formatter", f"json={report}", str(html)],
        capture_output=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    messages = [message["message"] for result in json.loads(report.read_text()) for message in result["messages"]]
    assert messages == []
    context.close()
