"""The demo site (registry, spot checks, pages in three languages, draws, reports, surveys,
subscriptions), loaded once for this package: it takes a minute."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def demo_site(django_db_setup, django_db_blocker):
    """Loaded in a transaction rolled back after the package; each test runs in a savepoint
    inside it (pytest-django's `db`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--scale", "0.01", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def site(demo_site, db):
    """The demo site, for a test that may write (each test's changes are rolled back)."""
