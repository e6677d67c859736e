"""The partner pages and staff's answers, through the views, as a partner contact and staff use them."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import Milestone
from notifications.delivery import outbox_deliver
from notifications.models import OutgoingEmail, Subscription
from partners.links import link_token, link_url
from partners.models import Decision, DueDateProposal, MilestoneComment, MilestoneConfirmation, PartnerLink
from tests import factories

pytestmark = pytest.mark.django_db


def _partner_post(client, loop, name, milestone, data):
    return client.post(reverse(f"partners:{name}", args=[milestone.pk]), data)


# --- the link ------------------------------------------------------------------------------------------


def test_the_link_opens_the_partner_page_with_the_agreements_followed_and_records_the_use(client, loop):
    response = loop.open_partner_page(client).get(reverse("partners:home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Rustam Gusev" in page and "Himgrad and Kazan cooperation" in page
    assert "Joint incubation intake" in page and "Shared laboratory opened" in page
    loop.link.refresh_from_db()
    assert loop.link.times_used == 1 and loop.link.uses.count() == 1


def test_the_partner_page_shows_its_contacts_language(client, loop):
    loop.partner.language = "ru"
    loop.partner.save()

    response = loop.open_partner_page(client).get(reverse("partners:home"))

    assert response.headers["Content-Language"] == "ru"
    assert "Страница партнёра" in response.content.decode()


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), id="altered"),
        pytest.param(lambda token: "forged-token", id="forged"),
    ],
)
def test_a_forged_or_altered_link_shows_a_page_offering_a_fresh_one_and_no_data(client, loop, spoil):
    response = client.get(reverse("partners:open", args=[spoil(link_token(loop.link))]))

    assert response.status_code == 403
    page = response.content.decode()
    assert "Send me a fresh link" in page and "Himgrad and Kazan" not in page
    assert client.get(reverse("partners:home")).status_code == 302


def test_an_expired_or_revoked_link_no_longer_opens_the_page(client, loop):
    PartnerLink.objects.filter(pk=loop.link.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(reverse("partners:open", args=[link_token(loop.link)])).status_code == 403

    PartnerLink.objects.filter(pk=loop.link.pk).update(expires_at=timezone.now() + datetime.timedelta(days=3))
    loop.open_partner_page(client)
    PartnerLink.objects.filter(pk=loop.link.pk).update(revoked_at=timezone.now())

    # Revoked while the partner has the page open: the next page and the next action are refused.
    assert client.get(reverse("partners:home")).url == reverse("partners:request")
    response = _partner_post(client, loop, "comment", loop.one_side, {"body": "Hello"})
    assert response.status_code == 403
    assert not MilestoneComment.objects.exists()


def test_a_link_made_for_another_address_is_refused(client, loop):
    other = PartnerLink.objects.get(pk=loop.link.pk)
    other.address = "someone.else@example.org"
    assert client.get(reverse("partners:open", args=[link_token(other)])).status_code == 403


def test_a_partner_session_reaches_neither_the_staff_portal_nor_the_admin_nor_the_api(client, loop):
    loop.open_partner_page(client)

    assert client.get(reverse("portal:dashboard")).url.startswith(reverse("login"))
    assert client.get(reverse("agreements:detail", args=[loop.agreement.pk])).url.startswith(reverse("login"))
    assert client.get("/admin/").status_code == 302
    assert client.get("/api/v1/agreements/").status_code == 401


def test_asking_for_a_fresh_link_says_the_same_for_a_known_and_an_unknown_address(client, loop):
    known = client.post(reverse("partners:request"), {"address": "GUSEV@kazan.example"})
    unknown = client.post(reverse("partners:request"), {"address": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 200

    def page(response, address):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode().replace(address, "X"))

    assert page(known, "GUSEV@kazan.example") == page(unknown, "nobody@example.org")
    sent = OutgoingEmail.objects.get(kind="partner_link")
    assert sent.recipient_address == "gusev@kazan.example"
    fresh = PartnerLink.objects.filter(reason="requested").get()
    assert link_url(fresh) in sent.text_body


def test_link_requests_are_rate_limited(client, loop, settings):
    settings.PARTNER_LINK_REQUEST_RATE = "3/h"
    answers = [
        client.post(reverse("partners:request"), {"address": "gusev@kazan.example"}).status_code for _ in range(5)
    ]

    assert answers == [200, 200, 200, 429, 429]
    assert OutgoingEmail.objects.filter(kind="partner_link").count() == 3


def test_partner_actions_are_rate_limited(client, loop, settings):
    settings.PARTNER_ACTION_RATE = "2/h"
    loop.open_partner_page(client)
    answers = [
        _partner_post(client, loop, "comment", loop.one_side, {"body": f"Note {n}"}).status_code for n in range(3)
    ]

    assert answers == [302, 302, 429]
    assert MilestoneComment.objects.count() == 2


# --- what a partner sees -------------------------------------------------------------------------------


def test_a_partner_sees_only_agreements_of_their_park_they_follow_and_confidential_ones_they_are_named_in(client, loop):
    other_park = factories.TechnopolisFactory(name="Far Park")
    not_a_party = factories.agreement_with_parties(loop.himgrad, other_park, title="Himgrad and Far", is_public=True)
    factories.agreement_with_parties(loop.himgrad, loop.kazan, title="Public memorandum", is_public=True)
    factories.agreement_with_parties(loop.himgrad, loop.kazan, title="Secret plan", is_public=False)
    named_secret = factories.agreement_with_parties(loop.himgrad, loop.kazan, title="Named plan", is_public=False)
    factories.MilestoneFactory(
        agreement=named_secret, responsible_person=loop.partner, due_on=datetime.date(2027, 5, 1)
    )
    factories.agreement_with_parties(loop.himgrad, loop.kazan, title="Unfollowed", is_public=True)
    Subscription.objects.get(person=loop.partner).agreements.add(not_a_party)
    # Himgrad's agreements through the park: the public ones, not a confidential one that names them nowhere.
    through_park = factories.SubscriptionFactory(person=loop.partner)
    through_park.parks.add(loop.himgrad)

    page = loop.open_partner_page(client).get(reverse("partners:home")).content.decode()

    assert "Himgrad and Kazan cooperation" in page and "Named plan" in page and "Public memorandum" in page
    assert "Himgrad and Far" not in page and "Secret plan" not in page
    assert "Unfollowed" in page  # public, and followed through Himgrad

    through_park.delete()
    page = client.get(reverse("partners:home")).content.decode()
    assert "Unfollowed" not in page and "Public memorandum" not in page and "Named plan" in page


def test_a_milestone_of_another_agreement_by_an_edited_url_is_not_found(client, loop):
    elsewhere = factories.MilestoneFactory(
        agreement=factories.agreement_with_parties(title="Elsewhere"), due_on=datetime.date(2027, 1, 1)
    )
    loop.open_partner_page(client)

    assert client.get(reverse("partners:milestone", args=[elsewhere.pk])).status_code == 404
    assert _partner_post(client, loop, "confirm", elsewhere, {"completed_on": "2026-01-01"}).status_code == 404
    assert not MilestoneConfirmation.objects.exists()


def test_staff_only_notes_never_reach_the_partner(client, loop):
    now = timezone.now()
    common = {"milestone": loop.one_side, "user": loop.editor, "author_name": "Erika", "created_at": now}
    MilestoneComment.objects.create(body="Internal: chase them", staff_only=True, **common)
    MilestoneComment.objects.create(body="We look forward to it", **common)

    page = loop.open_partner_page(client).get(reverse("partners:milestone", args=[loop.one_side.pk])).content.decode()

    assert "We look forward to it" in page and "chase them" not in page


# --- the loop: confirm, accept; propose, decide; comment -----------------------------------------------


def test_a_partner_confirms_staff_are_told_and_accepting_makes_the_milestone_done(client, loop, today):
    loop.open_partner_page(client)
    response = _partner_post(
        client, loop, "confirm", loop.one_side, {"completed_on": today.isoformat(), "note": "40 start-ups admitted"}
    )
    assert response.status_code == 302

    confirmation = MilestoneConfirmation.objects.get()
    assert (confirmation.person, confirmation.technopolis, confirmation.status) == (
        loop.partner,
        loop.kazan,
        Decision.PENDING,
    )
    told = OutgoingEmail.objects.get(kind="partner_activity")
    assert told.recipient_address == loop.editor.email
    assert told.subject == "Rustam Gusev confirmed “Joint incubation intake” done"
    assert "40 start-ups admitted" in told.text_body

    client.force_login(loop.editor)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert "1 confirmation to accept" in dashboard
    waiting = client.get(reverse("partners:waiting")).content.decode()
    assert "Rustam Gusev (Kazan) confirms it was done on" in waiting

    client.post(reverse("partners:confirmation_decide", args=[confirmation.pk]), {"decision": "accept"})

    loop.one_side.refresh_from_db()
    assert loop.one_side.status == Milestone.Status.DONE and loop.one_side.completed_on == today
    assert "Rustam Gusev: 40 start-ups admitted" in loop.one_side.completion_note
    # The dashboard is kept per version of the records (common.page_cache): the decision shows at once.
    assert "confirmation to accept" not in client.get(reverse("portal:dashboard")).content.decode()


def test_a_partners_comment_waits_on_the_dashboard_until_staff_mark_it_read(client, loop):
    loop.open_partner_page(client)
    _partner_post(client, loop, "comment", loop.one_side, {"body": "The hall is booked for the intake."})
    client.force_login(loop.editor)
    assert "1 new comment or file" in client.get(reverse("portal:dashboard")).content.decode()

    client.post(reverse("partners:comments_read", args=[loop.agreement.pk, loop.one_side.pk]))

    assert "new comment" not in client.get(reverse("portal:dashboard")).content.decode()
    assert MilestoneComment.objects.get().read_by == loop.editor


def test_two_sided_milestone_needs_both_parties(client, loop, today):
    loop.open_partner_page(client)
    _partner_post(client, loop, "confirm", loop.both_sides, {"completed_on": today.isoformat()})
    client.force_login(loop.editor)
    client.post(
        reverse("partners:confirmation_decide", args=[MilestoneConfirmation.objects.get().pk]), {"decision": "accept"}
    )

    loop.both_sides.refresh_from_db()
    assert loop.both_sides.status == Milestone.Status.PLANNED
    page = client.get(reverse("partners:staff_milestone", args=[loop.agreement.pk, loop.both_sides.pk])).content
    assert "Confirmed by: Kazan" in page.decode() and "Awaited from: Himgrad" in page.decode()

    response = client.post(
        reverse("agreements:milestone_done", args=[loop.agreement.pk, loop.both_sides.pk]),
        {"completed_on": today.isoformat(), "version": loop.both_sides.version},
    )

    assert response.status_code == 302
    loop.both_sides.refresh_from_db()
    assert loop.both_sides.status == Milestone.Status.DONE


def test_staff_confirming_first_leaves_a_two_sided_milestone_waiting_for_the_partner(client, loop, today):
    client.force_login(loop.editor)
    response = client.post(
        reverse("agreements:milestone_done", args=[loop.agreement.pk, loop.both_sides.pk]),
        {"completed_on": today.isoformat(), "version": loop.both_sides.version},
        follow=True,
    )

    assert "is recorded; still awaited from: Kazan." in response.content.decode()
    loop.both_sides.refresh_from_db()
    assert loop.both_sides.status == Milestone.Status.PLANNED
    again = client.post(
        reverse("agreements:milestone_done", args=[loop.agreement.pk, loop.both_sides.pk]),
        {"completed_on": today.isoformat(), "version": loop.both_sides.version},
        follow=True,
    )
    assert "Your park has already confirmed this milestone" in again.content.decode()
    assert MilestoneConfirmation.objects.filter(status=Decision.ACCEPTED).count() == 1


def test_declining_a_confirmation_needs_a_message_and_the_partner_sees_it(client, loop, today):
    loop.open_partner_page(client)
    _partner_post(client, loop, "confirm", loop.one_side, {"completed_on": today.isoformat()})
    confirmation = MilestoneConfirmation.objects.get()
    staff = client.__class__()
    staff.force_login(loop.editor)

    staff.post(reverse("partners:confirmation_decide", args=[confirmation.pk]), {"decision": "reject"})
    confirmation.refresh_from_db()
    assert confirmation.status == Decision.PENDING

    staff.post(
        reverse("partners:confirmation_decide", args=[confirmation.pk]),
        {"decision": "reject", "message": "The intake report is missing"},
    )
    confirmation.refresh_from_db()
    assert confirmation.status == Decision.REJECTED
    page = client.get(reverse("partners:milestone", args=[loop.one_side.pk])).content.decode()
    assert "The intake report is missing" in page
    # Declined: the partner may confirm again.
    assert _partner_post(client, loop, "confirm", loop.one_side, {"completed_on": today.isoformat()}).status_code == 302


def test_an_accepted_date_proposal_moves_the_milestone_and_the_history_says_why(client, loop, today):
    new_date = today + datetime.timedelta(days=60)
    loop.open_partner_page(client)
    _partner_post(
        client,
        loop,
        "propose",
        loop.one_side,
        {"proposed_due_on": new_date.isoformat(), "reason": "The building permit came late"},
    )
    proposal = DueDateProposal.objects.get()
    staff = client.__class__()
    staff.force_login(loop.editor)

    staff.post(reverse("partners:proposal_decide", args=[proposal.pk]), {"decision": "accept"})

    loop.one_side.refresh_from_db()
    assert loop.one_side.due_on == new_date
    page = staff.get(reverse("partners:staff_milestone", args=[loop.agreement.pk, loop.one_side.pk])).content.decode()
    assert "Due date moved at Rustam Gusev&#x27;s request: The building permit came late" in page


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "The new due date cannot be in the past."),
        (800, "The milestone cannot be due after the agreement expires"),
    ],
)
def test_a_date_proposal_in_the_past_or_after_the_agreement_expires_is_refused(client, loop, today, days, message):
    loop.open_partner_page(client)
    response = _partner_post(
        client,
        loop,
        "propose",
        loop.one_side,
        {"proposed_due_on": (today + datetime.timedelta(days=days)).isoformat(), "reason": "Late"},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DueDateProposal.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "   "}, "Write a comment or attach a file."),
        ({"body": "x" * 100_000}, "Ensure this value has at most 5000 characters (it has 100000)."),
    ],
)
def test_an_empty_or_huge_comment_is_refused(client, loop, data, message):
    loop.open_partner_page(client)
    response = _partner_post(client, loop, "comment", loop.one_side, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MilestoneComment.objects.exists()


def test_a_disguised_or_oversized_file_is_refused(client, loop, settings):
    loop.open_partner_page(client)
    disguised = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is a program", "application/pdf")
    response = _partner_post(client, loop, "comment", loop.one_side, {"body": "Report", "evidence": disguised})
    assert response.status_code == 400
    assert "The file&#x27;s content is not a PDF document" in response.content.decode()

    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10), "application/pdf")
    response = _partner_post(client, loop, "comment", loop.one_side, {"evidence": big})
    assert response.status_code == 400
    assert "documents may be at most 1 MB" in response.content.decode()
    assert not MilestoneComment.objects.exists()


def test_evidence_is_kept_shown_in_the_thread_and_downloadable_by_both_sides(client, loop):
    loop.open_partner_page(client)
    pdf = SimpleUploadedFile("intake-report.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "application/pdf")
    _partner_post(client, loop, "comment", loop.one_side, {"body": "The report", "evidence": pdf})
    comment = MilestoneComment.objects.get()

    download = client.get(reverse("partners:evidence", args=[loop.one_side.pk, comment.pk]))
    assert download.status_code == 200 and b"%PDF-1.4" in b"".join(download.streaming_content)
    staff = client.__class__()
    staff.force_login(loop.viewer)
    page = staff.get(reverse("partners:staff_milestone", args=[loop.agreement.pk, loop.one_side.pk])).content.decode()
    assert "intake-report.pdf" in page and "Comment by Rustam Gusev" in page


def test_the_staff_member_who_reads_a_digest_gets_the_news_in_it_not_in_an_email_of_its_own(client, loop, today):
    subscription = factories.SubscriptionFactory(person=None, user=loop.editor, delivery=Subscription.Delivery.DIGEST)
    subscription.agreements.add(loop.agreement)
    loop.open_partner_page(client)
    _partner_post(client, loop, "comment", loop.one_side, {"body": "Photos of the intake day"})

    assert not OutgoingEmail.objects.filter(kind="partner_activity").exists()

    from notifications.digests import digests_run

    digests_run(today=today + datetime.timedelta(days=7))
    digest = OutgoingEmail.objects.get(kind="digest", recipient_address=loop.editor.email)
    assert "What partners said:" in digest.text_body
    assert "A comment or file on “Joint incubation intake”" in digest.text_body
    partner_digest = OutgoingEmail.objects.get(kind="digest", recipient_address=loop.partner.email)
    assert "What partners said" not in partner_digest.text_body


def test_digests_and_reminders_to_a_partner_carry_a_working_personal_link(client, loop, today):
    from notifications.digests import digests_run
    from notifications.planning import reminders_plan

    digests_run(today=today)
    reminders_plan(today=loop.one_side.due_on - datetime.timedelta(days=3))
    outbox_deliver()

    to_partner = [message for message in mail.outbox if message.to == [f"Rustam Gusev <{loop.partner.email}>"]]
    assert {message.subject.split(":")[0] for message in to_partner} >= {"Due in 3 days"}
    for message in to_partner:
        # no link into the staff portal, which would ask a partner for a login
        assert f"/agreements/{loop.agreement.pk}/" not in message.body
        url = next(word for word in message.body.split() if "/partner/open/" in word)
        fresh = client.__class__()
        assert fresh.get(url.replace("http://127.0.0.1:8000", "")).status_code == 302
    assert PartnerLink.objects.filter(reason="digest").count() >= 2  # the fixture's and the digest's


def test_two_staff_deciding_at_once_decide_once(client, loop, today):
    loop.open_partner_page(client)
    _partner_post(client, loop, "confirm", loop.one_side, {"completed_on": today.isoformat()})
    confirmation = MilestoneConfirmation.objects.get()
    other_editor = factories.member(loop.himgrad, "editor", username="otto")
    first, second = client.__class__(), client.__class__()
    first.force_login(loop.editor)
    second.force_login(other_editor)

    first.post(reverse("partners:confirmation_decide", args=[confirmation.pk]), {"decision": "accept"})
    response = second.post(
        reverse("partners:confirmation_decide", args=[confirmation.pk]),
        {"decision": "reject", "message": "No"},
        follow=True,
    )

    confirmation.refresh_from_db()
    assert confirmation.status == Decision.ACCEPTED and confirmation.decided_by == loop.editor
    assert "This milestone is already “done”." in response.content.decode()


# --- a fixed number of queries ---------------------------------------------------------------------------


def _more_agreements(loop, count: int) -> None:
    subscription = Subscription.objects.get(person=loop.partner)
    for number in range(count):
        agreement = factories.agreement_with_parties(loop.himgrad, loop.kazan, title=f"More {number}")
        subscription.agreements.add(agreement)
        for due in range(3):
            milestone = factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2027, 1 + due, 1))
            factories.MilestoneCommentFactory(milestone=milestone, person=loop.partner)
            factories.DueDateProposalFactory(milestone=milestone, person=loop.partner)


def test_the_partner_page_and_waiting_for_you_run_the_same_queries_for_1_and_6_agreements(client, loop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client.__class__()
    staff.force_login(loop.editor)
    loop.open_partner_page(client)

    def counts():
        with CaptureQueriesContext(connection) as partner_page:
            assert client.get(reverse("partners:home")).status_code == 200
        with CaptureQueriesContext(connection) as waiting:
            assert staff.get(reverse("partners:waiting")).status_code == 200
        return len(partner_page), len(waiting)

    few = counts()
    _more_agreements(loop, 5)
    many = counts()

    assert many == few
    # Partner page: session, the link, agreements, their parties, milestones, confirmations, proposals,
    # comments. Waiting for you: session, user, park roles, confirmations, proposals, comments.
    assert few == (8, 5)


def test_once_a_side_confirmed_its_page_says_so_instead_of_asking_again(client, loop, today):
    loop.open_partner_page(client)
    _partner_post(client, loop, "confirm", loop.both_sides, {"completed_on": today.isoformat()})

    page = client.get(reverse("partners:milestone", args=[loop.both_sides.pk])).content.decode()

    assert "Your park's confirmation awaits the staff's decision." in page
    assert reverse("partners:confirm", args=[loop.both_sides.pk]) not in page


def test_reminders_of_a_milestone_every_party_confirms_go_to_the_sides_not_confirmed_yet(loop, today):
    from notifications.planning import reminders_plan

    kazan_editor = factories.member(loop.kazan, "editor", username="kamil")
    Milestone.objects.filter(pk=loop.both_sides.pk).update(responsible_person=loop.partner)
    factories.MilestoneConfirmationFactory(
        milestone=loop.both_sides, technopolis=loop.kazan, person=loop.partner, status=Decision.ACCEPTED
    )

    planned = reminders_plan(today=loop.both_sides.due_on - datetime.timedelta(days=3))

    told = {email.recipient.address for email in planned if email.milestone == loop.both_sides}
    assert loop.editor.email in told
    assert loop.partner.email not in told and kazan_editor.email not in told
