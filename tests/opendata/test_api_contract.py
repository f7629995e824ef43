"""Contract tests generated from the OpenAPI schema (schemathesis): every /api/v1/ operation,
called with generated parameters against real rows, answers without a server error and as
the schema says (status codes, content types, bodies and headers)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portal.wsgi import application

pytestmark = pytest.mark.django_db

# Read from the running application, so the test checks the schema clients download.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(
    path_regex="^/api/v1/"
)


@pytest.fixture
def through_wsgi(settings):
    """Call the WSGI application the way Django's test client does: without closing the
    database connection at each request (it holds the test's transaction), and without the
    rate limit (generated requests are not its test)."""
    settings.OPEN_API_RATE_LIMIT = "100000/min"
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    # The rows are built once per module and only read: examples share them on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, api_rows, through_wsgi):
    # Filter values are checked beyond what a schema can say (check digits, known district
    # and category codes), so a schema-valid value may rightly be a 400.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
