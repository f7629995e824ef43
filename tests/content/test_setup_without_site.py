"""`setup_editorial` on a database without pages (a module of its own: the other modules
here share one demo site per module)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command


def test_setup_without_a_home_page_says_so_and_writes_nothing(db):
    with pytest.raises(CommandError, match="No home page yet"):
        call_command("setup_editorial")
    assert not Group.objects.filter(name__in=["editor", "reviewer", "administrator"]).exists()
