"""manage.py backup and restore: a set restores into an empty database, a damaged one is refused."""

import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from psycopg import sql

from search import engine, indexing
from search.queries import LookupQuery
from tests.factories import EnterpriseFactory, ProductFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def file_roots(settings, tmp_path):
    for name in ("MEDIA_ROOT", "OPEN_DATA_ROOT", "REPORTS_PRIVATE_ROOT"):
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
