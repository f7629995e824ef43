"""What goes into an import and what comes out: the report every part counts its work in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ..models import SpotCheckBatch
from ..spreadsheets import CellError, SpreadsheetError
from ..spreadsheets.rows import Skipped

MAX_REPORTED_ERRORS = 1000
MAX_REPORTED_AMBIGUITIES = 200


@dataclass
class BatchDetails:
    """What the editor states about the notice at upload; the spreadsheet rarely says it."""

    notice_number: str
    title: str
    authority: str
    year: int
    level: str = SpotCheckBatch.Level.CITY
    published_on: date | None = None
    district: str = ""  # District.code
    category: int | None = None  # ProductCategory id
    standards_cited: str = ""
    status: str = SpotCheckBatch.Status.PUBLISHED

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BatchDetails:
        published = data.get("published_on")
        return cls(**{**data, "published_on": published and date.fromisoformat(str(published))})

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "published_on": self.published_on and self.published_on.isoformat()}


@dataclass
class ImportReport:
    """What an import did (or, for a preview, would do)."""

    total_rows: int = 0
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    enterprises_created: int = 0
    agencies_created: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)
    warning_count: int = 0
    barcodes_created: int = 0
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    ambiguous_count: int = 0
    file_error: dict[str, Any] | None = None
    duplicate_of: str = ""
    same_content: bool = False  # the duplicate is a different file with the same content
    batch_id: int | None = None
    version: int | None = None
    skipped: dict[str, int] = field(default_factory=dict)  # rows without a sample, by reason
    # [row, reason, the row's text], the first 1,000
    skipped_rows: list[list[Any]] = field(default_factory=list)

    @property
    def samples(self) -> int:
        """Distinct samples in the file that land (rows of one sample count once)."""
        return self.created + self.updated + self.unchanged

    @property
    def landed(self) -> int:
        """Results this import writes or confirms: none when anything stops it."""
        return self.samples if self.ok else 0

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())

    @property
    def ok(self) -> bool:
        return not (self.error_count or self.file_error or self.duplicate_of)

    @property
    def changes_nothing(self) -> bool:
        """Whether the file, applied to its batch, would change no stored row."""
        written = (
            self.created,
            self.updated,
            self.removed,
            self.enterprises_created,
            self.agencies_created,
            self.barcodes_created,
        )
        return self.ok and not any(written)

    def count_skipped(self, skipped: Skipped) -> None:
        self.skipped = dict(skipped.counts)
        self.skipped_rows = [list(skipped_row) for skipped_row in skipped.rows]

    def add_error(self, error: CellError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(asdict(error))

    def add_warning(self, warning: CellError) -> None:
        """A problem that does not stop the import, e.g. a barcode with a wrong check digit."""
        self.warning_count += 1
        if len(self.warnings) < MAX_REPORTED_ERRORS:
            self.warnings.append(asdict(warning))

    def add_ambiguous(self, rows: list[int], name: str, candidates: list[int]) -> None:
        """A producer name several enterprises share: left unlinked, listed for an editor."""
        self.ambiguous_count += 1
        if len(self.ambiguous) < MAX_REPORTED_AMBIGUITIES:
            self.ambiguous.append({"rows": rows, "name": name, "candidates": candidates})

    def refuse(self, error: SpreadsheetError) -> None:
        """The whole file is refused, e.g. not a spreadsheet or a badly encoded row."""
        self.file_error = {
            "code": error.code,
            "row": error.row,
            "column": error.column,
            "reason_zh": error.message_zh,
            "reason_en": error.message_en,
        }

    def summary(self) -> dict[str, int]:
        """The counts kept with each imported file (`SourceFile.summary`)."""
        keys = (
            "rows",
            "samples",
            "created",
            "updated",
            "unchanged",
            "removed",
            "enterprises_created",
            "agencies_created",
            "ambiguous_count",
            "barcodes_created",
            "warning_count",
            "skipped_count",
        )
        return {key: getattr(self, key) for key in keys}

    def to_json(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "samples": self.samples,
            "landed": self.landed,
            "skipped_count": self.skipped_count,
        }
