"""gunicorn's `preload_app` forks workers after the master has asked the engine: a worker must
not use the master's pooled connections (two processes on one socket read each other's
answers)."""

from __future__ import annotations

import os

import pytest

from search import engine, pages

pytestmark = pytest.mark.search


def _in_child(check) -> int:
    """Run `check` in a forked child; its exit code: 0 when it held."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os._exit(0 if check() else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_a_forked_worker_opens_its_own_engine_connections(search_prefix):
    parent = engine.get_client()
    assert parent.info()["version"]["number"]  # the master's pool now holds a live socket
    parent_pages = pages._engine_backend(pages._config())
    assert engine.get_client() is parent  # one client per process…

    def own_clients() -> bool:
        child = engine.get_client()
        return (
            child is not parent
            and pages._engine_backend(pages._config()) is not parent_pages
            and bool(child.info()["version"]["number"])
        )

    assert _in_child(own_clients) == 0  # …and a new one in a forked child
    assert engine.get_client() is parent
