"""End to end in a real Chromium: an editor goes from the company list to the import page, uploads a
spreadsheet, reads the preview and confirms; the companies appear in the list. Screenshot of the
preview goes to test-artifacts/."""

import pytest
from playwright.sync_api import expect

from parks.models import Membership
from residents.models import ResidentCompany
from residents.validators import complete_inn
from tests.factories import ResidentCompanyFactory, TechnopolisFactory, member
from tests.support.browser import browser_page, log_in, save_screenshot  # noqa: F401 (fixture)
from tests.support.spreadsheets import xlsx_bytes

PASSWORD = "correct-horse-battery-staple"


@pytest.mark.django_db(transaction=True)
def test_editor_uploads_a_spreadsheet_reads_the_preview_and_confirms(browser_page, tmp_path, settings):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    park = TechnopolisFactory(name="Himgrad", short_name="", slug="himgrad")
    stored = ResidentCompanyFactory(technopolis=park, name="Old name")
    member(park, Membership.Role.EDITOR, username="erika", password=PASSWORD)
    new_inn = complete_inn("165500021")
    upload = tmp_path / "residents.xlsx"
    upload.write_bytes(
        xlsx_bytes([["INN", "Name", "Park"], [new_inn, "Sintez", "Himgrad"], [stored.inn, "New name", "Himgrad"]])
    )

    log_in(page, "erika", PASSWORD)
    page.goto(f"{page.base_url}/residents/")
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_label("Records")).to_have_value("companies")
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Preview").click()

    expect(page.locator("#import-counts")).to_contain_text("to create: 1")
    expect(page.locator("#import-counts")).to_contain_text("to update: 1")
    expect(page.locator("#import-rows")).to_contain_text("Changes: Name")
    save_screenshot(page, "import-preview")
    assert not ResidentCompany.objects.filter(inn=new_inn).exists()

    page.get_by_role("button", name="Confirm and import").click()

    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "1 record created, 1 updated"
    )
    page.goto(f"{page.base_url}/residents/")
    expect(page.get_by_role("link", name="Sintez")).to_be_visible()
    expect(page.get_by_role("link", name="New name")).to_be_visible()
