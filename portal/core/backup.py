"""Backup sets: a PostgreSQL dump, the file trees and what apps add (the search engine's
snapshot), named with SHA-256 in a manifest.

A set is checked whole before restore writes anything, so a missing or altered file is
refused by name instead of half-restoring a portal.

Apps add derived state through `register_part` (search registers its engine snapshot), so the
core knows no app: a part may hold its writers still while the database snapshot is taken, so
that the set's copy of it matches the dump.
"""

import hashlib
import json
import os
import shutil
import subprocess
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import connection, transaction

MANIFEST = "manifest.json"
DUMP = "database.dump"
PARTS = "parts"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message names the cause."""


class Skipped(Exception):
    """A part that cannot be written or restored now; the message says why."""


class BackupPart(Protocol):
    """State an app keeps outside the database and the file trees."""

    def paused(self):
        """A context in which the part's writers wait, entered before the database snapshot
        is taken and left once `write` is done."""

    def write(self, folder: Path) -> dict:
        """Write the part into `folder`; return what restore needs, or raise `Skipped`."""

    def restore(self, folder: Path, entry: dict) -> str:
        """Bring the part back from `folder` into the restored database's services, or raise
        `Skipped`; returns what it did."""

    def rebuild(self, reason: str) -> str:
        """Rebuild the part from the restored database instead; returns what it did."""


_parts: dict[str, BackupPart] = {}


def register_part(name: str, part: BackupPart) -> None:
    _parts[name] = part


def file_trees() -> dict[str, Path]:
    """The directories whose files are part of the portal's state, by their name in a set
    (a directory two settings share is copied once)."""
    trees: dict[str, Path] = {}
    for name, root in (
        ("media", settings.MEDIA_ROOT),
        ("open-data", settings.OPEN_DATA_ROOT),
        ("private-media", settings.REPORTS_PRIVATE_ROOT),
        ("private-files", settings.PRIVATE_FILES_ROOT),
    ):
        if Path(root) not in trees.values():
            trees[name] = Path(root)
    return trees


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_environment() -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"] or "",
        "PGPASSWORD": db["PASSWORD"] or "",
        "PGDATABASE": db["NAME"],
    }


def _run(command: list[str]) -> None:
    # The command is pg_dump or pg_restore with paths and names from settings, not user input.
    result = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def write_backup(target: Path) -> tuple[dict, list[str]]:
    """Write a set into `target` (new or empty); return its manifest and what was skipped.

    The parts' writers are held (`paused`) from before the database snapshot is taken until
    the parts are written, and `pg_dump` reads that same snapshot (`pg_export_snapshot`), so
    a part's copy holds nothing the dump lacks, and the dump records what the copy lacks.
    """
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    parts, skipped = {}, []
    with transaction.atomic(), ExitStack() as paused:
        for part in _parts.values():
            paused.enter_context(part.paused())
        with connection.cursor() as cursor:
            # Importable by pg_dump while this transaction is open.
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        for name, part in _parts.items():
            try:
                parts[name] = part.write(target / PARTS / name)
            except Skipped as reason:
                skipped.append(f"{name}: {reason}")
        paused.close()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={target / DUMP}",
            ]
        )
    for name, root in file_trees().items():
        if root.is_dir():
            shutil.copytree(root, target / "files" / name)
    files = {
        str(path.relative_to(target)): sha256(path)
        for path in sorted(target.rglob("*"))
        if path.is_file()
    }
    manifest = {"created": datetime.now(UTC).isoformat(), "files": files, "parts": parts}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest, skipped


def verify(source: Path) -> dict:
    """The set's manifest, once every file it names is present and unchanged."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source / MANIFEST} is missing or unreadable: {error}") from error
    for relative, expected in manifest["files"].items():
        path = source / relative
        if not path.is_file():
            raise BackupError(f"{relative} is missing from the backup")
        if sha256(path) != expected:
            raise BackupError(f"{relative} does not match its SHA-256 in the manifest")
    listed = set(manifest["files"]) | {MANIFEST}
    for path in source.rglob("*"):
        if path.is_file() and str(path.relative_to(source)) not in listed:
            raise BackupError(f"{path.relative_to(source)} is not in the manifest")
    return manifest


def restore_backup(source: Path) -> list[str]:
    """Rebuild an empty database and empty file trees from a verified set, then each part
    from its copy, or from the database when the set has none or it cannot be restored;
    returns what was done for each part."""
    manifest = verify(source)
    if connection.introspection.table_names():
        raise BackupError(f"database {connection.settings_dict['NAME']} is not empty")
    for name, root in file_trees().items():
        if (source / "files" / name).is_dir() and root.is_dir() and any(root.iterdir()):
            raise BackupError(f"{root} is not empty")
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source / DUMP),
        ]
    )
    for name, root in file_trees().items():
        if (source / "files" / name).is_dir():
            shutil.copytree(source / "files" / name, root, dirs_exist_ok=True)
    done = []
    for name, part in _parts.items():
        entry = manifest.get("parts", {}).get(name)
        try:
            if entry is None:
                raise Skipped("the set has no copy of it")
            done.append(f"{name}: {part.restore(source / PARTS / name, entry)}")
        except Skipped as reason:
            done.append(f"{name}: {part.rebuild(str(reason))}")
    return done
