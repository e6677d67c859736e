"""The partner loop end to end, in a real Chromium, over a real SMTP server on loopback.

A digest reaches the partner contact; its link opens the partner page (on a phone); the partner
confirms a milestone; the staff member is e-mailed and sees it on the dashboard; accepting it makes
the milestone done, and the partner's next digest says so. Then a date proposal, accepted, and a
milestone that needs both parties' confirmation. Screenshots go to test-artifacts/.
"""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.models import Milestone
from notifications.delivery import outbox_deliver
from notifications.digests import digests_run
from partners.links import link_token
from tests.support.browser import browser_page, log_in, new_session, save_screenshot  # noqa: F401 (fixture)
from tests.support.smtp import Mailbox, smtp_server, use_smtp

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}


def _partner_link(message) -> str:
    match = re.search(r"(http://\S+/partner/open/\S+/)", message.get_body(("plain",)).get_content())
    assert match, "no partner link in the e-mail"
    return match.group(1)


def _messages_to(mailbox: Mailbox, address: str) -> list:
    return [message for message in mailbox.messages if address in message["To"]]


def _deliver(mailbox: Mailbox, count: int) -> None:
    outbox_deliver()
    assert mailbox.wait_for(count, timeout=10), f"expected {count} e-mails, got {len(mailbox.messages)}"


def _phone(page):
    context = page.context.browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.base_url = page.base_url
    return phone


@pytest.mark.django_db(transaction=True)
def test_a_partner_confirms_from_the_digest_and_staff_accept_it(browser_page, loop, settings, today):  # noqa: F811
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        use_smtp(settings, port)
        settings.SITE_URL = browser_page.base_url

        # The weekly digest goes out over SMTP, with the partner's personal link.
        digests_run(today=today)
        _deliver(mailbox, 1)
        (digest,) = _messages_to(mailbox, loop.partner.email)
        link = _partner_link(digest)

        # The partner opens it on their phone and confirms the intake done.
        partner = _phone(browser_page)
        partner.goto(link)
        expect(partner.get_by_role("heading", name="Partner page")).to_be_visible()
        expect(partner.get_by_role("heading", name="Himgrad and Kazan cooperation")).to_be_visible()
        save_screenshot(partner, "partner-home-phone")
        partner.get_by_role("link", name="Joint incubation intake").click()
        confirm = partner.get_by_role("region", name="Confirm it is done")
        confirm.get_by_label("Note").fill("40 start-ups admitted to the joint intake")
        confirm.get_by_role("button", name="Confirm done").click()
        expect(partner.get_by_role("alert")).to_contain_text("your confirmation is recorded")
        save_screenshot(partner, "partner-milestone-phone")

        # The responsible staff member hears of it by e-mail…
        _deliver(mailbox, 2)
        (told,) = _messages_to(mailbox, loop.editor.email)
        # (a non-ASCII subject is folded as an encoded word: the parser leaves a space in front)
        assert told["Subject"].strip() == "Rustam Gusev confirmed “Joint incubation intake” done"
        assert "40 start-ups admitted" in told.get_body(("plain",)).get_content()

        # …and on the dashboard, and accepts it.
        staff = new_session(browser_page)
        log_in(staff, "erika", PASSWORD)
        waiting = staff.get_by_role("region", name="Waiting for you")
        expect(waiting).to_contain_text("1 confirmation to accept")
        save_screenshot(staff, "partner-loop-dashboard")
        waiting.get_by_role("link", name="Open “Waiting for you”").click()
        save_screenshot(staff, "partner-loop-waiting")
        staff.get_by_role("button", name="Accept").click()
        expect(staff.get_by_role("alert")).to_have_text("Accepted.")

        loop.one_side.refresh_from_db()
        assert loop.one_side.status == Milestone.Status.DONE and loop.one_side.completed_on == today

        # The partner's page and next digest say so.
        partner.reload()
        expect(partner.get_by_text("accepted", exact=True)).to_be_visible()
        digests_run(today=today + datetime.timedelta(days=7))
        _deliver(mailbox, 3)
        next_digest = _messages_to(mailbox, loop.partner.email)[-1].get_body(("plain",)).get_content()
        assert re.search(r"Completed:\r?\n- Joint incubation intake — ", next_digest)


@pytest.mark.django_db(transaction=True)
def test_a_date_proposal_and_a_milestone_both_parties_confirm(browser_page, loop, settings, today):  # noqa: F811
    settings.SITE_URL = browser_page.base_url
    partner = browser_page
    partner.goto(f"{partner.base_url}{reverse('partners:open', args=[link_token(loop.link)])}")
    new_due = today + datetime.timedelta(days=90)

    # A new date for the intake, with the reason.
    partner.get_by_role("link", name="Joint incubation intake").click()
    propose = partner.get_by_role("region", name="Propose a new due date")
    propose.get_by_label("New due date").fill(new_due.isoformat())
    propose.get_by_label("Reason").fill("The building permit came three months late")
    propose.get_by_role("button", name="Propose").click()
    expect(partner.get_by_role("alert")).to_contain_text("your proposal is recorded")

    # The lab needs both parks: Kazan's partner confirms first.
    partner.goto(f"{partner.base_url}/partner/")
    partner.get_by_role("link", name="Shared laboratory opened").click()
    partner.get_by_role("region", name="Confirm it is done").get_by_role("button", name="Confirm done").click()
    expect(partner.get_by_role("alert")).to_contain_text("your confirmation is recorded")

    staff = new_session(browser_page)
    log_in(staff, "erika", PASSWORD)
    staff.goto(f"{staff.base_url}/waiting/")
    proposals = staff.get_by_role("region", name="New due dates proposed")
    expect(proposals).to_contain_text("The building permit came three months late")
    proposals.get_by_role("button", name="Accept").click()
    expect(staff.get_by_role("alert")).to_have_text("Accepted.")
    staff.get_by_role("region", name="Confirmations to accept").get_by_role("button", name="Accept").click()
    expect(staff.get_by_role("alert")).to_have_text("Accepted.")

    loop.one_side.refresh_from_db()
    assert loop.one_side.due_on == new_due
    staff.goto(f"{staff.base_url}/agreements/{loop.agreement.pk}/milestones/{loop.one_side.pk}/")
    expect(staff.get_by_role("region", name="History")).to_contain_text(
        "Due date moved at Rustam Gusev's request: The building permit came three months late"
    )

    # Kazan's word is in; the lab waits for Himgrad's.
    lab = f"{staff.base_url}/agreements/{loop.agreement.pk}/milestones/{loop.both_sides.pk}/"
    staff.goto(lab)
    expect(staff.get_by_text("Awaited from: Himgrad")).to_be_visible()
    save_screenshot(staff, "partner-loop-staff-milestone")
    staff.get_by_role("link", name="Confirm done").click()
    staff.get_by_role("button", name="Mark done").click()
    expect(staff.get_by_role("alert")).to_have_text("Milestone “Shared laboratory opened” marked done.")
    loop.both_sides.refresh_from_db()
    assert loop.both_sides.status == Milestone.Status.DONE
