"""The API's OpenAPI schema and documentation page, throttling, and its fixed query budgets."""

import datetime

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from parks.models import Membership
from tests import factories
from tests.support.processes import run_python

pytestmark = pytest.mark.django_db


@pytest.fixture
def park():
    return factories.TechnopolisFactory()


@pytest.fixture
def viewer(park):
    return factories.member(park, Membership.Role.VIEWER)


@pytest.fixture
def api(viewer):
    client = APIClient()
    client.force_login(viewer)
    return client


def test_the_schema_describes_every_resource_and_needs_a_sign_in(api):
    assert APIClient().get("/api/v1/schema/").status_code == 401
    response = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for resource in ("parks", "companies", "ip", "agreements", "milestones"):
        assert f"/api/v1/{resource}/" in paths
    assert "/api/v1/agreements/{id}/status/" in paths


def test_the_docs_page_serves_swagger_ui_from_the_portal_itself(client, viewer):
    assert client.get("/api/v1/docs/").status_code == 302
    client.force_login(viewer)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "https://" not in html
    # Scripts only from the portal; the page's inline style block is the one relaxation.
    # The header's directives come in no fixed order: compare them one by one.
    policy = dict(directive.strip().split(" ", 1) for directive in page["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


def test_a_client_over_its_rate_is_answered_429_with_retry_after(api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/minute"}}
    codes = [api.get("/api/v1/parks/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = api.get("/api/v1/parks/")
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()


def test_throttle_counters_live_in_the_shared_cache_that_another_process_reads(api, viewer, settings):
    """With CACHE_URL on Redis, every gunicorn worker (here: a second process) sees the same count."""
    cache_url = "redis://127.0.0.1:6379/13"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url}}
    redis.Redis.from_url(cache_url, socket_connect_timeout=5).flushdb()  # fails loudly without Redis
    for _ in range(2):
        assert api.get("/api/v1/parks/").status_code == 200

    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        f"print(len(cache.get('throttle_user_{viewer.pk}') or []))"
    )
    seen_elsewhere = run_python(code, DEBUG="true", CACHE_URL=cache_url)

    assert seen_elsewhere.stdout.split() == ["2"], seen_elsewhere.stderr
    redis.Redis.from_url(cache_url).flushdb()


def test_the_cache_comes_from_the_environment():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    assert run_python(code, DEBUG="true").stdout.split() == ["django.core.cache.backends.locmem.LocMemCache"]
    shared = run_python(code, DEBUG="true", CACHE_URL="redis://127.0.0.1:6379/1")
    assert shared.stdout.split() == ["django.core.cache.backends.redis.RedisCache"], shared.stderr


def test_the_request_rate_comes_from_the_environment_and_a_bad_one_stops_the_start():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.API_THROTTLE_RATE)"
    result = run_python(code, DEBUG="true", API_THROTTLE_RATE="30/hour")
    assert result.stdout.split() == ["30/hour"], result.stderr
    result = run_python(code, DEBUG="true", API_THROTTLE_RATE="fast")
    assert result.returncode != 0
    assert "API_THROTTLE_RATE must look like 120/minute" in result.stderr


def _populate(park, size: int) -> None:
    partner = factories.TechnopolisFactory()
    sector = factories.SectorFactory()
    for n in range(size):
        company = factories.ResidentCompanyFactory(technopolis=park)
        company.sectors.add(sector)
        factories.IntellectualPropertyFactory(company=company)
        agreement = factories.agreement_with_parties(park, partner, status="negotiation")
        agreement.sectors.add(sector)
        factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2027, 1, 1) + datetime.timedelta(days=n))


def _queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


# Every list: session, user, count, page; then parks: sectors; companies: sectors; IP: nothing
# more; agreements: the user's parks, the filter's years, parties, sectors, scope, the parties'
# witnesses, the witnesses, facilities, companies, IP, know-how and the know-how the reader may see;
# milestones: the user's parks.
BUDGETS = [
    ("/api/v1/parks/", 5),
    ("/api/v1/companies/?sort=name", 5),
    ("/api/v1/ip/", 4),
    ("/api/v1/agreements/?sort=-signed_on", 15),
    ("/api/v1/milestones/?overdue=no", 4),
]


@pytest.mark.parametrize(("url", "budget"), BUDGETS)
def test_a_list_costs_the_same_queries_for_2_rows_and_for_12(api, park, url, budget):
    _populate(park, 2)
    assert _queries(api, url) == budget
    _populate(park, 10)
    assert _queries(api, url) == budget


# --- The contract a generated client relies on (issue 19) ----------------------------------------


def schema_of(api) -> dict:
    return api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()


def test_a_change_needs_the_version_and_the_schema_says_so(api):
    schema = schema_of(api)
    body = schema["paths"]["/api/v1/agreements/{id}/"]
    put = body["put"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    patch = body["patch"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    post = schema["paths"]["/api/v1/agreements/"]["post"]["requestBody"]["content"]["application/json"]["schema"]

    assert "version" in schema["components"]["schemas"][put]["required"]
    assert "version" in schema["components"]["schemas"][patch]["required"]
    assert "version" not in schema["components"]["schemas"][post["$ref"].rsplit("/", 1)[1]].get("required", [])


def test_the_archived_filter_is_a_word_not_a_date(api):
    parameters = schema_of(api)["paths"]["/api/v1/agreements/"]["get"]["parameters"]

    archived = next(parameter for parameter in parameters if parameter["name"] == "archived")
    assert archived["schema"] == {"type": "string", "enum": ["all", "no", "yes"], "default": "no"}


def test_unknown_values_come_back_as_the_schema_declares_them(api, park):
    park.ownership, park.website = "", ""
    park.save()
    factories.agreement_with_parties(park, factories.TechnopolisFactory(), reference="NO-MILESTONE")

    shown = api.get(f"/api/v1/parks/{park.pk}/").json()
    agreement = api.get("/api/v1/agreements/", {"q": "NO-MILESTONE"}).json()["results"][0]

    assert (shown["ownership"], shown["website"]) == ("", None)
    assert agreement["next_milestone_on"] is None
    declared = schema_of(api)["components"]["schemas"]
    assert declared["Agreement"]["properties"]["next_milestone_on"]["nullable"] is True
    assert declared["Park"]["properties"]["website"]["nullable"] is True


@pytest.mark.parametrize("path", ["/api/v1/agreements/not-a-number/", "/api/v1/no-such-resource/"])
def test_an_unknown_api_address_answers_json(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}
