"""A web process imports its views and freezes them before the first request."""

import gc
import os
import subprocess
import sys

import pytest

from portal.core.startup import load_and_freeze


def test_a_web_process_loads_its_views_and_puts_them_out_of_the_collectors_reach():
    gc.unfreeze()
    try:
        load_and_freeze()
        assert {"portal.urls", "search.views", "pypinyin"} <= set(sys.modules)
        # pypinyin's dictionaries alone are some 200,000 objects.
        assert gc.get_freeze_count() > 200_000
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("entry", ["portal.wsgi", "portal.asgi"])
def test_the_production_entry_points_do_it(entry):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",  # unreachable: logged, not fatal
        "ALLOWED_HOSTS": "anxin.example.gov.cn",
        "EMAIL_URL": "smtp://127.0.0.1:1",  # not connected at start-up either
        "PORTAL_BASE_URL": "https://anxin.example.gov.cn",
        "PERSONAL_DATA_KEYS": "fnBhxs3rr0GZK5jJpVjGCt4zqUK2UFo4GVsvO1G0Ow4=",
        "PERSONAL_DATA_HASH_KEY": "y" * 40,
    }
    code = f"import gc, {entry}; print(gc.get_freeze_count())"
    frozen = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert int(frozen.stdout) > 200_000
