"""End to end in a real Chromium: a person makes an API token in the portal, a program uses it,
the documentation page shows every resource under the portal's CSP, and the revoked token stops."""

import pytest
from playwright.sync_api import expect

from parks.models import Membership
from tests.factories import TechnopolisFactory, agreement_with_parties, member
from tests.support.browser import browser_page, log_in, save_screenshot  # noqa: F401 (fixture)

PASSWORD = "correct-horse-battery-staple"


@pytest.mark.django_db(transaction=True)
def test_a_token_made_in_the_portal_opens_the_api_until_it_is_revoked(browser_page):  # noqa: F811
    page = browser_page
    park = TechnopolisFactory(name="Technopolis Alpha")
    agreement_with_parties(park, TechnopolisFactory(), reference="API-1", status="negotiation")
    member(park, Membership.Role.VIEWER, username="vera", password=PASSWORD)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)

    log_in(page, "vera", PASSWORD)
    page.goto(f"{page.base_url}/accounts/profile/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("reporting script")
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_label("Your new token").input_value()
    assert len(token) == 64

    program = page.context.request
    answer = program.get(f"{page.base_url}/api/v1/agreements/", headers={"Authorization": f"Token {token}"})
    assert answer.status == 200
    assert [row["reference"] for row in answer.json()["results"]] == ["API-1"]

    page.goto(f"{page.base_url}/api/v1/docs/")
    for resource in ("agreements", "companies", "ip", "milestones", "parks"):
        expect(page.locator(f"#operations-tag-{resource}")).to_be_visible()
    save_screenshot(page, "api-docs")
    assert not [text for text in refused if "Content Security Policy" in text]

    page.goto(f"{page.base_url}/accounts/api-tokens/")
    expect(page.get_by_role("cell", name="reporting script", exact=True)).to_be_visible()
    page.get_by_role("button", name="Revoke “reporting script”").click()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()
    answer = program.get(f"{page.base_url}/api/v1/agreements/", headers={"Authorization": f"Token {token}"})
    assert answer.status == 401
