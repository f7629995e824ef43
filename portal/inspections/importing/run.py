"""The orchestration and the flush: one transaction per file, the batch and its new version,
and each chunk of samples matched, compared and written with bulk queries."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction

from portal.core.bulk import copy_insert
from portal.registry.models import District, ProductCategory

from ..models import FailedItem, ResultRevision, SourceFile, SpotCheckBatch, SpotCheckResult
from ..signals import results_written
from ..spreadsheets import FIELDS, CellError, ParsedSample, SpreadsheetError, parse_spreadsheet
from ..spreadsheets.plausibility import date_warnings
from .matching import Matcher
from .products import link_products, register_barcodes
from .report import BatchDetails, ImportReport
from .results import RESULT_FIELDS, Changes, diff, length_errors, revision_of

CHUNK_SIZE = 1000
UPDATED_ALSO = ("product_id", "row_numbers", "version", "seen_in_version", "removed_in_version")


class _Rollback(Exception):
    """Raised inside the transaction to undo a preview or a refused file."""


def run_import(
    fileobj,
    filename: str,
    details: BatchDetails,
    *,
    commit: bool,
    user=None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Apply a spreadsheet to its batch; keep the changes only if `commit` and no row is wrong."""
    report = ImportReport()
    try:
        sheet = parse_spreadsheet(fileobj, filename, max_bytes=settings.IMPORT_MAX_BYTES)
    except SpreadsheetError as error:
        report.refuse(error)
        return report
    with sheet, contextlib.suppress(_Rollback):
        report.total_rows = sheet.total_rows
        with transaction.atomic():
            _queue_behind_same_file(sheet.sha256)
            earlier = SourceFile.objects.filter(sha256=sheet.sha256).select_related("batch").first()
            if earlier:
                report.duplicate_of = str(earlier)
                report.batch_id, report.version = earlier.batch_id, earlier.version
                return report
            batch, version, created = _batch_for(details)
            report.batch_id, report.version = (None if created else batch.pk), version
            applier = _Applier(batch, version, report, sheet.mapping)
            try:
                for chunk in _chunks(sheet.samples(), CHUNK_SIZE):
                    applier.apply(chunk)
                    report.rows = sheet.rows_read
                    if on_progress:
                        on_progress(sheet.rows_read, sheet.total_rows)
            except SpreadsheetError as error:  # met mid-stream, e.g. a badly encoded row
                report.refuse(error)
            report.count_skipped(sheet.skipped)
            applier.remove_unlisted()
            if not created and report.changes_nothing:
                _same_content(report, batch, version - 1)
            if not (commit and report.ok):
                raise _Rollback
            fileobj.seek(0)
            source = SourceFile(
                batch=batch,
                version=version,
                original_name=Path(filename).name,
                sha256=sheet.sha256,
                imported_by=user,
                summary=report.summary(),
            )
            source.file.save(Path(filename).name, File(fileobj), save=False)
            source.save()
            report.batch_id = batch.pk
    return report


def _queue_behind_same_file(sha256: str) -> None:
    """Imports of one file wait here for each other until commit (a PostgreSQL advisory lock),
    so the second finds the first's `SourceFile` and ends as a duplicate instead of failing on
    its unique SHA-256. SQLite (`make run`) has one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [sha256])


def _same_content(report: ImportReport, batch: SpotCheckBatch, current: int) -> None:
    """A file (of any encoding or format) saying what the current version says: nothing
    changes, no version, no "corrected" mark; reported like a repeated file."""
    report.duplicate_of = str(batch.source_files.filter(version=current).first() or batch)
    report.same_content = True
    report.batch_id, report.version = batch.pk, current
    raise _Rollback


def _chunks(items: Iterable[ParsedSample], size: int) -> Iterator[list[ParsedSample]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _batch_for(details: BatchDetails) -> tuple[SpotCheckBatch, int, bool]:
    """The batch this file belongs to (a corrected file reuses it) and the new version."""
    batch = (
        SpotCheckBatch.objects.select_for_update()
        .filter(authority=details.authority, notice_number=details.notice_number)
        .first()
    )
    district = District.objects.filter(code=details.district).first() if details.district else None
    category = (
        ProductCategory.objects.filter(pk=details.category).first() if details.category else None
    )
    created = batch is None
    if created:
        batch = SpotCheckBatch(authority=details.authority, notice_number=details.notice_number)
        status = details.status
    else:
        public = SpotCheckBatch.PUBLIC_STATUSES
        status = SpotCheckBatch.Status.CORRECTED if batch.status in public else batch.status
    batch.title, batch.year, batch.level = details.title, details.year, details.level
    batch.published_on = details.published_on or batch.published_on
    batch.standards_cited = details.standards_cited or batch.standards_cited
    batch.district = district or batch.district
    batch.category = category or batch.category
    batch.status = status
    batch.version += 1
    batch.save()
    return batch, batch.version, created


class _Applier:
    """Passes each chunk of one batch version through matching and diff, then flushes it."""

    def __init__(self, batch: SpotCheckBatch, version: int, report: ImportReport, mapping):
        self.batch, self.version, self.report = batch, version, report
        self.columns = {canonical: name for name, canonical in mapping.items() if canonical}
        self.matcher = Matcher(report, batch.category_id)
        self.lot_column = self.columns.get("lot", FIELDS["lot"][0])

    def dates(self, sample: ParsedSample) -> list[CellError]:
        return date_warnings(
            sample.rows[0], sample.production_date, sample.extra, self.lot_column, self.batch.year
        )

    def apply(self, samples: list[ParsedSample]) -> None:
        valid: dict[str, ParsedSample] = {}  # the parser gives each sample its own key
        for sample in samples:
            errors = sample.errors + length_errors(sample, self.columns)
            for error in errors:
                self.report.add_error(error)
            for warning in sample.warnings + self.dates(sample):
                self.report.add_warning(warning)
            if not errors:
                valid[sample.key()] = sample
        if valid:
            changes = diff(self.batch, self.version, valid, self.matcher.links([*valid.values()]))
            barcoded = [
                (changes.results[k], s) for k, s in valid.items() if s.values.get("barcode")
            ]
            self._flush(changes, barcoded)

    def _flush(self, changes: Changes, barcoded: list[tuple[SpotCheckResult, ParsedSample]]):
        written = [result for result, _ in changes.new + changes.changed]
        link_products(written)
        SpotCheckResult.objects.copy_create([result for result, _ in changes.new])
        if changes.changed:
            changed = [result for result, _ in changes.changed]
            SpotCheckResult.objects.bulk_update(changed, [*RESULT_FIELDS, *UPDATED_ALSO])
            FailedItem.objects.filter(result__in=changed).delete()
        if changes.unchanged:
            SpotCheckResult.objects.filter(pk__any=changes.unchanged).update(
                seen_in_version=self.version
            )
        ResultRevision.objects.bulk_create(changes.revisions)
        items = []
        for result, result_items in changes.new + changes.changed:
            for item in result_items:
                item.result = result
                items.append(item)
        copy_insert(FailedItem, items)
        results_written.send(
            sender=SpotCheckResult,
            product_ids={r.product_id for r in written if r.product_id}
            | register_barcodes(barcoded, self.report, self.columns.get("barcode", "")),
            enterprise_ids={r.producer_id for r in written if r.producer_id},
        )
        self.report.created += len(changes.new)
        self.report.updated += len(changes.changed)
        self.report.unchanged += len(changes.unchanged)

    def remove_unlisted(self) -> None:
        """Samples an earlier version listed and this file does not: kept, marked removed."""
        gone = SpotCheckResult.current.filter(batch=self.batch).exclude(
            seen_in_version=self.version
        )
        results_written.send(
            sender=SpotCheckResult,
            product_ids=set(gone.exclude(product=None).values_list("product_id", flat=True)),
            enterprise_ids=set(gone.exclude(producer=None).values_list("producer_id", flat=True)),
        )
        ResultRevision.objects.bulk_create(
            revision_of(result) for result in gone.prefetch_related("failed_items")
        )
        self.report.removed = gone.update(removed_in_version=self.version)
