"""Object ids and records of another park never leak: pages, CSV exports, downloads, feeds, search.

The world is the permission matrix's (tests/test_permission_matrix.py). Park A's people must never
read anything of the B–C confidential agreement (its reference, title, milestone, document) nor
park B's know-how; park B's editor must never read the A–C confidential agreement nor A's know-how.
Every page a person may open (every GET row of the matrix answering 200 for them), plus searches
and filtered exports, is read whole and searched for those markers.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agreements.models import Agreement
from exchange.services import import_preview
from tests import factories
from tests.support.agreement_pages import new_agreement_data
from tests.support.permission_table import EXPECTATIONS, project_url_names
from tests.support.personas import build_world, log_in
from tests.support.spreadsheets import csv_bytes

SECRETS_OF_B = (
    "BC-SECRET-002",
    "Beta and Gamma confidential plan",
    "Milestone of BC-SECRET-002",
    "Document of BC-SECRET-002",
    "BETA-SECRET-KNOWHOW",
)
SECRETS_OF_A = (
    "AC-SECRET-001",
    "Alpha and Gamma confidential plan",
    "Milestone of AC-SECRET-001",
    "Document of AC-SECRET-001",
    "ALPHA-SECRET-KNOWHOW",
)
SECRETS_HIDDEN_FROM = {"viewer": SECRETS_OF_B, "editor": SECRETS_OF_B, "outsider": SECRETS_OF_A}

# Opened with a secret token (the credential), not a login: checked per token below.
TOKEN_PAGES = {"portal:calendar_feed", "notifications:unsubscribe", "notifications:snooze"}

# Searches and filters that would find the secrets if scoping were missing.
EXTRA_URLS = [
    "/search/?q=SECRET",
    "/search/?q=confidential",
    "/search/?q=plan",
    "/agreements/?q=SECRET",
    "/agreements/?status=negotiation",
    "/exchange/export/agreements.csv?q=SECRET",
    "/exchange/export/agreements.csv?status=negotiation",
    "/agreements/milestones/?q=SECRET",
    "/exchange/export/milestones.csv",
    "/exchange/export/milestones.csv?agreement=AB",
    "/exchange/export/companies.csv",
    "/exchange/export/know-how.csv?q=Beta",
    "/ip/?q=SECRET",
    "/parks/beta/",
    "/parks/alpha/",
    "/parks/gamma/",
]


@pytest.fixture
def world(db):
    world = build_world()
    # Public agreements pointing at the know-how of both parks.
    world.bc_public.know_how.add(world.know_how_b)
    ab_public = factories.agreement_with_parties(
        world.park_a, world.park_b, reference="AB-PUBLIC-004", title="Alpha and Beta open memorandum", is_public=True
    )
    ab_public.know_how.add(world.know_how_a, world.know_how_b)
    # Calendar links for everyone: each feed lists only what its owner may see.
    for user in (world.editor, world.outsider):
        factories.CalendarTokenFactory(user=user)
    # A digest following both confidential agreements, previewed through the public ones.
    both = factories.SubscriptionFactory(person=factories.PersonFactory(full_name="Follows both"))
    both.agreements.add(world.ac, world.bc_secret, world.bc_public, ab_public)
    world.both = both
    world.ab_public = ab_public
    return world


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _leaks(text: str, secrets) -> list[str]:
    return [secret for secret in secrets if secret in text]


def _readable_urls(world, role: str) -> list[str]:
    urls = []
    for row in EXPECTATIONS:
        if row.method != "get" or row.expected[role] != 200 or row.name not in project_url_names():
            continue
        if row.name in TOKEN_PAGES:
            continue  # what they show depends on the token, not on who is signed in
        urls.append(reverse(row.name, args=row.args(world) if row.args else None) + row.query)
    return urls


@pytest.mark.parametrize("role", ["viewer", "editor", "outsider"])
def test_no_page_or_export_a_person_may_open_shows_another_parks_secrets(client, world, role):
    log_in(client, world.user(role))
    secrets = SECRETS_HIDDEN_FROM[role]
    leaks = {}
    for url in _readable_urls(world, role) + EXTRA_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        found = _leaks(body(response), secrets)
        if found:
            leaks[url] = found
    assert not leaks


@pytest.mark.parametrize("role", ["viewer", "editor", "outsider"])
def test_public_agreements_do_not_reveal_other_parks_know_how_or_confidential_followers(client, world, role):
    log_in(client, world.user(role))
    secrets = SECRETS_HIDDEN_FROM[role]
    for agreement in (world.bc_public, world.ab_public):
        # Who follows an agreement and what they were sent: its parties' staff only (issue 14, item 11).
        party = agreement.parties.filter(technopolis__memberships__user=world.user(role)).exists()
        for url, expected in (
            (reverse("agreements:detail", args=[agreement.pk]), 200),
            (reverse("notifications:agreement", args=[agreement.pk]), 200 if party else 403),
            (reverse("notifications:subscription_preview", args=[agreement.pk, world.both.pk]), 200 if party else 403),
        ):
            response = client.get(url)
            assert response.status_code == expected, url
            assert not _leaks(body(response), secrets), url


def _with_confidential_parents(world) -> None:
    """Public agreements that amend or supplement confidential ones, linked by an edit (so in history)."""
    for child, parent in ((world.bc_public, world.bc_secret), (world.ab_public, world.ac)):
        child.parent = parent
        child.parent_relation = Agreement.ParentRelation.SUPPLEMENT
        child.save()


@pytest.mark.parametrize("role", ["viewer", "editor", "outsider"])
def test_a_public_agreement_does_not_name_its_confidential_parent_to_outsiders(client, world, role):
    """The parent shows in "related agreements" only when visible; the history must respect that too."""
    _with_confidential_parents(world)
    log_in(client, world.user(role))
    secrets = SECRETS_HIDDEN_FROM[role]
    for agreement in (world.bc_public, world.ab_public):
        response = client.get(reverse("agreements:detail", args=[agreement.pk]))
        assert response.status_code == 200
        if role != "outsider" and agreement == world.ab_public:
            continue  # A's people see the A–C parent anyway
        assert not _leaks(body(response), secrets), agreement.reference


def test_members_see_their_own_parks_know_how(client, world):
    log_in(client, world.viewer)

    page = body(client.get(reverse("residents:detail", args=[world.company_a.pk])))

    assert "ALPHA-SECRET-KNOWHOW" in page


@pytest.mark.parametrize("role", ["viewer", "editor", "outsider"])
def test_the_calendar_feed_lists_only_milestones_its_owner_may_see(client, world, role):
    from portal.models import CalendarToken

    token = CalendarToken.objects.get(user=world.user(role)).token

    feed = body(client.get(reverse("portal:calendar_feed", args=[token])))

    assert not _leaks(feed, SECRETS_HIDDEN_FROM[role])


@pytest.mark.parametrize("role", ["viewer", "editor", "outsider"])
def test_documents_of_invisible_agreements_are_not_found_by_any_id_combination(client, world, role):
    log_in(client, world.user(role))
    hidden = world.bc_secret if role != "outsider" else world.ac
    document = world.documents["bc_secret" if role != "outsider" else "ac"]
    for agreement_pk in (hidden.pk, world.bc_public.pk, world.ab_public.pk, world.ac.pk, world.bc_secret.pk):
        response = client.get(reverse("agreements:document_download", args=[agreement_pk, document.pk]))
        assert response.status_code == 404, agreement_pk


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_the_dashboard_counts_nothing_of_invisible_agreements(client, world, role):
    log_in(client, world.user(role))

    page = body(client.get(reverse("portal:dashboard")))

    assert not _leaks(page, SECRETS_OF_B)
    assert "AC-SECRET-001" in page or "Milestone of AC-SECRET-001" in page


# --- the importer and the API tell nothing of an agreement the person may not see ----------------


def _row_errors(user, kind: str, rows: list[list[str]], tmp_path) -> list[list[tuple[str, str]]]:
    path = tmp_path / f"{kind}-{len(list(tmp_path.iterdir()))}.csv"
    path.write_bytes(csv_bytes(rows))
    report = import_preview(user=user, kind=kind, path=path, filename=path.name)
    return [row.errors for row in report.rows]


def test_the_milestone_importer_reports_an_invisible_agreement_exactly_like_a_missing_one(world, tmp_path):
    header = ["Agreement reference", "Title", "Due on"]
    secret = _row_errors(world.outsider, "milestones", [header, [world.ac.reference, "Probe", "2026-05-01"]], tmp_path)
    missing = _row_errors(world.outsider, "milestones", [header, ["NO-SUCH-001", "Probe", "2026-05-01"]], tmp_path)

    assert secret[0] and missing[0]
    assert str(secret).replace(world.ac.reference, "REF") == str(missing).replace("NO-SUCH-001", "REF")
    assert world.ac.title not in str(secret)


def test_the_agreement_importer_tells_only_that_the_reference_is_taken_as_the_portal_form_does(client, world, tmp_path):
    header = ["Reference", "Title", "Status", "Parties"]
    row = [world.ac.reference, "Probe", "draft", world.park_b.name]
    errors = str(_row_errors(world.outsider, "agreements", [header, row], tmp_path))
    log_in(client, world.outsider)
    form = client.post(
        reverse("agreements:create"),
        new_agreement_data(world.park_b, world.park_c, reference=world.ac.reference, title="Probe"),
    ).context["form"]

    assert world.ac.title not in errors and "may not edit" not in errors
    assert str(form.errors["reference"][0]) in errors


def test_the_api_answers_an_invisible_agreement_exactly_like_a_missing_one(world):
    api = APIClient()
    api.force_login(world.outsider)

    secret = api.post("/api/v1/milestones/", {"agreement": world.ac.pk, "title": "Probe", "due_on": "2026-05-01"})
    missing = api.post("/api/v1/milestones/", {"agreement": 999999, "title": "Probe", "due_on": "2026-05-01"})

    assert secret.status_code == missing.status_code == 400
    assert str(secret.json()).replace(str(world.ac.pk), "ID") == str(missing.json()).replace("999999", "ID")
    assert api.get(f"/api/v1/agreements/{world.ac.pk}/").status_code == 404
    assert api.get("/api/v1/agreements/999999/").status_code == 404
