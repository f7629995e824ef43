"""Production routing: every task lands on one of the named queues the systemd workers consume."""

import pytest
from celery import Celery

from portal.celery import app as portal_app
from portal.settings import base
from scripts.harness.deploy import QUEUES, exec_start


@pytest.fixture(scope="module")
def production_router():
    """A router with the production routes (the test settings route to one queue per run)."""
    app = Celery("routes-check", set_as_current=False)  # not the app shared_task binds to
    app.conf.task_routes = base.CELERY_TASK_ROUTES
    return app.amqp.router


def test_every_portal_task_goes_to_a_named_queue(production_router):
    portal_app.loader.import_default_modules()
    names = [name for name in portal_app.tasks if not name.startswith("celery.")]
    assert len(names) >= 9
    queues = {name: production_router.route({}, name)["queue"].name for name in names}
    unrouted = {name: queue for name, queue in queues.items() if queue not in QUEUES}
    assert unrouted == {}, "route these tasks in CELERY_TASK_ROUTES"


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("search.tasks.process_outbox", "indexing"),
        ("portal.inspections.tasks.commit_import", "imports"),
        ("portal.subscriptions.tasks.deliver", "email"),
        ("portal.exchange.tasks.pull_partner", "exchange"),
        ("portal.reports.tasks.erase_expired_contact_details", "indexing"),
    ],
)
def test_queue_of_each_kind_of_task(production_router, task, queue):
    assert production_router.route({}, task)["queue"].name == queue


def test_every_queue_has_a_worker_unit(tmp_path):
    command = exec_start("anxin-worker@.service", tmp_path, "email")
    assert command[command.index("-Q") + 1] == "email"
    assert "%" not in " ".join(command)
