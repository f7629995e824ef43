"""Index on commit through the outbox; nothing lost while the engine is down; rebuilds swap."""

import datetime
from pathlib import Path

import pytest

from portal.inspections.importing import BatchDetails, run_import
from portal.inspections.models import Outcome
from portal.registry.models import Enterprise
from search import engine, indexing
from search.documents import alias_name
from search.models import PendingIndexUpdate
from search.queries import LookupQuery
from tests.factories import (
    EnterpriseFactory,
    LicenceFactory,
    ProductBarcodeFactory,
    ProductFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
)

pytestmark = [pytest.mark.search, pytest.mark.django_db]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "spreadsheets"


def found(text: str) -> list[tuple[str, int]]:
    engine.get_client().indices.refresh(index=alias_name())
    return [(hit.kind, hit.object_id) for hit in LookupQuery(text).execute().hits]


def test_changes_reach_the_index_after_commit(search_prefix, django_capture_on_commit_callbacks):
    indexing.rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        enterprise = EnterpriseFactory(name="上海申缆电线有限公司")
        LicenceFactory(enterprise=enterprise, number="XK06-001-00085")
    assert found("申缆电线") == [("enterprise", enterprise.pk)]
    assert found("XK06-001-00085") == [("enterprise", enterprise.pk)]
    assert not PendingIndexUpdate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        enterprise.delete()
    assert found("申缆电线") == []


def test_nothing_is_lost_while_the_engine_is_down(
    search_prefix, settings, closed_port, django_capture_on_commit_callbacks
):
    indexing.rebuild()
    live_url = settings.SEARCH_URL
    settings.SEARCH_URL = f"http://127.0.0.1:{closed_port}"  # the engine is unreachable
    with django_capture_on_commit_callbacks(execute=True):
        enterprise = EnterpriseFactory(name="上海格力空调销售有限公司")
    assert PendingIndexUpdate.objects.filter(object_id=enterprise.pk).exists()
    settings.SEARCH_URL = live_url  # back up: the periodic task catches up
    assert found("格力空调") == []
    assert indexing.process_outbox() >= 1
    assert found("格力空调") == [("enterprise", enterprise.pk)]
    assert not PendingIndexUpdate.objects.exists()


def test_an_import_is_indexed_in_bulk(search_prefix, django_capture_on_commit_callbacks):
    indexing.rebuild()
    details = BatchDetails(
        notice_number="沪市监质〔2019〕12号",
        title="儿童用品",
        authority="上海市市场监督管理局",
        year=2019,
        published_on="2019-04-15",
    )
    with (
        (FIXTURES / "import_v1.csv").open("rb") as handle,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run_import(handle, "import_v1.csv", details, commit=True).ok
    tongle = Enterprise.objects.get(name="上海童乐服饰有限公司")
    assert ("enterprise", tongle.pk) in found("童乐服饰")
    hits = LookupQuery("连衣裙", {"latest_outcome": ["fail"]}).execute()
    assert [h.kind for h in hits.hits] == ["product"]


def test_rebuild_swaps_the_alias_and_drops_the_old_index(search_prefix):
    EnterpriseFactory(name="上海海尔电器有限公司")
    first = indexing.rebuild()
    assert found("海尔")
    second = indexing.rebuild()
    client = engine.get_client()
    assert list(client.indices.get_alias(name=alias_name())) == [second]
    assert not client.indices.exists(index=first)
    assert found("海尔")


def test_rebuild_command(search_prefix, capsys, settings, closed_port):
    from django.core.management import call_command

    EnterpriseFactory(name="上海海尔电器有限公司")
    call_command("search_rebuild", verbosity=0)
    assert "alias swapped" in capsys.readouterr().out
    assert found("海尔电器")
    settings.SEARCH_URL = f"http://127.0.0.1:{closed_port}"
    call_command("search_rebuild", "--if-available", verbosity=0)
    assert "uses the database" in capsys.readouterr().out


def test_a_rebuild_streams_the_same_documents_the_outbox_builds(db):
    """The rebuild reads each table once in id order and deals rows out per owner; the outbox
    builds a few documents by id. Owners with several, one and no rows must get their own."""
    makers = EnterpriseFactory.create_batch(3)
    LicenceFactory(enterprise=makers[0], number="XK06-001-00001")
    LicenceFactory(enterprise=makers[2], number="XK06-001-00003")
    LicenceFactory(enterprise=makers[2], number="XK06-001-00004")
    kettle, lamp, cot = (
        ProductFactory(name=name, manufacturer=maker)
        for name, maker in (("电热水壶", makers[0]), ("台灯", makers[1]), ("婴儿床", makers[2]))
    )
    ProductBarcodeFactory(product=kettle, gtin="6901234567892")
    older = SpotCheckBatchFactory(year=2018, published_on=datetime.date(2018, 5, 1))
    newer = SpotCheckBatchFactory(year=2019, published_on=datetime.date(2019, 5, 1))
    SpotCheckResultFactory(batch=older, product=kettle, producer=makers[0], outcome=Outcome.PASS)
    SpotCheckResultFactory(batch=newer, product=kettle, producer=makers[0], outcome=Outcome.FAIL)
    SpotCheckResultFactory(batch=newer, product=cot, producer=makers[2])
    SpotCheckResultFactory(batch=newer, product=None, producer=None)  # matched to no one

    streamed = [*indexing.enterprise_documents(), *indexing.product_documents()]
    one_by_one = [
        *(d for m in makers for d in indexing.enterprise_documents([m.pk])),
        *(d for p in (kettle, lamp, cot) for d in indexing.product_documents([p.pk])),
    ]
    by_id = {d["_id"]: d for d in streamed}
    assert streamed == one_by_one
    kettle_doc = by_id[f"product-{kettle.pk}"]
    assert (kettle_doc["latest_outcome"], kettle_doc["years"]) == ("fail", [2018, 2019])
    assert "06901234567892" in kettle_doc["codes"]  # as GTIN-14
    assert by_id[f"product-{lamp.pk}"]["latest_outcome"] == "none"
    licensed, unlicensed = (by_id[f"enterprise-{m.pk}"]["codes"] for m in (makers[2], makers[1]))
    assert {"XK0600100003", "XK0600100004"} <= set(licensed)  # loose: no dashes
    assert not [code for code in unlicensed if code.startswith("XK")]


def test_make_runs_rebuild_is_skipped_only_while_the_index_is_current(search_prefix):
    from io import StringIO

    from django.core.management import call_command

    EnterpriseFactory(name="上海恒泰电器有限公司")
    built = indexing.rebuild()
    out = StringIO()
    call_command("search_rebuild", "--if-stale", stdout=out)
    assert "current" in out.getvalue()
    assert indexing.write_targets() == [built]
    Enterprise.objects.bulk_create([Enterprise(name="上海晨星文具制造有限公司")])  # no signal
    call_command("search_rebuild", "--if-stale", stdout=StringIO())
    assert indexing.write_targets() != [built]
    assert indexing.is_current(2)
