"""The demo site's fixtures, shared with the content tests."""

from tests.content.conftest import demo_pages, make_warning, site  # noqa: F401 (fixtures)
