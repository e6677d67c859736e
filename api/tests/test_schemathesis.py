"""Property-based requests over the whole OpenAPI schema (schemathesis), with every check it has.

Valid and invalid requests (positive and negative data) go to the portal through its WSGI
application, signed in with an API token of an editor of the seed's Himgrad, over the seed's
world and generated data. Each answer is checked: no server error, status codes, content types,
headers and bodies as the schema declares, invalid data refused, valid data accepted (or refused
by a business rule with its reasons), and more. A stateful run follows the links schemathesis
infers between operations. Few examples per operation keep the suite fast; each run draws new ones.
"""

import datetime
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

from api.services import api_token_create
from demo.seed import load_seed_world
from demo.synthetic import generate_synthetic
from parks.models import Membership, Technopolis
from tests import factories

# Raised for a deeper run: SCHEMATHESIS_EXAMPLES=100 make test (the suite keeps to a few per operation).
EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
STATEFUL_SCENARIOS = int(os.environ.get("SCHEMATHESIS_SCENARIOS", "60"))


@pytest.fixture
def token(db, settings):
    """An editor of the seed's Himgrad, over the seed's world, generated parks, companies, IP,
    agreements and milestones, and a few records of each kind the API reaches."""
    # The throttle is tested elsewhere; here it would only turn requests away with 429.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "100000/minute"}}
    today = timezone.localdate()
    seed_agreement = load_seed_world(today=today)
    generate_synthetic(
        parks=3, residents=6, ip_records=6, agreements=4, milestones=8, subscriptions=2, seed=7, today=today
    )
    himgrad = Technopolis.objects.get(slug="himgrad")
    editor = factories.member(himgrad, Membership.Role.EDITOR, email="editor@himgrad.example.org")
    company = factories.ResidentCompanyFactory(technopolis=himgrad)
    factories.IntellectualPropertyFactory(company=company)
    factories.KnowHowFactory(company=company)
    agreement = factories.agreement_with_parties(himgrad, factories.TechnopolisFactory(), status="negotiation")
    factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2027, 1, 1))
    factories.AgreementDocumentFactory(agreement=seed_agreement)
    factories.SubscriptionFactory().agreements.add(seed_agreement)
    factories.OutgoingEmailFactory(agreement=seed_agreement)
    return api_token_create(user=editor, name="schemathesis")[1]


@pytest.fixture
def wsgi_app(db):
    # As Django's test client does: the requests share the test's database connection and
    # transaction, so the handler must not close that connection at the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schema.app
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# A request the schema allows may still break a business rule (a park or sector id that does not
# exist, an end before a start, a status whose data is missing): the portal answers 400 with the
# reasons, which the schema documents and `a_refusal_says_why` checks. Everything else of
# "positive data acceptance" stands, and a server error is never accepted.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]}}}
)


@schemathesis.check
def a_refusal_says_why(ctx, response, case):
    """A 400 names, for each field at fault (or non_field_errors, or `detail`), what is wrong."""
    if response.status_code != 400:
        return None
    body = response.json()
    if not isinstance(body, dict) or not body:
        raise AssertionError(f"A 400 without reasons: {response.text[:200]}")
    for field, reasons in body.items():
        if not reasons:
            raise AssertionError(f"A 400 names {field!r} without saying what is wrong: {response.text[:200]}")
    return None


def _load_schema():
    """The schema the portal serves at /api/v1/schema/, generated here so that the test cases exist
    when pytest collects them (before any database or token exists)."""
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True), config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_check_schemathesis_has(case, wsgi_app, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, additional_checks=[a_refusal_says_why])


def test_sequences_of_calls_linked_by_the_ids_they_return(wsgi_app, token):
    """Stateful: schemathesis links operations by the ids one answers and another takes (create an
    agreement, read it, change it, mark its milestone done, …) and runs every check on each step."""

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Token {token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # The headers named, as call_and_validate does: the token is the client's own, not generated.
            case.validate_response(
                response, headers=kwargs["headers"], additional_checks=[a_refusal_says_why], transport_kwargs=kwargs
            )

    Workflow.run(
        settings=hypothesis_settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
