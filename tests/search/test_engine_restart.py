"""The engine really stops and starts again: the outbox keeps every change meanwhile."""

import importlib.util
import socket

import pytest

from portal.registry.models import Enterprise
from search import engine, indexing
from search.documents import alias_name
from search.models import PendingIndexUpdate
from search.queries import LookupQuery
from tests.conftest import ROOT
from tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.search, pytest.mark.slow, pytest.mark.django_db]


def services_module():
    spec = importlib.util.spec_from_file_location("services", ROOT / "scripts" / "services.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def own_node(monkeypatch, settings, tmp_path):
    """A second, private OpenSearch node that this test may stop and start."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("SEARCH_URL", f"http://127.0.0.1:{port}")
    node = services_module().OpenSearch()
    node.install()
    node.workdir = tmp_path / "node"
    node.workdir.mkdir()
    node.start()
    settings.SEARCH_URL = node.url
    settings.SEARCH_INDEX_PREFIX = "anxin-restart"
    yield node
    node.down()


def found_ids(text: str) -> set[int]:
    engine.get_client().indices.refresh(index=alias_name())
    return {hit.object_id for hit in LookupQuery(text).execute().hits}


def names(text: str) -> set[str]:
    return set(Enterprise.objects.filter(pk__in=found_ids(text)).values_list("name", flat=True))


def test_index_converges_after_the_engine_was_down(own_node, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        renamed = EnterpriseFactory(name="上海童乐服饰有限公司")
    indexing.rebuild()
    assert names("童乐服饰") == {"上海童乐服饰有限公司"}

    own_node.process.terminate()
    own_node.process.wait(timeout=60)
    with django_capture_on_commit_callbacks(execute=True):  # the engine is down meanwhile
        EnterpriseFactory(name="上海好学箱包有限公司")
        renamed.name = "上海童悦服饰有限公司"
        renamed.save()
    assert PendingIndexUpdate.objects.count() >= 2

    own_node.start()  # same data folder: the old documents are still there
    assert found_ids("童乐服饰") == {renamed.pk}  # the old name, until the outbox drains
    assert indexing.process_outbox() >= 2
    assert not PendingIndexUpdate.objects.exists()
    assert names("好学箱包") == {"上海好学箱包有限公司"}
    assert names("童悦服饰") == {"上海童悦服饰有限公司"}
    document = engine.get_client().get(index=alias_name(), id=f"enterprise-{renamed.pk}")
    assert document["_source"]["label"] == "上海童悦服饰有限公司"
