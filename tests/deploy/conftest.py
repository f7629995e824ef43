"""The demo site's fixtures, shared with the content tests, and committed database access."""

import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from tests.conftest import database_url
from tests.content.conftest import demo_pages, make_warning, site  # noqa: F401 (fixtures)


def _use_database(name: str) -> None:
    """Point the default connection at `name`, as Django's test runner does for its database."""
    connections.close_all()
    connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = name


def _create_database(name: str, template: str = "template0") -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def _drop_database(name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def migrated_database(django_db_setup, django_db_blocker):
    """A migrated database of the deploy tests' own, copied for each module; dropped after.

    Not pytest-django's test database: that is created only when a selected test asks for
    `db`, so a `pytest -m deploy` run would otherwise write to (and empty) DATABASE_URL's."""
    outer = connection.settings_dict["NAME"]
    name = f"{outer}_deploy_{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        _create_database(name)
        try:
            _use_database(name)
            call_command("migrate", verbosity=0, interactive=False)
            _use_database(outer)
            yield name
        finally:
            _use_database(outer)
            _drop_database(name)


@pytest.fixture(scope="module")
def committed(migrated_database, django_db_blocker):
    """A fresh migrated database whose writes are committed, so gunicorn (another process)
    sees them; yields its `DATABASE_URL`. Dropped after the module, and the connection
    pointed back where it was."""
    outer = connection.settings_dict["NAME"]
    name = f"{migrated_database}_{uuid.uuid4().hex[:4]}"
    with django_db_blocker.unblock():
        connections.close_all()
        _create_database(name, template=migrated_database)
        try:
            _use_database(name)
            yield database_url(connection.settings_dict)
        finally:
            _use_database(outer)
            _drop_database(name)
