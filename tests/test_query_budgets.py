"""Query budgets: every page and the e-mail runs cost the same number of queries with little and more data.

The data comes from the demo generator (as in bench/run.py) at two sizes; a page whose count grows
with the data (an N+1) or exceeds its budget fails here. Timing belongs to the benchmark, not here.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, Milestone
from demo.synthetic import generate_synthetic
from notifications.delivery import outbox_deliver
from notifications.digests import digests_plan
from notifications.planning import reminders_plan
from parks.models import Membership, Technopolis
from residents.models import ResidentCompany
from tests import factories
from tests.support.smtp import Mailbox, smtp_server, use_smtp

SIZES = {
    "small": {"parks": 3, "residents": 12, "ip_records": 12, "agreements": 6, "milestones": 30, "subscriptions": 4},
    "larger": {"parks": 6, "residents": 90, "ip_records": 90, "agreements": 60, "milestones": 600, "subscriptions": 40},
}

# Common to every page of a signed-in editor: the session, and the user with their park roles (one
# query, accounts.backends; parks.access.park_roles asks no more).
SIGNED_IN = 2

# What each page reads besides, and how many queries that takes.
# The version of the records a kept page is kept under (common.page_cache).
VERSION = 1

# A page made (the first request after a change).
BUDGETS = {
    "dashboard": SIGNED_IN + VERSION + 6,
    "agreement list": SIGNED_IN + VERSION + 5,
    "agreement list filtered": SIGNED_IN + VERSION + 6,
    "agreement page": SIGNED_IN + VERSION + 1 + 4,
    "milestone list": SIGNED_IN + VERSION + 3,
    "park page": SIGNED_IN + VERSION + 5,
    "park list": SIGNED_IN + 4,
    "resident list": SIGNED_IN + VERSION + 5,
    "company page": SIGNED_IN + VERSION + 1 + 5,
    "ip list": SIGNED_IN + VERSION + 3,
    "ip page": SIGNED_IN + 3,
    "search": SIGNED_IN + VERSION + 2,
}

# The same page served again while nothing changed: its body is kept, the navigation is made.
KEPT_BUDGETS = {
    "dashboard": SIGNED_IN + VERSION,
    "agreement list": SIGNED_IN + VERSION,
    "agreement list filtered": SIGNED_IN + VERSION,
    "agreement page": SIGNED_IN + VERSION,
    "milestone list": SIGNED_IN + VERSION,
    "park page": SIGNED_IN + VERSION,
    "resident list": SIGNED_IN + VERSION,
    "company page": SIGNED_IN + VERSION,
    "ip list": SIGNED_IN + VERSION,
    "search": SIGNED_IN + VERSION,
}


def _world(size: str, today: datetime.date) -> dict:
    generate_synthetic(**SIZES[size], seed=7, today=today)
    park = Technopolis.objects.filter(is_synthetic=True).order_by("pk").first()
    agreement = Agreement.objects.filter(parties__technopolis=park).order_by("pk").first()
    # Bulk inserts write no history: a few saves give each history panel rows to show.
    for number in range(3):
        agreement.subject = f"Revision {number}"
        agreement.save()
        milestone = agreement.milestones.order_by("pk").first()
        milestone.title = f"Revision {number}"
        milestone.save()
        party = agreement.parties.order_by("pk").first()
        party.role = f"role {number}"
        party.save()
    company = ResidentCompany.objects.filter(technopolis=park).order_by("pk").first()
    company.staff_count = 7
    company.save()
    factories.ProductFactory(company=company)
    factories.KnowHowFactory(company=company)
    record = factories.IntellectualPropertyFactory(company=company)
    record.title = "Revised title"
    record.save()
    return {"park": park, "agreement": agreement, "company": company, "ip": record}


def _pages(world: dict) -> dict[str, str]:
    park = world["park"]
    return {
        "dashboard": reverse("portal:dashboard"),
        "agreement list": reverse("agreements:list"),
        "agreement list filtered": f"{reverse('agreements:list')}?status=active&park={park.pk}&sort=-expires_on",
        "agreement page": reverse("agreements:detail", args=[world["agreement"].pk]),
        "milestone list": reverse("agreements:milestones"),
        "park page": reverse("parks:detail", args=[park.slug]),
        "park list": reverse("parks:list"),
        "resident list": reverse("residents:list"),
        "company page": reverse("residents:detail", args=[world["company"].pk]),
        "ip list": reverse("ip:list"),
        "ip page": reverse("ip:detail", args=[world["ip"].pk]),
        "search": f"{reverse('portal:search')}?q=Synthetic",
    }


def _page_queries(client, pages: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(captured)
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
def test_every_page_stays_within_its_query_budget_whatever_the_data(client, today, size):
    world = _world(size, today)
    client.force_login(factories.member(world["park"], Membership.Role.EDITOR))

    pages = _pages(world)
    made = _page_queries(client, pages)
    kept = _page_queries(client, {name: pages[name] for name in KEPT_BUDGETS})

    assert made == BUDGETS
    assert max(made.values()) <= 10
    assert kept == KEPT_BUDGETS


def _digest_run_queries(today: datetime.date) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        planned = digests_plan(today=today)
    return len(captured), len(planned)


def _reminder_sweep_queries(today: datetime.date) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        planned = reminders_plan(today=today)
    return len(captured), len(planned)


@pytest.mark.django_db
@pytest.mark.parametrize("size", SIZES)
def test_the_digest_run_and_the_reminder_sweep_run_a_fixed_number_of_queries(today, size):
    generate_synthetic(**SIZES[size], seed=7, today=today)
    # Something due tomorrow in every agreement: every digest and the sweep have news.
    for agreement in Agreement.objects.filter(is_synthetic=True):
        factories.MilestoneFactory(agreement=agreement, due_on=today + datetime.timedelta(days=1))

    digest_queries, digests = _digest_run_queries(today)
    sweep_queries, reminders = _reminder_sweep_queries(today)

    assert digests == SIZES[size]["subscriptions"]
    assert reminders >= Milestone.objects.filter(due_on=today + datetime.timedelta(days=1)).count()
    # Digests: subscriptions, their parks, their agreements, existing digests, previous digests, the
    # agreements of the parks, agreements, their milestones, savepoint, claims insert, claims read,
    # outbox insert, outbox ids, covered agreements insert, savepoint release.
    assert digest_queries == 15
    # Sweep: the milestones to remind about, the parties' confirmations of them, the agreements with
    # dates, the audience (party parks, park staff, each-event subscriptions with parks and agreements),
    # the e-mails already planned, the claims (insert, read), the outbox insert and which rows it
    # wrote, inside a savepoint.
    assert sweep_queries == 13


@pytest.mark.django_db
@pytest.mark.parametrize(("emails", "batch_size", "batches"), [(4, 50, 1), (40, 50, 1), (40, 10, 4)])
def test_delivery_runs_a_fixed_number_of_queries_per_batch_and_one_per_message(settings, emails, batch_size, batches):
    mailbox = Mailbox()
    factories.OutgoingEmailFactory.create_batch(emails)
    with smtp_server(mailbox) as port, CaptureQueriesContext(connection) as captured:
        use_smtp(settings, port)
        report = outbox_deliver(batch_size=batch_size)

    assert report.sent == len(mailbox.raw) == emails
    # The stale rows released; per batch: the claim (select for update, update, in a savepoint here)
    # and the suppressed addresses among its recipients; per message: the update that records it sent
    # as soon as the server accepted it; the last, empty claim.
    assert len(captured) == 1 + 5 * batches + emails + 3


@pytest.mark.django_db
def test_the_lists_light_filter_forms_offer_every_choice_and_keep_what_was_chosen(client, today):
    # The filter forms are drawn by portal_tags.filter_field, not crispy-forms' per-option templates.
    world = _world("small", today)
    park = world["park"]
    client.force_login(factories.member(park, Membership.Role.EDITOR))

    html = client.get(f"{reverse('agreements:list')}?status=active&park={park.pk}&q=<b>").content.decode()
    ip_html = client.get(f"{reverse('ip:list')}?expiring=on").content.decode()

    assert '<label for="id_park" class="form-label">Party</label>' in html
    assert f'<option value="{park.pk}" selected>{park}</option>' in html
    assert '<option value="active" selected>active</option>' in html
    assert html.count('<option value="" selected>') == 4  # kind, year, sector and sort left open
    park_select = html[html.index('<select name="park"') :].split("</select>")[0]
    assert park_select.count("<option") == Technopolis.objects.count() + 1  # every park, and "any"
    assert 'name="q" value="&lt;b&gt;"' in html
    assert 'type="checkbox" name="expiring"' in ip_html and "checked" in ip_html
