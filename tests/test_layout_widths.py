"""In a real Chromium, every page at phone widths (360 to 430 px) in both languages: nothing wider than
the screen (no sideways scroll of the page; wide tables scroll inside their own box), and at desktop
widths a navigation bar that keeps its search box usable with a long name or an e-mail as username.

Screenshots of the phone layout in test-artifacts/ (layout-<language>-<page>.png)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from agreements.models import Agreement, Milestone
from notifications.links import snooze_token, unsubscribe_token
from notifications.models import Subscription
from parks.models import Membership, Person, Technopolis
from partners.links import new_links
from tests.factories import IntellectualPropertyFactory, ResidentCompanyFactory, SuperuserFactory, member
from tests.support.browser import browser_page, save_screenshot  # noqa: F401 (fixture)
from tests.support.permission_table import project_url_names

PASSWORD = "correct-horse-battery-staple"
PHONE_WIDTHS = (360, 390, 430)
DESKTOP_WIDTHS = (1200, 1366, 1920)

# Every page a person opens in a browser, with how to reach it on the demo data.
PAGES = {
    "portal:dashboard": lambda d: [],
    "portal:search": lambda d: [],
    "portal:profile": lambda d: [],
    "parks:list": lambda d: [],
    "parks:detail": lambda d: [d["himgrad"].slug],
    "parks:history": lambda d: [d["himgrad"].slug],
    "residents:list": lambda d: [],
    "residents:create": lambda d: [],
    "residents:detail": lambda d: [d["company"].pk],
    "residents:edit": lambda d: [d["company"].pk],
    "ip:list": lambda d: [],
    "ip:detail": lambda d: [d["ip"].pk],
    "agreements:list": lambda d: [],
    "agreements:milestones": lambda d: [],
    "agreements:create": lambda d: [],
    "agreements:detail": lambda d: [d["agreement"].pk],
    "agreements:edit": lambda d: [d["agreement"].pk],
    "agreements:change_status": lambda d: [d["agreement"].pk],
    "agreements:archive": lambda d: [d["agreement"].pk],
    "agreements:restore": lambda d: [d["agreement"].pk],
    "agreements:milestone_done": lambda d: [d["agreement"].pk, d["milestone"].pk],
    "notifications:agreement": lambda d: [d["agreement"].pk],
    "notifications:subscription_preview": lambda d: [d["agreement"].pk, d["subscription"].pk],
    "notifications:unsubscribe": lambda d: [unsubscribe_token(d["subscription"].pk)],
    "notifications:snooze": lambda d: [snooze_token(d["milestone"].pk, "partner@example.org")],
    "exchange:import": lambda d: [],
    "api_tokens:list": lambda d: [],
    "accounts:staff": lambda d: [],
    "accounts:staff_add": lambda d: [],
    "accounts:staff_edit": lambda d: [d["membership"].pk],
    "accounts:two_factor_setup": lambda d: [],
    "password_change": lambda d: [],
    # The cooperation network.
    "network:network": lambda d: [],
    "network:edge": lambda d: [
        d["himgrad"].pk,
        d["agreement"].parties.exclude(technopolis=d["himgrad"]).get().technopolis_id,
    ],
    "network:coverage": lambda d: [],
    "network:track_record": lambda d: [],
    # Staff's side of the partner loop.
    "partners:waiting": lambda d: [],
    "partners:staff_milestone": lambda d: [d["agreement"].pk, d["milestone"].pk],
    "partners:links": lambda d: [],
    # New agreement from a press release (the review page answers the form's POST: tests/test_e2e_releases.py).
    "releases:start": lambda d: [],
    # The partner pages, in the same browser once the demo partner's link is opened (open_partner_link).
    "partners:home": lambda d: [],
    "partners:milestone": lambda d: [d["milestone"].pk],
}
QUERIES = {"portal:search": "?q=Himgrad", "agreements:change_status": "?status=active"}
# Not pages: downloads, feeds, actions that only answer a form's POST, and pages that need a state
# a browser cannot reach here without more (a pending upload, a second factor set up).
NOT_PAGES = {
    "accounts:set_language", "accounts:staff_remove", "accounts:two_factor_remove", "accounts:two_factor_verify",
    "agreements:document_upload", "agreements:document_download", "api_tokens:revoke", "exchange:agreement_pdf",
    "exchange:export", "exchange:template", "exchange:import_cancel", "exchange:import_confirm", "favicon",
    "healthz", "portal:calendar_feed", "portal:calendar_token", "notifications:milestone_snooze",
    "notifications:subscription_add", "notifications:subscription_remove",
    "partners:open", "partners:leave", "partners:confirm", "partners:propose", "partners:comment", "partners:evidence",
    "partners:staff_evidence", "partners:comments_read", "partners:confirmation_decide", "partners:proposal_decide",
    "partners:link_revoke", "releases:confirm",
    # Signed out: in test_signed_out_pages_fit_a_phone_too.
    "partners:request",
}  # fmt: skip

WIDER_THAN_THE_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  return document.documentElement.scrollWidth > width
    ? [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > width + 1)
        .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + el.className)
    : [];
}"""


def test_every_page_of_the_portal_is_in_the_layout_check():
    pages = {name for name in project_url_names() if not name.startswith(("admin:", "api:"))}

    assert pages - NOT_PAGES - set(PAGES) == set(), "add the new page to PAGES (or NOT_PAGES if it is none)"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)
    himgrad = Technopolis.objects.get(slug="himgrad")
    agreement = Agreement.objects.get(reference="HIM-GOU-001")
    # An invited person: the e-mail is the username; a long one, as they come.
    person = SuperuserFactory(
        username="yana.stoyanova-marketing@himgrad.example.org", first_name="Yana", last_name="Stoyanova"
    )
    person.set_password(PASSWORD)
    person.save()
    membership = member(himgrad, Membership.Role.MANAGER).park_memberships.get()
    partner = Person.objects.get(email="partner.gousev@example.org")
    # The demo names no resident company: one with a long name, as real ones have.
    company = ResidentCompanyFactory(
        technopolis=himgrad, name="Limited Liability Company Kazan Polymer Recycling Systems and Technologies"
    )
    return {
        "person": person,
        "himgrad": himgrad,
        "agreement": agreement,
        "milestone": Milestone.objects.filter(agreement=agreement).first(),
        "company": company,
        "ip": IntellectualPropertyFactory(company=company, title="Method of recycling polymer waste"),
        "subscription": Subscription.objects.filter(agreements=agreement).first() or Subscription.objects.first(),
        "membership": membership,
        "partner_link": new_links([(partner, partner.email)], reason="digest")[0].removeprefix(settings.SITE_URL),
    }


def open_partner_link(page, demo) -> None:
    """The demo partner's personal link, opened in the signed-in browser: the partner pages open too."""
    page.goto(f"{page.base_url}{demo['partner_link']}")
    page.wait_for_url(f"{page.base_url}{reverse('partners:home')}")


def sign_in(page, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", "yana.stoyanova-marketing@himgrad.example.org")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{page.base_url}/")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_page_is_wider_than_a_phone(browser_page, demo, language):  # noqa: F811
    page = browser_page
    sign_in(page, language)
    open_partner_link(page, demo)
    too_wide = {}
    for name, args in PAGES.items():
        response = page.goto(f"{page.base_url}{reverse(name, args=args(demo))}{QUERIES.get(name, '')}")
        assert response.status == 200, name
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            if offenders := page.evaluate(WIDER_THAN_THE_SCREEN):
                too_wide[f"{name} at {width}px"] = offenders
        save_screenshot(page, f"layout-{language}-{name.replace(':', '-')}")
        page.set_viewport_size({"width": 1280, "height": 800})

    assert too_wide == {}


def test_signed_out_pages_fit_a_phone_too(browser_page, demo):  # noqa: F811
    page = browser_page
    too_wide = {}
    for language in ("en", "ru"):
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
        for path in (reverse("login"), reverse("password_reset"), reverse("partners:request"), "/no-such-page/"):
            page.goto(f"{page.base_url}{path}")
            for width in PHONE_WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                if offenders := page.evaluate(WIDER_THAN_THE_SCREEN):
                    too_wide[f"{path} in {language} at {width}px"] = offenders

    assert too_wide == {}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_navigation_bar_names_the_person_and_keeps_the_search_usable(browser_page, demo, language):  # noqa: F811
    page = browser_page
    sign_in(page, language)
    for width in DESKTOP_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{page.base_url}/")
        bar = page.locator("nav.navbar")

        assert (
            bar.evaluate(
                "nav => nav.querySelector('.container').scrollWidth - nav.querySelector('.container').clientWidth"
            )
            == 0
        ), width
        assert page.locator("#global-search").bounding_box()["width"] >= 110, width
        assert bar.bounding_box()["height"] < 70, f"the bar wraps at {width}px"
        user_menu = bar.get_by_role("button", name="Yana Stoyanova").or_(bar.get_by_role("link", name="Yana Stoyanova"))
        assert user_menu.get_attribute("title") == "yana.stoyanova-marketing@himgrad.example.org"
    # On a phone the menu folds away and, opened, offers a search box as wide as the screen allows.
    page.set_viewport_size({"width": 360, "height": 800})
    page.locator(".navbar-toggler").click()
    assert page.locator("#global-search").bounding_box()["width"] >= 250
