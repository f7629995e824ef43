"""Fixtures that bring the real services into tests: PostgreSQL (pytest-django), OpenSearch, Redis.

`make test` starts the services (scripts/services.py) and exports their URLs; nothing here
fakes them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.result import allow_join_result
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from portal.celery import app as celery_app
from search import engine, synonyms

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items):
    """Refuse a transactional test that does not restore the migrations' rows after its flush
    (districts, content types, the page tree): the tests after it would find them gone, or
    clash with the content types the flush recreates under new keys."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty (per-process) cache: a figure cached from one test's
    rolled-back rows must not show in the next."""
    cache.clear()
    synonyms.forget()  # nor the synonym groups compiled from them


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: Django leaves the last request's language
    active in the thread, which would make `reverse()` and messages depend on test order."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def verified_login(client, user) -> None:
    """`client.force_login(user)` with a verified second factor, as after the password and code.

    The admin and the grader portal send a user without one to the second-factor page, so
    tests that open them sign in with this (portal/core/second_factor.py).
    """
    client.force_login(user)
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, signed in with the second factor the admin asks for."""
    verified_login(client, admin_user)
    return client


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening on it, to play a service that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def run_manage():
    """Run manage.py in a fresh process with extra environment, as an operator would."""

    def run(*args: str, env: dict[str, str] | None = None, drop: tuple[str, ...] = ()):
        environment = {k: v for k, v in os.environ.items() if k not in drop}
        environment.update(env or {})
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


@pytest.fixture(scope="session")
def test_database_url(django_db_setup) -> str:
    """The test database as a `DATABASE_URL`, for another process (a worker, a killed writer).

    That process sees only committed data, so tests that use it need `transactional_db`.
    """
    return database_url(connection.settings_dict)  # after django_db_setup: the test database


def database_url(db: dict) -> str:
    """A connection's settings as a `DATABASE_URL`."""
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def start_celery_worker(queue: str, database_url: str, **env: str) -> subprocess.Popen:
    """Start a real Celery worker process consuming only `queue` (so another test run on the
    same Redis cannot take its tasks), on `database_url`; return once it answers a ping."""
    nodename = f"{queue}@{socket.gethostname()}"
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool", "solo"]
    command += ["--without-gossip", "--without-mingle", "--loglevel", "warning"]
    command += ["-n", nodename, "-Q", queue]
    worker = subprocess.Popen(
        command,
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": database_url,
            **env,
        },
    )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[nodename], timeout=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"Celery worker {nodename} did not start (exit {worker.poll()})")
    return worker


def wait_for(condition, what: str, seconds: float = 180):
    """`condition()`'s first true value, asked every 50 ms; fails the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return found


@pytest.fixture(scope="session")
def celery_worker_process(test_database_url):
    """A real Celery worker in its own process, consuming from the Redis broker of the suite,
    on the test database (see `test_database_url`)."""
    name = f"anxin-test-{uuid.uuid4().hex[:8]}"
    worker = start_celery_worker(name, test_database_url)
    try:
        yield worker, name
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture
def tasks_through_redis():
    """Send tasks through the Redis broker instead of running them in-process (eager).

    Waiting on a result is allowed explicitly: Celery's eager mode keeps one process-wide
    "inside a task" flag, which two threads running eager tasks at once (the concurrent
    import tests) can leave set, and `.get()` then refuses to wait."""
    previous, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, False
    with allow_join_result():
        yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def celery_not_eager(celery_worker_process, tasks_through_redis):
    """Send tasks through the broker to the suite's real worker, on its own queue."""
    worker, queue = celery_worker_process
    previous, celery_app.conf.task_default_queue = celery_app.conf.task_default_queue, queue
    yield worker
    celery_app.conf.task_default_queue = previous


@pytest.fixture
def search_prefix(settings):
    """A clean, test-only index prefix; every index under it is deleted afterwards."""
    settings.SEARCH_INDEX_PREFIX = f"anxin-test-{uuid.uuid4().hex[:10]}"
    client = engine.get_client()  # a test may point SEARCH_URL at a closed port meanwhile
    yield settings.SEARCH_INDEX_PREFIX
    client.indices.delete(index=f"{settings.SEARCH_INDEX_PREFIX}-*", ignore_unavailable=True)
