"""The suite runs against real services: these tests fail if any of them is faked."""

import os
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from portal.core.tasks import ping
from search import engine


@pytest.mark.django_db
def test_postgresql_stores_and_returns_a_row():
    assert connection.vendor == "postgresql"
    get_user_model().objects.create_user(username="检查员", password="x")
    assert get_user_model().objects.get(username="检查员").check_password("x")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 15


@pytest.mark.search
def test_opensearch_indexes_and_finds_a_document():
    assert engine.engine_info()["distribution"] == "opensearch"

    class Probe(engine.dsl.Document):
        name = engine.dsl.Text(analyzer="cjk")

        class Index:
            name = engine.index_name(f"harness-{uuid.uuid4().hex[:8]}")

    Probe.init()
    try:
        Probe(name="海尔集团电热水器").save(refresh=True)
        Probe(name="美的电饭煲").save(refresh=True)
        hits = Probe.search().query("match", name="海尔").execute()
        assert [hit.name for hit in hits] == ["海尔集团电热水器"]
    finally:
        Probe._index.delete()


@pytest.mark.celery
def test_a_task_runs_in_a_real_worker_through_redis(celery_not_eager):
    assert ping.app.connection_for_write().transport_cls == "redis"
    result = ping.delay()
    answer = result.get(timeout=30)
    assert answer["pid"] == celery_not_eager.pid
    assert answer["pid"] != os.getpid()
