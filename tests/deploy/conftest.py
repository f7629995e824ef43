"""The demo site's fixtures, shared with the content tests, and committed database access."""

import pytest
from django.core.management import call_command

from tests.content.conftest import demo_pages, make_warning, site  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    """Database access whose writes are committed, so gunicorn (another process) sees them;
    the tables are emptied after the module."""
    with django_db_blocker.unblock():
        yield
        call_command("flush", "--noinput", verbosity=0)
