"""Backup sets: a PostgreSQL dump and the file trees, named with SHA-256 in a manifest.

A set is checked whole before restore writes anything, so a missing or altered file is
refused by name instead of half-restoring a portal.
"""

import hashlib
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
DUMP = "database.dump"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message names the cause."""


def file_trees() -> dict[str, Path]:
    """The directories whose files are part of the portal's state, by their name in a set."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "open-data": Path(settings.OPEN_DATA_ROOT),
        "private-media": Path(settings.REPORTS_PRIVATE_ROOT),
    }


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


def write_backup(target: Path) -> dict:
    """Write a set into `target` (new or empty) and return its manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target / DUMP}"])
    for name, root in file_trees().items():
        if root.is_dir():
            shutil.copytree(root, target / "files" / name)
    files = {
        str(path.relative_to(target)): sha256(path)
        for path in sorted(target.rglob("*"))
        if path.is_file()
    }
    manifest = {"created": datetime.now(UTC).isoformat(), "files": files}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest


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


def restore_backup(source: Path) -> None:
    """Rebuild an empty database and empty file trees from a verified set."""
    verify(source)
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
