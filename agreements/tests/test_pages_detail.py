"""An agreement's page: what it shows, its change history and its query budget."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from agreements.history import agreement_history
from agreements.models import Agreement, InnovationStage, Milestone
from parks.models import Membership
from tests import factories


@pytest.fixture
def frozen_today(monkeypatch, today):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    return today


def detail(client, agreement):
    return client.get(reverse("agreements:detail", args=[agreement.pk]))


def test_the_page_shows_parties_signatories_witnesses_and_the_signing_event(client, world):
    party = world.agreement.parties.get(technopolis=world.park_a)
    party.signatory = factories.PersonFactory(full_name="Ivan Petrov", position="Director")
    party.save()
    party.witnesses.add(factories.PersonFactory(full_name="Party Witness", position=""))
    world.agreement.witnesses.add(factories.PersonFactory(full_name="Minister Sidorov", position=""))
    world.agreement.signing_event = factories.SigningEventFactory(
        name="SPIEF", city="St. Petersburg", held_on=datetime.date(2025, 6, 19)
    )
    world.agreement.save()
    client.force_login(world.viewer)

    response = detail(client, world.agreement)

    for text in (
        "Alpha",
        "Beta",
        "Ivan Petrov, Director",
        "Party Witness",
        "Minister Sidorov",
        "SPIEF, St. Petersburg",
    ):
        assertContains(response, text)


def test_the_page_derives_the_current_term_end_and_the_act_by_date(client, world, frozen_today):
    agreement = world.agreement
    agreement.effective_from = datetime.date(2024, 1, 1)
    agreement.expires_on = datetime.date(2025, 12, 31)
    agreement.renewal = Agreement.Renewal.AUTOMATIC
    agreement.renewal_months = 12
    agreement.notice_period_days = 30
    agreement.save()
    client.force_login(world.viewer)

    response = detail(client, agreement)

    assert response.context["term_end"] == datetime.date(2026, 12, 31)
    assert response.context["act_by"] == datetime.date(2026, 12, 1)
    assertContains(response, "Act by")


def test_the_scope_lists_every_stage_upstream_to_downstream_highlighting_the_covered(client, world):
    covered = factories.InnovationStageFactory(name="Market launch")
    factories.InnovationStageFactory(name="After sales")
    stages = list(InnovationStage.objects.order_by("position"))
    world.agreement.scope.add(covered)
    client.force_login(world.viewer)

    response = detail(client, world.agreement)

    shown = response.context["page"].stages
    assert [item.stage for item in shown] == stages
    assert [item.covered for item in shown] == [stage == covered for stage in stages]
    assertContains(response, 'Market launch<span class="visually-hidden"> (covered)')
    assertContains(response, 'After sales<span class="visually-hidden"> (not covered)')


def test_know_how_of_other_parks_is_only_counted(client, world):
    own = factories.KnowHowFactory(company__technopolis=world.park_a, title="Alpha recipe")
    other = factories.KnowHowFactory(company__technopolis=world.park_b, title="Beta secret")
    world.agreement.know_how.add(own, other)
    client.force_login(world.viewer)

    response = detail(client, world.agreement)

    assertContains(response, "Alpha recipe")
    assertNotContains(response, "Beta secret")
    assertContains(response, "and 1 know-how record of other parks")


def test_missing_data_shows_as_a_warning(client, world):
    world.agreement.status = Agreement.Status.SIGNED
    world.agreement.signed_on = None
    world.agreement.save()
    client.force_login(world.viewer)

    response = detail(client, world.agreement)

    assertContains(response, "Missing data:")
    assertContains(response, "signing date")


def test_milestones_form_a_timeline_by_due_date_with_overdue_ones_in_red(client, world, frozen_today):
    world.milestone.delete()
    factories.MilestoneFactory(agreement=world.agreement, title="Later", due_on=datetime.date(2027, 5, 1))
    factories.MilestoneFactory(agreement=world.agreement, title="Missed", due_on=datetime.date(2026, 10, 1))
    client.force_login(world.viewer)

    response = detail(client, world.agreement)

    rows = response.context["page"].milestones
    assert [(row.milestone.title, row.is_overdue) for row in rows] == [("Missed", True), ("Later", False)]
    assertContains(response, "list-group-item-danger", count=1)
    assertContains(response, '<span class="badge text-bg-danger">overdue</span>', count=1)


def test_the_status_buttons_offer_only_the_allowed_next_statuses(client, world):
    client.force_login(world.editor)

    response = detail(client, world.agreement)

    offered = [status.value for status in response.context["next_statuses"]]
    assert offered == ["draft", "signed"]
    page = response.content.decode()
    assert page.count("/status/?status=") == 2
    for value in ("draft", "signed"):
        assert f'/status/?status={value}"' in page


def test_a_final_agreement_offers_no_status_buttons(client, world):
    Agreement.objects.filter(pk=world.agreement.pk).update(status=Agreement.Status.COMPLETED)
    client.force_login(world.editor)

    response = detail(client, world.agreement)

    assert response.context["next_statuses"] == []
    assertNotContains(response, "Change status")


def test_documents_link_to_the_protected_download(client, world):
    client.force_login(world.viewer)

    response = detail(client, world.agreement)

    assertContains(response, reverse("agreements:document_download", args=[world.agreement.pk, world.document.pk]))
    assertContains(response, "Проект соглашения.pdf")
    assertNotContains(response, "/media/")


def test_the_history_shows_who_changed_what_field_by_field(client, world):
    editor = world.editor
    agreement = world.agreement
    agreement._history_user = editor
    agreement.title = "Renamed laboratory agreement"
    agreement.save()
    world.milestone._history_user = editor
    world.milestone.due_on = datetime.date(2027, 9, 1)
    world.milestone.save()
    client.force_login(world.viewer)

    response = detail(client, agreement)

    history = response.context["page"].history
    changed = [entry for entry in history if entry.action == "changed"]
    assert {entry.subject for entry in changed} == {"Agreement", "Milestone: Open the joint laboratory"}
    title_change = next(entry for entry in changed if entry.subject == "Agreement").changes
    assert [(change.label, change.old, change.new) for change in title_change] == [
        ("title", "Alpha and Beta joint laboratory", "Renamed laboratory agreement")
    ]
    assert all(entry.user == editor for entry in changed)
    assertContains(response, "Renamed laboratory agreement")
    assertContains(response, "editor")


def test_the_history_names_related_records_and_choice_labels(world):
    party = world.agreement.parties.get(technopolis=world.park_b)
    party.technopolis = world.park_c
    party.save()
    Agreement.objects.get(pk=world.agreement.pk)
    agreement = Agreement.objects.get(pk=world.agreement.pk)
    agreement.renewal = Agreement.Renewal.BY_DECISION
    agreement.save()

    entries = agreement_history(agreement)

    changes = {(change.label, str(change.old), str(change.new)) for entry in entries for change in entry.changes}
    assert ("park", "Beta", "Gamma") in changes
    assert ("renewal", "no renewal", "by decision of the parties") in changes


def test_the_history_shows_at_most_twenty_rows_of_each_kind(world):
    for number in range(25):
        world.milestone.title = f"Step {number}"
        world.milestone.save()

    entries = agreement_history(world.agreement)

    assert len([entry for entry in entries if entry.subject.startswith("Milestone")]) == 20


# --- Query budget ----------------------------------------------------------------------------


def _busy_agreement(count: int) -> tuple[Agreement, object]:
    """An agreement with `count` milestones, documents, covered records and history rows."""
    park, partner = factories.TechnopolisFactory(), factories.TechnopolisFactory()
    agreement = factories.agreement_with_parties(park, partner, parent=None)
    agreement.scope.add(*InnovationStage.objects.all()[:2])
    for number in range(count):
        agreement.sectors.add(factories.SectorFactory())
        agreement.witnesses.add(factories.PersonFactory())
        agreement.facilities.add(factories.FacilityFactory(technopolis=park))
        company = factories.ResidentCompanyFactory(technopolis=park)
        agreement.resident_companies.add(company)
        agreement.ip_records.add(factories.IntellectualPropertyFactory(company=company))
        agreement.know_how.add(factories.KnowHowFactory(company=company))
        milestone = factories.MilestoneFactory(agreement=agreement, responsible_technopolis=park)
        milestone.status = Milestone.Status.IN_PROGRESS
        milestone.save()
        factories.AgreementDocumentFactory(agreement=agreement)
        agreement.title = f"Title {number}"
        agreement.save()
    for party in agreement.parties.all():
        party.witnesses.add(factories.PersonFactory())
    factories.AgreementFactory(parent=agreement, parent_relation=Agreement.ParentRelation.AMENDMENT)
    return agreement, park


# session, the user with their park roles (accounts.backends); the agreement (with missing-data annotations and its
# signing event) with, as JSON arrays in its row (common.json_prefetch), its parties with parks and
# signatories, the parties' witnesses, its witnesses, sectors, facilities, companies, IP records,
# know-how, milestones and documents, every innovation stage marked covered or not and the related
# agreements; the history: the latest ids of the agreement, its parties and milestones (one UNION),
# then the rows of each. Whether the user may edit comes from the loaded parties.
# The version of the records the page is kept under (common.page_cache): one more.
# (tests/test_query_budgets.py holds every page's budget.)
DETAIL_QUERIES = 2 + 1 + 4 + 1


@pytest.mark.parametrize("count", [5, 50])
def test_the_page_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries, count, tmp_path):
    agreement, park = _busy_agreement(count)
    client.force_login(factories.member(park, Membership.Role.EDITOR))

    with django_assert_num_queries(DETAIL_QUERIES):
        response = detail(client, agreement)

    assert len(response.context["page"].milestones) == count
    assert len(response.context["page"].history) >= min(count, 20)
