"""The engine's part of a backup set: a snapshot of the lookup index and Wagtail's page index.

The node writes the snapshot into a fresh folder of its snapshot repository path
(`path.repo`, which the portal sees as `SEARCH_SNAPSHOT_PATH`); the backup copies that folder
into the set and removes it. Restore copies it back under the new node's path and restores
the indexes with their aliases, under the new environment's prefix, then sends what the
restored outbox holds. Without a snapshot, or with no engine, the lookup index is rebuilt
from the database instead.

Consistency with the dump: the outbox is paused (`indexing.OUTBOX_PAUSE_LOCK`) from before
the database snapshot until the engine snapshot is done, so every change the index lacks is
still an outbox row in the dump; and every document's version was taken from the sequence
before `pg_dump` read it, so the restored sequence stays above them (decision 0010).
"""

from __future__ import annotations

import re
import shutil
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from portal.core.backup import Skipped
from search import engine, indexing
from search.documents import alias_name

SNAPSHOT = "portal"


def _repository_root() -> Path:
    if not settings.SEARCH_SNAPSHOT_PATH:
        raise Skipped("SEARCH_SNAPSHOT_PATH is not set (the node's path.repo)")
    return Path(settings.SEARCH_SNAPSHOT_PATH)


@contextmanager
def _repository(folder: Path, **repository_settings):
    """`folder` registered as a filesystem snapshot repository for the time of the block."""
    client = engine.maintenance_client()
    name = f"{settings.SEARCH_INDEX_PREFIX}-{folder.name}"
    try:
        client.snapshot.create_repository(
            repository=name,
            body={"type": "fs", "settings": {"location": str(folder), **repository_settings}},
        )
    except engine.ENGINE_ERRORS as error:
        raise Skipped(f"the engine refused the snapshot repository {folder}: {error}") from error
    try:
        yield client, name
    finally:
        client.snapshot.delete_repository(repository=name)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")


class EngineSnapshot:
    """Registered with `portal.core.backup` by `SearchConfig.ready()`."""

    @contextmanager
    def paused(self):
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [indexing.OUTBOX_PAUSE_LOCK])
            try:
                yield
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [indexing.OUTBOX_PAUSE_LOCK])

    def write(self, folder: Path) -> dict:
        """The live lookup index (not one a rebuild is filling) and Wagtail's indexes."""
        location = _repository_root() / f"backup-{_stamp()}"
        try:
            client = engine.maintenance_client()
            found = client.indices.get_alias(
                index=f"{alias_name()}-*,{settings.SEARCH_INDEX_PREFIX}-wagtail-*"
            )
            indexes = {
                index: sorted(entry["aliases"])
                for index, entry in found.items()
                if entry["aliases"] or not index.startswith(alias_name())
            }
            if not indexes:
                raise Skipped("the engine has no index to copy")
            with _repository(location) as (client, repository):
                done = client.snapshot.create(
                    repository=repository,
                    snapshot=SNAPSHOT,
                    body={"indices": ",".join(indexes), "include_global_state": False},
                    wait_for_completion=True,
                )["snapshot"]
                if done["state"] != "SUCCESS":
                    raise Skipped(f"the engine snapshot ended {done['state']}")
                shutil.copytree(location, folder)
        except engine.ENGINE_ERRORS as error:
            raise Skipped(f"the engine could not take a snapshot: {error}") from error
        finally:
            shutil.rmtree(location, ignore_errors=True)
        return {"prefix": settings.SEARCH_INDEX_PREFIX, "indexes": indexes}

    def restore(self, folder: Path, entry: dict) -> str:
        location = _repository_root() / f"restore-{_stamp()}"
        old, new = entry["prefix"], settings.SEARCH_INDEX_PREFIX

        def renamed(name: str) -> str:
            return new + name.removeprefix(old)

        try:
            client = engine.maintenance_client()
            names = {
                *entry["indexes"],
                *(a for aliases in entry["indexes"].values() for a in aliases),
            }
            taken = sorted(renamed(n) for n in names if client.indices.exists(index=renamed(n)))
            if taken:
                raise Skipped(f"the engine already has {', '.join(taken)}")
            shutil.copytree(folder, location)
            with _repository(location, readonly=True) as (client, repository):
                client.snapshot.restore(
                    repository=repository,
                    snapshot=SNAPSHOT,
                    body={
                        "indices": ",".join(entry["indexes"]),
                        "include_global_state": False,
                        "include_aliases": False,
                        "rename_pattern": f"{re.escape(old)}(.+)",
                        "rename_replacement": f"{new}$1",
                    },
                    wait_for_completion=True,
                )
            client.indices.update_aliases(
                body={
                    "actions": [
                        {"add": {"index": renamed(index), "alias": renamed(alias)}}
                        for index, aliases in entry["indexes"].items()
                        for alias in aliases
                    ]
                }
            )
            while indexing.process_outbox():
                pass
        except engine.ENGINE_ERRORS as error:
            raise Skipped(f"the engine could not restore the snapshot: {error}") from error
        finally:
            shutil.rmtree(location, ignore_errors=True)
        return f"{len(entry['indexes'])} indexes restored from the engine snapshot"

    def rebuild(self, reason: str) -> str:
        try:
            engine.engine_info()
        except (engine.WrongEngine, *engine.ENGINE_ERRORS) as error:
            return f"not restored ({reason}), and no engine to rebuild into: {error}"
        call_command("search_rebuild", verbosity=0)
        call_command("update_index", verbosity=0)
        return f"rebuilt from the database ({reason})"
