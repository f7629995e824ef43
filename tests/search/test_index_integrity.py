"""Nothing lost between the database and the index: a writer killed after its commit, changes
and deletes made while a rebuild streams older snapshots, and updates made before any index
exists all end up in the index."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction

from portal.grading.models import Submission
from portal.registry.models import Enterprise, Product
from search import engine, indexing, tasks
from search.documents import alias_name
from search.models import PendingIndexUpdate
from tests.factories import (
    EnterpriseFactory,
    ProductFactory,
    SubmissionFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parent.parent.parent
# Later transactional tests restore the database the migrations made (districts, groups).
pytestmark = [pytest.mark.search, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Approves a grade, and dies (SIGKILL) the moment the transaction has committed: the callback
# registered first runs first, before any `on_commit` work the approval itself queued.
APPROVE_THEN_DIE = """
import os, signal, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from portal.grading import review
from portal.grading.models import Submission

submission = Submission.objects.get(pk=int(sys.argv[1]))
reviewer = get_user_model().objects.get(pk=int(sys.argv[2]))
with transaction.atomic():
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
    review.approve(submission, reviewer)
print("still alive")
"""


def document(kind: str, pk: int) -> dict | None:
    """The document the live index holds for an object, or None."""
    client = engine.get_client()
    client.indices.refresh(index=alias_name())
    found = client.get(index=alias_name(), id=f"{kind}-{pk}", ignore=404)
    return found["_source"] if found.get("found") else None


def test_a_grade_approved_by_a_process_killed_after_its_commit_reaches_the_index(
    search_prefix, test_database_url
):
    product = ProductFactory(name="电热水壶", brand="苏泊尔", model_spec="SWF17E-150")
    submission = SubmissionFactory(product=product, grade="A+")
    reviewer = UserFactory(username="审核员-王敏")
    indexing.rebuild()
    assert document("product", product.pk)["grade"] == []

    died = subprocess.run(
        [sys.executable, "-c", APPROVE_THEN_DIE, str(submission.pk), str(reviewer.pk)],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": test_database_url,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert died.returncode == -signal.SIGKILL, died.stderr
    assert "still alive" not in died.stdout
    submission.refresh_from_db()
    assert submission.status == Submission.Status.APPROVED  # committed before it died
    assert PendingIndexUpdate.objects.filter(kind="product", object_id=product.pk).exists()

    assert tasks.process_outbox() >= 1  # what beat runs every minute
    assert document("product", product.pk)["grade"] == [f"{submission.scheme.code}:A+"]
    assert not PendingIndexUpdate.objects.exists()


def test_updates_wait_with_a_warning_until_a_lookup_index_exists(search_prefix, caplog):
    maker = EnterpriseFactory(name="上海晨星文具制造有限公司")
    assert not indexing.write_targets()
    with caplog.at_level(logging.WARNING, logger="search.indexing"):
        assert indexing.process_outbox() == 0
    assert "wait for a lookup index" in caplog.text
    assert PendingIndexUpdate.objects.filter(kind="enterprise", object_id=maker.pk).exists()

    indexing.rebuild()
    Enterprise.objects.filter(pk=maker.pk).update(name="上海晨星文具有限公司")  # no signal
    assert indexing.process_outbox() >= 1  # the waiting row, applied once the index exists
    assert document("enterprise", maker.pk)["name"] == "上海晨星文具有限公司"
    assert not PendingIndexUpdate.objects.exists()


def _change_elsewhere(work) -> None:
    """Commit `work` on another connection, as a web request would while the rebuild's own
    transaction streams its snapshot; the outbox task queued on commit (run at once in tests)
    sends the new state to every lookup index, the one being built included."""
    waiting = []

    def run():
        try:
            with transaction.atomic():
                work()
            waiting.append(PendingIndexUpdate.objects.count())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert waiting == [0], "the changes were not sent to the engine"


def test_a_rebuild_keeps_what_changed_and_what_was_deleted_while_it_ran(search_prefix):
    """Each table is streamed in chunks of 1,000 from a snapshot taken when its query starts;
    objects in a later chunk are changed and deleted, and their new state indexed by the
    outbox, before the stream reaches them."""
    count = indexing.CHUNK + 200
    Enterprise.objects.bulk_create(
        Enterprise(name=f"上海第{n}实业有限公司", uscc=None) for n in range(count)
    )
    firms = list(Enterprise.objects.order_by("pk"))
    renamed_firm, gone_firm = firms[-1], firms[-2]  # neither makes a product
    Product.objects.bulk_create(
        Product(
            name="电动自行车",
            brand=f"绿源{n}",
            model_spec=f"TDT{n:04d}Z",
            manufacturer=firm,
            identity=Product.identity_for(firm.pk, "电动自行车", f"绿源{n}", f"TDT{n:04d}Z"),
        )
        for n, firm in enumerate(firms[:-2])
    )
    products = list(Product.objects.order_by("pk"))
    renamed_product, gone_product = products[-1], products[-3]
    gone_product_maker = gone_product.manufacturer_id
    indexing.rebuild()  # the live index: writes go to it and to the one being built

    def rename_and_delete_firms():
        firm = Enterprise.objects.get(pk=renamed_firm.pk)
        firm.name = "上海绿源电动车有限公司"
        firm.save()
        Enterprise.objects.get(pk=gone_firm.pk).delete()

    def rename_and_delete_products():
        product = Product.objects.get(pk=renamed_product.pk)
        product.name = "新国标电动自行车"
        product.save()
        Product.objects.get(pk=gone_product.pk).delete()

    moments = []

    def between_chunks(done: int) -> None:
        if done == indexing.CHUNK:  # enterprises: the first chunk is built, the rest not
            moments.append(done)
            _change_elsewhere(rename_and_delete_firms)
        if done == count + indexing.CHUNK:  # products, likewise
            moments.append(done)
            _change_elsewhere(rename_and_delete_products)

    built = indexing.rebuild(progress=between_chunks)
    assert moments == [indexing.CHUNK, count + indexing.CHUNK]
    assert list(engine.get_client().indices.get_alias(name=alias_name())) == [built]
    assert document("enterprise", renamed_firm.pk)["name"] == "上海绿源电动车有限公司"
    assert document("enterprise", gone_firm.pk) is None
    assert document("product", renamed_product.pk)["name"] == "新国标电动自行车"
    assert document("product", gone_product.pk) is None
    assert document("enterprise", gone_product_maker) is not None  # only the product went
    assert engine.get_client().count(index=alias_name())["count"] == 2 * count - 4
