"""In a real Chromium: a partner abroad switches the portal to Russian and back; the choice follows
them to their next sign-in, in another browser. Screenshot of the Russian agreement page in
test-artifacts/."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import Profile
from agreements.models import Agreement
from parks.models import Membership
from tests.factories import MilestoneFactory, TechnopolisFactory, agreement_with_parties, member
from tests.support.browser import browser_page, log_in, new_session, save_screenshot  # noqa: F401 (fixture)

PASSWORD = "correct-horse-battery-staple"


@pytest.mark.django_db(transaction=True)
def test_the_switcher_turns_the_portal_russian_and_the_next_sign_in_remembers_it(browser_page):  # noqa: F811
    page = browser_page
    himgrad = TechnopolisFactory(name_en='Technopolis "Himgrad"', name_ru="Технополис «Химград»",
                                 short_name_en="Himgrad", short_name_ru="Химград")  # fmt: skip
    gousev = TechnopolisFactory(name_en="Technopolis Gousev", name_ru="Технополис «Гусев»",
                                short_name_en="Gousev", short_name_ru="Гусев")  # fmt: skip
    agreement = agreement_with_parties(
        himgrad, gousev, reference="HIM-GOU-001", status=Agreement.Status.SIGNED,
        title_en="Agreement on joint innovation cooperation",
        title_ru="Соглашение о совместной инновационной деятельности", signed_on=datetime.date(2026, 11, 5),
    )  # fmt: skip
    MilestoneFactory(agreement=agreement, title_en="Appoint coordinators", title_ru="Назначить координаторов",
                     due_on=datetime.date(2027, 3, 15))  # fmt: skip
    user = member(himgrad, Membership.Role.EDITOR, username="yana", password=PASSWORD)

    log_in(page, "yana", PASSWORD)
    page.goto(f"{page.base_url}/agreements/{agreement.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agreement on joint innovation cooperation")

    page.get_by_role("button", name="RU").click()

    expect(page).to_have_url(f"{page.base_url}/agreements/{agreement.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Соглашение о совместной инновационной деятельности")
    expect(page.get_by_role("heading", name="Стороны")).to_be_visible()
    expect(page.get_by_text("15.03.2027")).to_be_visible()
    save_screenshot(page, "agreement-in-russian")
    assert Profile.objects.get(user=user).language == "ru"

    other_browser = new_session(page)
    other_browser.goto(f"{other_browser.base_url}/accounts/login/")
    other_browser.get_by_label("Username").fill("yana")
    other_browser.get_by_label("Password").fill(PASSWORD)
    other_browser.get_by_role("button", name="Log in").click()
    expect(other_browser.get_by_role("link", name="Главная").first).to_be_visible()

    other_browser.get_by_role("button", name="EN").click()
    expect(other_browser.get_by_role("link", name="Dashboard").first).to_be_visible()
    assert Profile.objects.get(user=user).language == "en"
