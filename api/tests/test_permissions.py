"""Who may do what through the API: anonymous, viewer, editor, outsider and admin on every endpoint.

The same world as the portal's permission matrix: park A is the reader's park (viewer and editor),
park B the outsider's (an editor of another park). `ac` is confidential between A and C, `bc_secret`
confidential between B and C (it does not exist for A's people), `bc_public` public between B and
C. Missing credentials answer 401, a record one may not see 404, one seen but not changeable 403.
"""

import datetime

import pytest
from rest_framework.test import APIClient

from agreements.models import Agreement, Milestone
from api.services import api_token_create
from parks.models import Membership
from residents.models import IntellectualProperty, ResidentCompany
from tests import factories

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "viewer", "editor", "outsider", "admin")


@pytest.fixture
def world():
    park_a = factories.TechnopolisFactory(name="Innopolis Alpha", slug="alpha")
    park_b = factories.TechnopolisFactory(name="Technopolis Beta", slug="beta")
    park_c = factories.TechnopolisFactory(name="Technopark Gamma", slug="gamma")
    agreements = {
        "ac": factories.agreement_with_parties(park_a, park_c, reference="AC-1", status="negotiation"),
        "bc_secret": factories.agreement_with_parties(park_b, park_c, reference="BC-1", status="negotiation"),
        "bc_public": factories.agreement_with_parties(
            park_b, park_c, reference="BC-2", status="negotiation", is_public=True
        ),
    }
    milestones = {
        key: factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2027, 3, 1))
        for key, agreement in agreements.items()
    }
    company_a = factories.ResidentCompanyFactory(technopolis=park_a, name="Alpha Robotics")
    company_b = factories.ResidentCompanyFactory(technopolis=park_b, name="Beta Optics")
    users = {
        "anonymous": None,
        "viewer": factories.member(park_a, Membership.Role.VIEWER, username="viewer"),
        "editor": factories.member(park_a, Membership.Role.EDITOR, username="editor"),
        "outsider": factories.member(park_b, Membership.Role.EDITOR, username="outsider"),
        "admin": factories.UserFactory(username="admin", is_staff=True),
    }
    return {
        "parks": {"a": park_a, "b": park_b, "c": park_c},
        "agreements": agreements,
        "milestones": milestones,
        "companies": {"a": company_a, "b": company_b},
        "ip": {
            "a": factories.IntellectualPropertyFactory(company=company_a),
            "b": factories.IntellectualPropertyFactory(company=company_b),
        },
        "users": users,
    }


_clients: dict[int, APIClient] = {}


def client_for(user) -> APIClient:
    """A client sending the user's API token (one token per user and test)."""
    client = APIClient()
    if user is not None:
        if user.pk not in _clients:
            _record, token = api_token_create(user=user, name="tests")
            _clients[user.pk] = token
        client.credentials(HTTP_AUTHORIZATION=f"Token {_clients[user.pk]}")
    return client


def outcomes(*codes) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


def statuses(world, method: str, url: str, data=None) -> dict[str, int]:
    return {
        role: getattr(client_for(user), method)(url, data, format="json").status_code
        for role, user in world["users"].items()
    }


@pytest.mark.parametrize("resource", ["parks", "companies", "ip", "agreements", "milestones"])
def test_every_list_needs_a_sign_in_and_is_open_to_everyone_signed_in(world, resource):
    assert statuses(world, "get", f"/api/v1/{resource}/") == outcomes(401, 200, 200, 200, 200)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ac", outcomes(401, 200, 200, 404, 200)),
        ("bc_secret", outcomes(401, 404, 404, 200, 200)),
        ("bc_public", outcomes(401, 200, 200, 200, 200)),
    ],
)
def test_agreements_and_their_milestones_are_read_by_those_who_see_them_in_the_portal(world, key, expected):
    assert statuses(world, "get", f"/api/v1/agreements/{world['agreements'][key].pk}/") == expected
    assert statuses(world, "get", f"/api/v1/milestones/{world['milestones'][key].pk}/") == expected


def test_lists_leave_out_confidential_agreements_of_other_parks(world):
    seen = {
        role: sorted(row["reference"] for row in client_for(user).get("/api/v1/agreements/").json()["results"])
        for role, user in world["users"].items()
        if user is not None
    }
    assert seen == {
        "viewer": ["AC-1", "BC-2"],
        "editor": ["AC-1", "BC-2"],
        "outsider": ["BC-1", "BC-2"],
        "admin": ["AC-1", "BC-1", "BC-2"],
    }


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ac", outcomes(401, 403, 200, 404, 200)),
        ("bc_secret", outcomes(401, 404, 404, 200, 200)),
        ("bc_public", outcomes(401, 403, 403, 200, 200)),
    ],
)
def test_agreements_are_changed_by_editors_of_a_party_park(world, key, expected):
    agreement = world["agreements"][key]
    # Each role reads the version afresh, so that a previous role's save is not a conflict.
    got = {}
    for role, user in world["users"].items():
        version = Agreement.objects.get(pk=agreement.pk).version
        response = client_for(user).patch(
            f"/api/v1/agreements/{agreement.pk}/", {"subject": f"Changed by {role}", "version": version}, format="json"
        )
        got[role] = response.status_code
    assert got == expected
    changed_by = [role for role, code in expected.items() if code == 200]
    assert Agreement.objects.get(pk=agreement.pk).subject == f"Changed by {changed_by[-1]}"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("ac", outcomes(401, 403, 200, 404, 200)),
        ("bc_public", outcomes(401, 403, 403, 200, 200)),
    ],
)
def test_milestones_are_changed_by_editors_of_a_party_park(world, key, expected):
    milestone = world["milestones"][key]
    got = {}
    for role, user in world["users"].items():
        version = Milestone.objects.get(pk=milestone.pk).version
        response = client_for(user).patch(
            f"/api/v1/milestones/{milestone.pk}/", {"title": f"By {role}", "version": version}, format="json"
        )
        got[role] = response.status_code
    assert got == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [("a", outcomes(401, 403, 200, 403, 200)), ("b", outcomes(401, 403, 403, 200, 200))],
)
def test_companies_and_their_ip_are_changed_by_editors_of_their_park(world, key, expected):
    company = world["companies"][key]
    record = world["ip"][key]
    got_company, got_ip = {}, {}
    for role, user in world["users"].items():
        client = client_for(user)
        version = ResidentCompany.objects.get(pk=company.pk).version
        got_company[role] = client.patch(
            f"/api/v1/companies/{company.pk}/", {"staff_count": 10, "version": version}, format="json"
        ).status_code
        version = IntellectualProperty.objects.get(pk=record.pk).version
        got_ip[role] = client.patch(
            f"/api/v1/ip/{record.pk}/", {"title": f"By {role}", "version": version}, format="json"
        ).status_code
    assert got_company == expected
    assert got_ip == expected


def test_only_editors_create_records(world):
    park_a = world["parks"]["a"]
    ac = world["agreements"]["ac"]
    got = {}
    for role, user in world["users"].items():
        client = client_for(user)
        got[role] = (
            client.post(
                "/api/v1/agreements/",
                {"reference": f"NEW-{role}", "title": "New", "parties": [{"technopolis": park_a.pk}]},
                format="json",
            ).status_code,
            client.post(
                "/api/v1/milestones/", {"agreement": ac.pk, "title": "New", "due_on": "2027-01-31"}, format="json"
            ).status_code,
        )
    # The outsider may create agreements (of their own park, hence 400 here) but cannot see A–C.
    assert got == {
        "anonymous": (401, 401),
        "viewer": (403, 403),
        "editor": (201, 201),
        "outsider": (400, 400),
        "admin": (201, 201),
    }


def test_parks_cannot_be_changed_through_the_api(world):
    park = world["parks"]["a"]
    assert statuses(world, "patch", f"/api/v1/parks/{park.pk}/", {"name": "Renamed"}) == outcomes(
        401, 405, 405, 405, 405
    )


def test_nothing_can_be_deleted_through_the_api(world):
    ac = world["agreements"]["ac"]
    assert statuses(world, "delete", f"/api/v1/agreements/{ac.pk}/") == outcomes(401, 405, 405, 405, 405)
    assert Agreement.objects.filter(pk=ac.pk).exists()
