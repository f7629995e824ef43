"""Bulk exports of every open dataset: CSV (UTF-8 with a BOM) and JSON Lines, with a manifest.

A run writes a complete generation into a hidden folder, renames it into place, then swaps
`manifest.json` with an atomic rename: a download never mixes two runs, and a run that fails
half-way leaves the last good generation published. The previous generation is kept so a
download that began before the swap can finish.

Rows come from the API's own serializers (`datasets.DATASETS`), so the files, the API and the
data dictionary can never disagree about a field.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import logging
import os
import secrets
import shutil
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from portal.inspections.spreadsheets.safety import escape_formula

from .datasets import DATASETS, Dataset

logger = logging.getLogger(__name__)

FORMAT = "anxin-open-data/1"
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
CHUNK = 2000
#: Generations kept on disk: the current one and the one before it.
KEEP = 2
STALE_SECONDS = 24 * 3600


def root() -> Path:
    return Path(settings.OPEN_DATA_ROOT)


def read_manifest() -> dict | None:
    """The manifest of the current generation, or None before the first export."""
    try:
        return json.loads((root() / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def file_path(manifest: dict, relative: str) -> Path:
    """A file named by the manifest, refused if it would resolve outside the export root."""
    base = root().resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base):
        raise ValueError(f"{relative!r} is outside the export folder")
    return path


def csv_cell(value) -> object:
    """One CSV cell: nested values as JSON text, and nothing a spreadsheet would evaluate."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, cls=JSONEncoder)
    return escape_formula(value)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_dataset(dataset: Dataset, folder: Path, generation: str) -> dict:
    """Write `<name>.csv` and `<name>.jsonl` into `folder` in one pass over the rows; their
    manifest entry, with paths in the folder `generation` that `folder` is renamed to."""
    columns = list(dataset.serializer_class().fields)
    csv_path, jsonl_path = folder / f"{dataset.name}.csv", folder / f"{dataset.name}.jsonl"
    count = 0
    with (
        csv_path.open("w", encoding="utf-8-sig", newline="") as csv_file,
        jsonl_path.open("w", encoding="utf-8", newline="\n") as jsonl_file,
    ):
        writer = csv.writer(csv_file)
        writer.writerow(columns)
        for row in dataset.records(CHUNK):
            writer.writerow([csv_cell(row[column]) for column in columns])
            jsonl_file.write(json.dumps(row, ensure_ascii=False, cls=JSONEncoder) + "\n")
            count += 1
    return {
        "name": dataset.name,
        "rows": count,
        "files": [
            {
                "format": path.suffix[1:],
                "path": f"{generation}/{path.name}",
                "bytes": path.stat().st_size,
                "sha256": _sha256(path),
            }
            for path in (csv_path, jsonl_path)
        ],
    }


def export_all(now: datetime.datetime | None = None) -> dict:
    """Write a new generation of every dataset, publish it, prune old ones; the new manifest."""
    now = now or timezone.now()
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    generation = f"{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    partial = base / f".{generation}.partial"
    partial.mkdir()
    try:
        entries = []
        for dataset in DATASETS.values():
            entries.append(write_dataset(dataset, partial, generation))
            logger.info("Exported %s: %d rows", dataset.name, entries[-1]["rows"])
        checksums = "".join(
            f"{file['sha256']}  {Path(file['path']).name}\n"
            for entry in entries
            for file in entry["files"]
        )
        (partial / CHECKSUMS).write_text(checksums, encoding="utf-8")
        folder = partial.rename(base / generation)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    manifest = {
        "format": FORMAT,
        "generation": folder.name,
        "generated_at": now.isoformat(timespec="seconds"),
        "checksums": f"{folder.name}/{CHECKSUMS}",
        "datasets": entries,
    }
    staged = base / f".{MANIFEST}.{generation}"
    staged.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(staged, base / MANIFEST)
    _prune(base, keep=folder.name)
    return manifest


def _prune(base: Path, keep: str) -> None:
    """Remove generations beyond the newest KEEP, and what runs that crashed over a day ago
    left behind (a younger partial folder may belong to a run still in progress)."""
    generations = sorted(
        (path for path in base.iterdir() if path.is_dir() and not path.name.startswith(".")),
        reverse=True,
    )
    for old in generations[KEEP:]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
    stale = timezone.now().timestamp() - STALE_SECONDS
    for leftover in base.glob(".*"):
        if leftover.stat().st_mtime < stale:
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
