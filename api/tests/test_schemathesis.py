"""Property-based requests over the whole OpenAPI schema (schemathesis): no answer is a server error.

Requests go to the running portal through its WSGI application, signed in with an API token of an
editor, over a small world (two parks, a company, IP, an agreement with a milestone). Few examples
per operation keep the suite fast; each run draws new ones.
"""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create
from parks.models import Membership
from tests import factories

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def token(db, settings):
    # The throttle is tested elsewhere; here it would only turn requests away with 429.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "100000/minute"}}
    park = factories.TechnopolisFactory()
    partner = factories.TechnopolisFactory()
    editor = factories.member(park, Membership.Role.EDITOR)
    company = factories.ResidentCompanyFactory(technopolis=park)
    factories.IntellectualPropertyFactory(company=company)
    agreement = factories.agreement_with_parties(park, partner, status="negotiation")
    factories.MilestoneFactory(agreement=agreement, due_on=datetime.date(2027, 1, 1))
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


def _load_schema():
    """The schema the portal serves at /api/v1/schema/, generated here so that the test cases exist
    when pytest collects them (before any database or token exists)."""
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_request_the_schema_allows_makes_a_server_error(case, wsgi_app, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_answer_matches_what_the_schema_declares(case, wsgi_app, token):
    """The contract a generated client relies on: status codes, content types, headers and bodies as
    declared (a null where a value is declared non-nullable breaks such a client)."""
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[
            not_a_server_error,
            response_schema_conformance,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
        ],
    )
