"""manage.py backup and restore: a set restores into an empty database and a fresh engine node,
a damaged one is refused."""

import hashlib
import re
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from psycopg import sql

from scripts.harness.servers import OpenSearch
from search import engine, indexing
from search.documents import alias_name
from search.models import PendingIndexUpdate
from search.queries import LookupQuery
from tests.factories import EnterpriseFactory, ProductFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def file_roots(settings, tmp_path):
    for name in ("MEDIA_ROOT", "OPEN_DATA_ROOT", "REPORTS_PRIVATE_ROOT", "PRIVATE_FILES_ROOT"):
        setattr(settings, name, tmp_path / "live" / name.lower())
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "warning.png").write_bytes(b"\x89PNG not really")
    return settings


@pytest.fixture
def empty_database(test_database_url):
    """A new, empty database on the same server, dropped afterwards."""
    name = f"anxin_restore_{uuid.uuid4().hex[:8]}"
    server = test_database_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def restore_env(database_url: str, roots: Path, closed_port: int) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(roots / "media"),
        "OPEN_DATA_ROOT": str(roots / "open-data"),
        "REPORTS_PRIVATE_ROOT": str(roots / "private"),
        "PRIVATE_FILES_ROOT": str(roots / "private-files"),
        "SEARCH_URL": f"http://127.0.0.1:{closed_port}",
    }


def test_restore_rebuilds_rows_and_files(
    file_roots, tmp_path, test_database_url, empty_database, run_manage, closed_port
):
    call_command("backup", str(tmp_path / "set"))

    done = run_manage(
        "restore",
        str(tmp_path / "set"),
        env=restore_env(empty_database, tmp_path / "new", closed_port),
    )

    assert done.returncode == 0, done.stderr
    counts = row_counts(test_database_url)
    assert sum(counts.values()) > 0
    assert row_counts(empty_database) == counts
    restored = tmp_path / "new" / "media" / "images" / "warning.png"
    assert restored.read_bytes() == b"\x89PNG not really"


LOOKUPS = ["童装", "儿童连衣裙", "双星", "童乐"]


def first_results(size: int = 3) -> dict[str, list[tuple[str, int]]]:
    return {
        text: [(hit.kind, hit.object_id) for hit in LookupQuery(text).execute().hits[:size]]
        for text in LOOKUPS
    }


@pytest.fixture
def fresh_prefix(search_prefix, settings):
    """An index prefix nothing has written to yet, for the restored set's lookup index."""
    prefix = f"{search_prefix}-restored"
    yield prefix
    engine.get_client().indices.delete(index=f"{prefix}-*", ignore_unavailable=True)


def test_restored_set_answers_lookups_as_before(
    file_roots, settings, tmp_path, empty_database, run_manage, fresh_prefix
):
    tongle = EnterpriseFactory(name="上海童乐服饰有限公司")
    shuangxing = EnterpriseFactory(name="上海双星童装有限公司")
    ProductFactory(name="儿童连衣裙", brand="童乐", manufacturer=tongle)
    ProductFactory(name="儿童外套", brand="双星", manufacturer=shuangxing)
    indexing.rebuild()
    before = first_results()
    assert all(before.values()), before
    call_command("backup", str(tmp_path / "set"))

    env = restore_env(empty_database, tmp_path / "new", 0)
    env |= {"SEARCH_URL": settings.SEARCH_URL, "SEARCH_INDEX_PREFIX": fresh_prefix}
    done = run_manage("restore", str(tmp_path / "set"), env=env)

    assert done.returncode == 0, done.stderr
    assert "engine: rebuilt from the database (the set has no copy of it)" in done.stdout
    settings.SEARCH_INDEX_PREFIX = fresh_prefix
    assert engine.get_client().indices.exists(index=f"{fresh_prefix}-*")
    assert first_results() == before


@pytest.mark.parametrize("damage", ["alter", "remove"])
def test_damaged_set_is_refused_by_name_and_nothing_is_written(
    damage, file_roots, tmp_path, empty_database, run_manage, closed_port
):
    call_command("backup", str(tmp_path / "set"))
    damaged = tmp_path / "set" / "files" / "media" / "images" / "warning.png"
    if damage == "alter":
        damaged.write_bytes(b"tampered")
    else:
        damaged.unlink()

    done = run_manage(
        "restore",
        str(tmp_path / "set"),
        env=restore_env(empty_database, tmp_path / "new", closed_port),
    )

    assert done.returncode != 0
    assert "files/media/images/warning.png" in done.stderr
    assert row_counts(empty_database) == {}
    assert not (tmp_path / "new" / "media").exists()


# --- Fresh services: an empty database and a second engine node -----------------------------

NODE_PORTS = (9252, 9253)  # this suite's own: the live node and the empty one restored into


@pytest.fixture(scope="module")
def engine_nodes():
    """Two nodes started through the harness, each with its snapshot repository path."""
    nodes = []
    try:
        for port in NODE_PORTS:
            node = OpenSearch()
            node.url, node.port, node.heap = f"http://127.0.0.1:{port}", port, "384m"
            node.up(start_at_set_url=True)
            nodes.append(node)
        yield nodes
    finally:
        for node in nodes:
            node.down()


def checksums(*roots: Path) -> dict[str, str]:
    return {
        f"{n}/{path.relative_to(root)}": hashlib.sha256(path.read_bytes()).hexdigest()
        for n, root in enumerate(roots)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def node_env(node: OpenSearch, prefix: str) -> dict[str, str]:
    return {
        "SEARCH_URL": node.url,
        "SEARCH_SNAPSHOT_PATH": str(node.snapshot_root),
        "SEARCH_INDEX_PREFIX": prefix,
    }


@pytest.fixture
def live_set(file_roots, settings, tmp_path, test_database_url, run_manage, engine_nodes):
    """Lookup data indexed on the live node, its page index, and a backup set of it all."""
    source = engine_nodes[0]
    settings.SEARCH_URL = source.url
    settings.SEARCH_INDEX_PREFIX = f"anxin-backup-{uuid.uuid4().hex[:8]}"
    env = {
        **node_env(source, settings.SEARCH_INDEX_PREFIX),
        "DATABASE_URL": test_database_url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "OPEN_DATA_ROOT": str(settings.OPEN_DATA_ROOT),
        "REPORTS_PRIVATE_ROOT": str(settings.REPORTS_PRIVATE_ROOT),
        "PRIVATE_FILES_ROOT": str(settings.PRIVATE_FILES_ROOT),
    }
    for command in ("search_rebuild", "update_index"):
        assert run_manage(command, env=env).returncode == 0
    tongle = EnterpriseFactory(name="上海童乐服饰有限公司")  # indexed at commit by the outbox
    shuangxing = EnterpriseFactory(name="上海双星童装有限公司")
    ProductFactory(name="儿童连衣裙", brand="童乐", manufacturer=tongle)
    ProductFactory(name="儿童外套", brand="双星", manufacturer=shuangxing)
    done = run_manage("backup", str(tmp_path / "set"), env=env)
    assert done.returncode == 0, done.stderr
    assert "Not in the set" not in done.stderr
    yield tmp_path / "set"
    for node in engine_nodes:
        settings.SEARCH_URL = node.url
        engine.get_client().indices.delete(
            index=f"{settings.SEARCH_INDEX_PREFIX}-*", ignore_unavailable=True
        )


@pytest.mark.search
@pytest.mark.slow
def test_restore_into_fresh_services_matches_rows_files_and_lookups(
    live_set, settings, tmp_path, test_database_url, empty_database, run_manage, engine_nodes
):
    target = engine_nodes[1]
    before = first_results()
    assert all(before.values()), before
    client = engine.get_client()
    pages = client.count(index=f"{settings.SEARCH_INDEX_PREFIX}-wagtail-*")["count"]
    assert pages > 0

    env = restore_env(empty_database, tmp_path / "new", 0)
    env |= node_env(target, settings.SEARCH_INDEX_PREFIX)
    done = run_manage("restore", str(live_set), env=env)

    assert done.returncode == 0, done.stderr
    assert re.search(r"^engine: \d+ indexes restored from the engine snapshot$", done.stdout, re.M)
    assert row_counts(empty_database) == row_counts(test_database_url)
    new = tmp_path / "new"
    assert checksums(new / "media", new / "open-data") == checksums(
        settings.MEDIA_ROOT, settings.OPEN_DATA_ROOT
    )
    settings.SEARCH_URL = target.url
    client = engine.get_client()
    assert client.indices.exists_alias(name=alias_name())
    assert client.count(index=f"{settings.SEARCH_INDEX_PREFIX}-wagtail-*")["count"] == pages
    assert first_results() == before


@pytest.mark.search
@pytest.mark.slow
@pytest.mark.parametrize("damaged", ["database.dump", "snapshot"])
def test_a_set_with_a_damaged_dump_or_snapshot_is_refused_and_nothing_is_written(
    damaged, live_set, settings, tmp_path, empty_database, run_manage, engine_nodes
):
    if damaged == "snapshot":
        damaged = str(
            next(
                p for p in sorted((live_set / "parts" / "engine").rglob("*")) if p.is_file()
            ).relative_to(live_set)
        )
        (live_set / damaged).write_bytes(b"tampered")
    else:
        (live_set / damaged).unlink()
    target = engine_nodes[1]

    env = restore_env(empty_database, tmp_path / "new", 0)
    env |= node_env(target, settings.SEARCH_INDEX_PREFIX)
    done = run_manage("restore", str(live_set), env=env)

    assert done.returncode != 0
    assert damaged in done.stderr
    assert row_counts(empty_database) == {}
    assert not (tmp_path / "new" / "media").exists()
    settings.SEARCH_URL = target.url
    assert engine.get_client().indices.get(index=f"{settings.SEARCH_INDEX_PREFIX}-*") == {}
    assert not target.snapshot_root.exists() or not any(target.snapshot_root.iterdir())


@pytest.mark.search
@pytest.mark.django_db
def test_the_outbox_waits_while_a_backup_holds_the_index(search_prefix, test_database_url):
    indexing.rebuild()
    EnterpriseFactory(name="上海童乐服饰有限公司")  # an outbox row (sent at commit, not here)
    with psycopg.connect(test_database_url, autocommit=True) as backup:
        backup.execute("SELECT pg_advisory_lock(%s)", [indexing.OUTBOX_PAUSE_LOCK])
        assert indexing.process_outbox() == 0
        assert PendingIndexUpdate.objects.count() == 1
        backup.execute("SELECT pg_advisory_unlock(%s)", [indexing.OUTBOX_PAUSE_LOCK])
    assert indexing.process_outbox() == 1
    assert PendingIndexUpdate.objects.count() == 0
