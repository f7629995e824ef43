"""A node of a three-node cluster dies under a lookup load: no citizen lookup fails.

Starts its own cluster (ports 9401-9403, a few minutes on a busy machine), so it runs only by
`make test-cluster` (TEST_CLUSTER=1). The figures it prints are the ones in docs/search.md.
"""

import os
import threading
import time

import pytest
from django.db import connection

from scripts.harness.cluster import Cluster
from search import engine, indexing
from search.documents import alias_name
from search.queries import LookupQuery
from tests.factories import EnterpriseFactory

pytestmark = [
    pytest.mark.search,
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("TEST_CLUSTER"), reason="make test-cluster runs it"),
]

ENTERPRISES = 40


@pytest.fixture
def cluster(settings):
    cluster = Cluster()
    try:
        cluster.up()
        settings.SEARCH_URL = cluster.urls
        settings.SEARCH_REPLICAS = 1
        settings.SEARCH_INDEX_PREFIX = "anxin-cluster-test"
        yield cluster
    finally:
        cluster.down()


class LookupLoad(threading.Thread):
    """Citizens' lookups, one after another, until stopped; keeps every failure."""

    def __init__(self, text: str, expected: int):
        super().__init__(daemon=True)
        self.text, self.expected = text, expected
        self.done, self.failures = 0, []
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            self._lookups()
        finally:
            connection.close()  # queries read synonyms from the database in this thread

    def _lookups(self) -> None:
        while not self.stopping.is_set():
            try:
                total = LookupQuery(self.text).execute().total
            except Exception as error:  # any failure counts, whatever its kind
                self.failures.append(repr(error))
            else:
                if total != self.expected:
                    self.failures.append(f"{total} hits, not {self.expected}")
            self.done += 1


def test_lookups_survive_the_loss_of_a_node(cluster):
    for n in range(ENTERPRISES):
        EnterpriseFactory(name=f"上海童乐服饰{n}号有限公司")
    indexing.rebuild()
    cluster.wait_for("green")
    documents = engine.get_client().count(index=alias_name())["count"]
    assert documents >= ENTERPRISES
    load = LookupLoad("童乐服饰", ENTERPRISES)
    load.start()
    time.sleep(3)

    victim = cluster.primary_holder(alias_name())
    victim.kill()
    killed_at = time.monotonic()
    time.sleep(10)  # lookups meanwhile go to the replica, promoted to primary
    victim.start()
    cluster.wait_for("green")
    back_to_green = time.monotonic() - killed_at
    time.sleep(2)
    load.stopping.set()
    load.join(timeout=30)

    print(
        f"\nnode loss: {load.done} lookups, {len(load.failures)} failed; "
        f"green {back_to_green:.1f} s after the kill (node down 10 s)"
    )
    assert load.done > 20
    assert load.failures == []
    assert engine.get_client().count(index=alias_name())["count"] == documents  # none lost
