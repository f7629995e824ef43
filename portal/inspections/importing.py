"""Import of published spot-check result spreadsheets into the registry.

One code path does both the preview and the commit: `run_import` applies the whole file
inside one transaction and, for a preview (or when any row is wrong), rolls it back. What
the preview reports is therefore exactly what the commit does, and a file with a single bad
row writes nothing.

Rows are streamed from the parser and applied in chunks with bulk queries, so memory stays
flat and a 100,000-row file needs a few hundred queries, not hundreds of thousands.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, astuple, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction

from portal.core.text import fold
from portal.registry.models import District, Enterprise, Product, ProductBarcode, ProductCategory
from portal.registry.validators import stored_forms

from .models import (
    FailedItem,
    InspectionAgency,
    ProducerMatch,
    ResultRevision,
    SourceFile,
    SpotCheckBatch,
    SpotCheckResult,
)
from .signals import results_written
from .spreadsheets import CellError, ParsedSample, SpreadsheetError, parse_spreadsheet
from .spreadsheets.barcodes import read_barcodes

CHUNK_SIZE = 1000
MAX_REPORTED_ERRORS = 1000
MAX_REPORTED_AMBIGUITIES = 200

# Test items whose failure is a hazard to the user rather than a quality shortfall.
SAFETY_ITEM_KEYWORDS = tuple(
    fold(word)
    for word in (
        "邻苯二甲酸酯",
        "绳带",
        "甲醛",
        "可分解致癌芳香胺",
        "燃烧性能",
        "阻燃",
        "电气强度",
        "泄漏电流",
        "接地",
        "过充电保护",
        "短路保护",
        "过放电保护",
        "总迁移量",
        "重金属",
        "铅",
        "镉",
        "锐利边缘",
        "锐利尖端",
        "小零件",
        "ph值",
        "防触电",
        "耐热",
        "刹车",
        "制动",
        "爆炸",
        "着火",
        "绝缘",
        "导体电阻",
    )
)

#: Fields of a result compared between versions; a change in any makes an update.
RESULT_FIELDS = (
    "sample_name",
    "nominal_brand",
    "nominal_model",
    "lot_raw",
    "production_date",
    "lot_number",
    "producer_name",
    "producer_address",
    "producer_disputed",
    "sampled_unit_name",
    "sampled_unit_address",
    "channel",
    "listing_url",
    "outcome",
    "remarks",
    "extra",
    "initial_agency_id",
    "retest_agency_id",
    "producer_id",
    "producer_match",
    "producer_candidates",
    "sampled_unit_id",
    "category_id",
)
UPDATED_ALSO = ("product_id", "row_numbers", "version", "seen_in_version", "removed_in_version")


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
        data = dict(data)
        if data.get("published_on"):
            data["published_on"] = date.fromisoformat(str(data["published_on"]))
        return cls(**data)

    def to_json(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        data["published_on"] = self.published_on.isoformat() if self.published_on else None
        return data


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
    batch_id: int | None = None
    version: int | None = None

    @property
    def samples(self) -> int:
        """Distinct samples in the file (rows of one sample count once)."""
        return self.created + self.updated + self.unchanged

    @property
    def ok(self) -> bool:
        return not (self.error_count or self.file_error or self.duplicate_of)

    def add_error(self, error: CellError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(asdict(error))

    def add_warning(self, warning: CellError) -> None:
        """A problem that does not stop the import, e.g. a barcode with a wrong check digit."""
        self.warning_count += 1
        if len(self.warnings) < MAX_REPORTED_ERRORS:
            self.warnings.append(asdict(warning))

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "samples": self.samples}


class _Rollback(Exception):
    """Raised inside the transaction to undo a preview or a refused file."""


Progress = Callable[[int, int], None]


def run_import(
    fileobj,
    filename: str,
    details: BatchDetails,
    *,
    commit: bool,
    user=None,
    on_progress: Progress | None = None,
) -> ImportReport:
    """Apply a spreadsheet to its batch; keep the changes only if `commit` and no row is wrong."""
    report = ImportReport()
    try:
        sheet = parse_spreadsheet(fileobj, filename, max_bytes=settings.IMPORT_MAX_BYTES)
    except SpreadsheetError as error:
        report.file_error = _file_error(error)
        return report
    with sheet, contextlib.suppress(_Rollback):
        report.total_rows = sheet.total_rows
        earlier = SourceFile.objects.filter(sha256=sheet.sha256).select_related("batch").first()
        if earlier:
            report.duplicate_of = str(earlier)
            report.batch_id, report.version = earlier.batch_id, earlier.version
            return report
        with transaction.atomic():
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
                report.file_error = _file_error(error)
            applier.remove_unlisted()
            if not (commit and report.ok):
                raise _Rollback
            fileobj.seek(0)
            source = SourceFile(
                batch=batch,
                version=version,
                original_name=Path(filename).name,
                sha256=sheet.sha256,
                imported_by=user,
                summary=_summary(report),
            )
            source.file.save(Path(filename).name, File(fileobj), save=False)
            source.save()
            report.batch_id = batch.pk
    return report


def _file_error(error: SpreadsheetError) -> dict[str, Any]:
    return {
        "code": error.code,
        "row": error.row,
        "column": error.column,
        "reason_zh": error.message_zh,
        "reason_en": error.message_en,
    }


def _summary(report: ImportReport) -> dict[str, int]:
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
    )
    return {key: getattr(report, key) for key in keys}


def _chunks(items: Iterable[ParsedSample], size: int):
    chunk: list[ParsedSample] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
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
    """Applies chunks of parsed samples to one batch version with bulk queries."""

    def __init__(
        self,
        batch: SpotCheckBatch,
        version: int,
        report: ImportReport,
        columns: dict[str, str | None],
    ):
        self.batch, self.version, self.report = batch, version, report
        self.agencies: dict[str, int] = {}
        self.enterprises_by_name: dict[str, int] = {}  # created in this import, by folded name
        self.categories = {fold(c.name): c.pk for c in ProductCategory.objects.only("pk", "name")}
        self.districts = {fold(d.name): d for d in District.objects.all()}
        self.columns = {
            canonical: published for published, canonical in columns.items() if canonical
        }

    # -- one chunk ------------------------------------------------------------------------

    def apply(self, samples: list[ParsedSample]) -> None:
        valid: dict[str, ParsedSample] = {}
        for sample in samples:
            errors = sample.errors + self._length_errors(sample)
            for error in errors:
                self.report.add_error(error)
            if errors:
                continue
            key = sample.key()
            if key in valid:  # the same sample listed again: one result, more failed items
                valid[key].rows += sample.rows
                valid[key].failed_items += sample.failed_items
            else:
                valid[key] = sample
        if not valid:
            return
        samples = list(valid.values())
        producers = self._match_producers(samples)
        sampled_units = self._match_enterprises(
            [
                (s.values.get("sampled_unit_uscc", ""), s.values.get("sampled_unit_name", ""))
                for s in samples
            ]
        )
        self._ensure_agencies(samples)
        existing = {
            r.sample_key: r
            for r in SpotCheckResult.objects.filter(
                batch=self.batch, sample_key__in=valid
            ).prefetch_related("failed_items")
        }
        new: list[tuple[SpotCheckResult, list[FailedItem]]] = []
        changed: list[tuple[SpotCheckResult, list[FailedItem]]] = []
        unchanged: list[int] = []
        revisions: list[ResultRevision] = []
        for (key, sample), producer, (unit_id, _, _) in zip(
            valid.items(), producers, sampled_units, strict=True
        ):
            values = self._result_values(sample, *producer, unit_id)
            items = [self._failed_item(n, item) for n, item in enumerate(sample.failed_items)]
            result = existing.get(key)
            if result is None:
                result = SpotCheckResult(
                    batch=self.batch,
                    sample_key=key,
                    version=self.version,
                    seen_in_version=self.version,
                    row_numbers=sample.rows,
                    **values,
                )
                new.append((result, items))
                continue
            if result.seen_in_version == self.version:
                self._add_items(result, sample, items)  # listed again, further down the file
                continue
            if (
                result.producer_id
                and values["producer_id"] is None
                and not sample.producer_disputed
            ):
                # A link made earlier (or by an editor resolving an ambiguity) is kept.
                values.update(
                    producer_id=result.producer_id,
                    producer_match=result.producer_match,
                    producer_candidates=result.producer_candidates,
                )
            if _same(result, values, items) and result.removed_in_version is None:
                unchanged.append(result.pk)
            else:
                revisions.append(
                    ResultRevision(result=result, version=result.version, data=_snapshot(result))
                )
                for name, value in values.items():
                    setattr(result, name, value)
                result.row_numbers, result.version = sample.rows, self.version
                result.seen_in_version, result.removed_in_version = self.version, None
                changed.append((result, items))
        results = {**existing, **{result.sample_key: result for result, _ in new}}
        barcoded = [(results[key], s) for key, s in valid.items() if s.values.get("barcode")]
        self._flush(new, changed, unchanged, revisions, barcoded)

    def _flush(self, new, changed, unchanged, revisions, barcoded) -> None:
        self._link_products([result for result, _ in new + changed])
        SpotCheckResult.objects.bulk_create([result for result, _ in new])
        if changed:
            SpotCheckResult.objects.bulk_update(
                [result for result, _ in changed], [*RESULT_FIELDS, *UPDATED_ALSO]
            )
            FailedItem.objects.filter(result__in=[result for result, _ in changed]).delete()
        if unchanged:
            SpotCheckResult.objects.filter(pk__in=unchanged).update(seen_in_version=self.version)
        ResultRevision.objects.bulk_create(revisions)
        items = []
        for result, result_items in new + changed:
            for item in result_items:
                item.result = result
                items.append(item)
        FailedItem.objects.bulk_create(items)
        written = [result for result, _ in new + changed]
        results_written.send(
            sender=SpotCheckResult,
            product_ids={r.product_id for r in written if r.product_id}
            | self._register_barcodes(barcoded),
            enterprise_ids={r.producer_id for r in written if r.producer_id},
        )
        self.report.created += len(new)
        self.report.updated += len(changed)
        self.report.unchanged += len(unchanged)

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
            ResultRevision(result=result, version=result.version, data=_snapshot(result))
            for result in gone.prefetch_related("failed_items")
        )
        self.report.removed = gone.update(removed_in_version=self.version)

    # -- values ---------------------------------------------------------------------------

    def _result_values(self, sample, producer_id, match, candidates, unit_id) -> dict[str, Any]:
        v = sample.values
        url = sample.listing_url or v.get("listing_url", "")
        if url and "://" not in url:
            url = "https://" + url
        category = self.categories.get(fold(v.get("category", ""))) or self.batch.category_id
        return {
            "sample_name": v.get("sample_name", ""),
            "nominal_brand": v.get("brand", ""),
            "nominal_model": v.get("model", ""),
            "lot_raw": v.get("lot", ""),
            "production_date": sample.production_date,
            "lot_number": sample.lot_number,
            "producer_name": v.get("producer_name", ""),
            "producer_address": v.get("producer_address", ""),
            "producer_disputed": sample.producer_disputed,
            "sampled_unit_name": v.get("sampled_unit_name", ""),
            "sampled_unit_address": v.get("sampled_unit_address", ""),
            "channel": sample.channel,
            "listing_url": url,
            "outcome": sample.outcome,
            "remarks": v.get("remarks", ""),
            "extra": sample.extra,
            "initial_agency_id": self.agencies.get(fold(sample.initial_agency)),
            "retest_agency_id": self.agencies.get(fold(sample.retest_agency)),
            "producer_id": producer_id,
            "producer_match": match,
            "producer_candidates": candidates,
            "sampled_unit_id": unit_id,
            "category_id": category,
        }

    @staticmethod
    def _failed_item(position: int, item) -> FailedItem:
        folded = fold(item.item)
        return FailedItem(
            position=position,
            item=item.item,
            measured=item.measured,
            limit=item.limit,
            unit=item.unit,
            is_safety_item=any(k in folded for k in SAFETY_ITEM_KEYWORDS),
        )

    @staticmethod
    def _add_items(result: SpotCheckResult, sample, items: list[FailedItem]) -> None:
        """Add failed items to a result an earlier chunk of this file already wrote."""
        offset = result.failed_items.count()
        for position, item in enumerate(items, start=offset):
            item.position, item.result = position, result
        FailedItem.objects.bulk_create(items)
        result.row_numbers = [*result.row_numbers, *sample.rows]
        result.save(update_fields=["row_numbers"])

    def _district_in(self, address: str) -> District | None:
        """The district named in an address, e.g. 上海市闵行区… → 闵行区."""
        folded = fold(address)
        return next((d for name, d in self.districts.items() if name in folded), None)

    def _length_errors(self, sample: ParsedSample) -> list[CellError]:
        """Values too long for their field: reported like any cell error, never truncated."""
        return [
            CellError(
                row=sample.rows[0],
                column=self.columns.get(name, name),
                value=value[:50] + "…",
                code="too_long",
                reason_zh=f"内容超过 {limit} 个字符",
                reason_en=f"longer than {limit} characters",
            )
            for name, limit in _LENGTH_LIMITS.items()
            if len(value := sample.values.get(name, "")) > limit
        ]

    # -- matching -------------------------------------------------------------------------

    def _match_producers(self, samples: list[ParsedSample]):
        """Match nominal producers; create the ones nobody has heard of (unless disputed)."""
        pairs = [
            (s.values.get("producer_uscc", ""), s.values.get("producer_name", "")) for s in samples
        ]
        matches = self._match_enterprises(pairs)
        to_create: dict[str, Enterprise] = {}
        for sample, (uscc, name), (enterprise_id, match, _) in zip(
            samples, pairs, matches, strict=True
        ):
            if enterprise_id or match == ProducerMatch.AMBIGUOUS or sample.producer_disputed:
                continue
            if name and fold(name) not in to_create:
                to_create[fold(name)] = Enterprise(
                    name=name,
                    name_folded=fold(name),
                    uscc=uscc or None,
                    address=sample.values.get("producer_address", "")[:300],
                    district=self._district_in(sample.values.get("producer_address", "")),
                )
        if to_create:
            for enterprise in Enterprise.objects.bulk_create(to_create.values()):
                self.enterprises_by_name[enterprise.name_folded] = enterprise.pk
            self.report.enterprises_created += len(to_create)
        results = []
        for sample, (_uscc, name), matched in zip(samples, pairs, matches, strict=True):
            enterprise_id, match, candidates = matched
            if match == ProducerMatch.AMBIGUOUS:
                self.report.ambiguous_count += 1
                if len(self.report.ambiguous) < MAX_REPORTED_AMBIGUITIES:
                    self.report.ambiguous.append(
                        {"rows": sample.rows, "name": name, "candidates": candidates}
                    )
            elif enterprise_id is None and fold(name) in to_create and not sample.producer_disputed:
                enterprise_id, match = self.enterprises_by_name[fold(name)], ProducerMatch.CREATED
            results.append((enterprise_id, match, candidates))
        return results

    def _match_enterprises(self, pairs: list[tuple[str, str]]):
        """(credit code, name) → (enterprise id, how, candidate ids), two queries per chunk.

        A credit code decides. Without one, a folded name matching exactly one enterprise
        does; several is ambiguous and left for an editor, never merged.
        """
        codes = {uscc for uscc, _ in pairs if uscc}
        names = {fold(name) for _, name in pairs if name}
        by_code = (
            dict(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", "pk"))
            if codes
            else {}
        )
        by_name: dict[str, list[int]] = {}
        if names:
            for folded, pk in (
                Enterprise.objects.filter(name_folded__in=names)
                .values_list("name_folded", "pk")
                .order_by("pk")
            ):
                by_name.setdefault(folded, []).append(pk)
        matches = []
        for uscc, name in pairs:
            if uscc and uscc in by_code:
                matches.append((by_code[uscc], ProducerMatch.USCC, []))
                continue
            candidates = by_name.get(fold(name), []) if name else []
            if len(candidates) == 1:
                matches.append((candidates[0], ProducerMatch.NAME, []))
            elif len(candidates) > 1:
                matches.append((None, ProducerMatch.AMBIGUOUS, candidates))
            else:
                matches.append((None, ProducerMatch.NONE, []))
        return matches

    def _ensure_agencies(self, samples: list[ParsedSample]) -> None:
        names = {fold(n): n for s in samples for n in (s.initial_agency, s.retest_agency) if n}
        missing = {k: v for k, v in names.items() if k not in self.agencies}
        if not missing:
            return
        self.agencies.update(
            InspectionAgency.objects.filter(name_folded__in=missing).values_list(
                "name_folded", "pk"
            )
        )
        new = [
            InspectionAgency(name=name[:200], name_folded=folded)
            for folded, name in missing.items()
            if folded not in self.agencies
        ]
        for agency in InspectionAgency.objects.bulk_create(new):
            self.agencies[agency.name_folded] = agency.pk
        self.report.agencies_created += len(new)

    def _register_barcodes(self, barcoded: list[tuple[SpotCheckResult, ParsedSample]]) -> set[int]:
        """Give each result's product the valid codes of its barcode cell; returns the products
        that gained one. Invalid codes, codes already on another product (never moved) and
        codes of a result without a product are row warnings: the result still imports."""
        column = self.columns.get("barcode", "")
        wanted: list[tuple[SpotCheckResult, int, str]] = []
        for result, sample in barcoded:
            row = sample.rows[0]
            codes, problems = read_barcodes(sample.values["barcode"])
            for problem in problems:
                self.report.add_warning(CellError(row, column, *astuple(problem)))
            if codes and result.product_id is None:
                self.report.add_warning(
                    CellError(
                        row,
                        column,
                        "、".join(codes),
                        "barcode_no_product",
                        "标称生产企业未能确定（未匹配、有多个候选或有争议），条码未登记到产品",
                        "the nominal producer is not settled (unmatched, ambiguous or disputed), "
                        "so the barcode was not registered to a product",
                    )
                )
            elif codes:
                wanted += [(result, row, code) for code in codes]
        forms = {form for *_, code in wanted for form in stored_forms(code.zfill(14))}
        owners = {
            gtin.zfill(14): product_id
            for gtin, product_id in ProductBarcode.objects.filter(gtin__in=forms).values_list(
                "gtin", "product_id"
            )
        }
        new: list[ProductBarcode] = []
        conflicts: list[tuple[SpotCheckResult, int, str, int]] = []
        for result, row, code in wanted:
            if code.zfill(14) not in owners:
                owners[code.zfill(14)] = result.product_id
                new.append(ProductBarcode(product_id=result.product_id, gtin=code))
            elif owners[code.zfill(14)] != result.product_id:
                conflicts.append((result, row, code, owners[code.zfill(14)]))
        owners_named = Product.objects.only("name", "brand").in_bulk({c[-1] for c in conflicts})
        for result, row, code, owner in conflicts:
            other = owners_named[owner]
            self.report.add_warning(
                CellError(
                    row,
                    column,
                    code,
                    "barcode_taken",
                    f"该条码已登记在另一产品“{other.brand} {other.name}”（编号{other.pk}）上，"
                    f"未改登记到本行的“{result.nominal_brand} {result.sample_name}”",
                    f"the barcode is registered to another product, “{other.brand} {other.name}” "
                    f"(id {other.pk}); it was not moved to “{result.nominal_brand} "
                    f"{result.sample_name}” of this row",
                )
            )
        ProductBarcode.objects.bulk_create(new)
        self.report.barcodes_created += len(new)
        return {barcode.product_id for barcode in new}

    @staticmethod
    def _link_products(results: list[SpotCheckResult]) -> None:
        """Link results whose producer is known to a product, creating missing products."""
        linkable = [r for r in results if r.producer_id]
        if not linkable:
            return
        wanted: dict[str, Product] = {}
        for r in linkable:
            identity = Product.identity_for(
                r.producer_id, r.sample_name, r.nominal_brand, r.nominal_model
            )
            wanted.setdefault(
                identity,
                Product(
                    name=r.sample_name,
                    brand=r.nominal_brand[:100],
                    model_spec=r.nominal_model,
                    manufacturer_id=r.producer_id,
                    category_id=r.category_id,
                    identity=identity,
                ),
            )
        known = dict(Product.objects.filter(identity__in=wanted).values_list("identity", "pk"))
        missing = [p for identity, p in wanted.items() if identity not in known]
        for product in Product.objects.bulk_create(missing):
            known[product.identity] = product.pk
        for r in linkable:
            r.product_id = known[
                Product.identity_for(r.producer_id, r.sample_name, r.nominal_brand, r.nominal_model)
            ]


def _same(result: SpotCheckResult, values: dict[str, Any], items: list[FailedItem]) -> bool:
    """Whether the file says the same as the stored result (how a producer was matched aside)."""
    if any(
        getattr(result, name) != value
        for name, value in values.items()
        if name not in ("producer_match", "producer_candidates")
    ):
        return False
    before = [(i.item, i.measured, i.limit, i.unit) for i in result.failed_items.all()]
    return before == [(i.item, i.measured, i.limit, i.unit) for i in items]


def _snapshot(result: SpotCheckResult) -> dict[str, Any]:
    data = {name: getattr(result, name) for name in RESULT_FIELDS}
    data["production_date"] = result.production_date.isoformat() if result.production_date else None
    data["row_numbers"] = result.row_numbers
    data["failed_items"] = [
        {"item": i.item, "measured": i.measured, "limit": i.limit, "unit": i.unit}
        for i in result.failed_items.all()
    ]
    return data


_LENGTH_LIMITS = {
    canonical: SpotCheckResult._meta.get_field(model_field).max_length
    for canonical, model_field in {
        "sample_name": "sample_name",
        "brand": "nominal_brand",
        "model": "nominal_model",
        "lot": "lot_raw",
        "producer_name": "producer_name",
        "producer_address": "producer_address",
        "sampled_unit_name": "sampled_unit_name",
        "sampled_unit_address": "sampled_unit_address",
    }.items()
}
