"""From rows to samples: find the header, read each row, merge the rows of one sample.

One streaming pass: a sample is held only until the next one starts, and duplicates are found
with a dict of 8-byte row hashes (row number kept for the message), never with stored rows.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from openpyxl.utils import get_column_letter

from portal.core.text import fold

from . import cells
from .cells import FailedItemData
from .errors import CellError, SpreadsheetError, preview
from .reader import Source, Upload, open_source, read_upload
from .safety import is_formula
from .schema import FIELDS, REQUIRED_FIELDS, HeaderMap, map_headers, merge_subheader

MAX_BYTES = 50 * 1024 * 1024
HEADER_SCAN_ROWS = 50
KEY_FIELDS = ("sample_name", "producer_name", "brand", "model", "lot", "sampled_unit_name")
ITEM_FIELDS = frozenset({"failed_items", "measured", "limit"})
# Fields read as lists or labelled parts keep their line breaks; all others read on one line.
MULTILINE_FIELDS = ITEM_FIELDS | {"agency", "remarks", "barcode"}
USCC_FIELDS = ("producer_uscc", "sampled_unit_uscc")
_OUTCOME_RANK = {cells.PASS: 1, cells.FAIL: 2, cells.REFERRED: 3}
_SHORT_OUTCOME = 10
_NOTE = re.compile(
    r"^(?:注|备注|说明|附注|注释|资料来源|数据来源|来源)\d*[:.、]|^[*※]|^(?:合计|总计|小计)"
)
_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+(?:部分|类))"
    r"|领域|环节"
)
_LONGEST_SECTION = 30
_NO_FAILURES = re.compile(
    r"(?:全部|均)?(?:合格|符合)|所检项目(?:均)?(?:符合|合格).*|未(?:发现|见|检出)不合格.*|无不合格.*"
)


@dataclass
class ParsedSample:
    """One sampled batch, possibly published over several rows (one per failed item)."""

    rows: list[int]
    values: dict[str, str]
    extra: dict[str, str]
    failed_items: list[FailedItemData]
    production_date: date | None
    lot_number: str
    initial_agency: str
    retest_agency: str
    outcome: str
    channel: str
    listing_url: str
    producer_disputed: bool
    errors: list[CellError]

    def key(self) -> str:
        """Stable identity of the batch: the same product, producer, brand, model, lot and
        sampled unit give the same key however they are spelled (simplified/traditional,
        full-width, spaced), so a re-upload updates instead of duplicating."""
        parts = "\x1f".join(fold(self.values.get(name, "")) for name in KEY_FIELDS)
        return hashlib.sha256(parts.encode()).hexdigest()


@dataclass
class _Row:
    """One data row read and cleaned, before it joins a sample."""

    number: int
    values: dict[str, str]
    blank: set[str]
    extra: dict[str, str]
    items: list[FailedItemData]
    outcome: str
    formulas: set[str]
    errors: list[CellError]
    digest: bytes


def _same(left: str, right: str) -> bool:
    return left == right or fold(left) == fold(right)


def _append(existing: str, value: str) -> str:
    if not value or value in existing.split("\n"):
        return existing
    return f"{existing}\n{value}" if existing else value


@dataclass
class _Builder:
    """A sample being assembled from consecutive rows."""

    first: _Row
    channel: str
    rows: list[int] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    items: list[FailedItemData] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    formulas: set[str] = field(default_factory=set)
    errors: list[CellError] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.values = dict.fromkeys(FIELDS, "")
        self.add(self.first)

    def add(self, row: _Row) -> None:
        self.rows.append(row.number)
        for name, value in row.values.items():
            if name in ITEM_FIELDS:
                self.values[name] = f"{self.values[name]}\n{value}".strip("\n")
            elif name in KEY_FIELDS:
                self.values[name] = self.values[name] or value
            else:
                self.values[name] = _append(self.values[name], value)
        for header, value in row.extra.items():
            self.extra[header] = _append(self.extra.get(header, ""), value)
        self.items.extend(row.items)
        self.outcomes.append(row.outcome)
        self.formulas |= row.formulas
        self.errors.extend(row.errors)

    def _listing(self, values: dict[str, str]) -> tuple[str, bool]:
        """The web-store URL, taken out of an address column; whether it marks an online sale."""
        found, online = "", False
        for name in ("listing_url", "sampled_unit_address", "producer_address"):
            if name in self.formulas or not values[name]:
                continue
            url, rest = cells.extract_url(values[name])
            if not url:
                continue
            if name != "listing_url":
                values[name] = rest
            found = found or url
            online = online or name != "producer_address"
        if found:
            values["listing_url"] = found
        return found, online

    def _outcome(self, values: dict[str, str]) -> str:
        stated = [outcome for outcome in self.outcomes if outcome]
        if stated:
            return max(stated, key=_OUTCOME_RANK.__getitem__)
        if cells.mentions_unlicensed(values["remarks"]):
            return cells.REFERRED
        if self.items:
            return cells.FAIL
        measured = values["measured"]
        if measured and len(measured) <= _SHORT_OUTCOME:
            return cells.parse_outcome(measured) or cells.PASS
        return cells.PASS

    def build(self) -> ParsedSample:
        values = dict(self.values)
        url, online = self._listing(values)
        produced, lot_number = cells.parse_lot(values["lot"])
        initial, retest = cells.split_agencies(values["agency"])
        channel = cells.parse_channel(values["channel"]) if values["channel"] else ""
        return ParsedSample(
            rows=self.rows,
            values=values,
            extra=self.extra,
            failed_items=self.items,
            production_date=produced,
            lot_number=lot_number,
            initial_agency=initial,
            retest_agency=retest,
            outcome=self._outcome(values),
            channel=channel or self.channel or (cells.ECOMMERCE if online else ""),
            listing_url=url,
            producer_disputed=cells.producer_disputed(values["remarks"])
            or cells.producer_disputed(values["outcome"]),
            errors=self.errors,
        )


def _missing_column(header: HeaderMap | None, row: int | None) -> SpreadsheetError:
    missing = header.missing() if header else list(REQUIRED_FIELDS)
    zh = "、".join(f"“{FIELDS[name][0]}”" for name in missing)
    en = ", ".join(FIELDS[name][1] for name in missing)
    where_zh = (
        f"（第{row}行像是表头，但没有这{'些' if len(missing) > 1 else '一'}列）" if row else ""
    )
    where_en = f" (row {row} looks like the header but lacks it)" if row else ""
    return SpreadsheetError(
        "missing_column",
        f"缺少必需的列：{zh}{where_zh}。表头须包含产品名称（如“产品名称”“样品名称”）和"
        "标称生产企业（如“标称生产企业名称”“生产者名称”“生产企业”）",
        f"Missing required column: {en}{where_en}. The header row must name the product "
        "(e.g. 产品名称, 样品名称) and the nominal producer "
        "(e.g. 标称生产企业名称, 生产者名称, 生产企业)",
        row=row,
        column=missing[0],
    )


class ParsedSheet:
    """A spreadsheet whose header has been found; `samples()` streams its batches once."""

    def __init__(self, source: Source, upload: Upload, filename: str) -> None:
        self.filename = filename
        self.size = upload.size
        self.sha256 = upload.sha256
        self.format = source.format
        self.encoding = source.encoding
        self.delimiter = source.delimiter
        self.rows_read = 0
        self._source = source
        self._upload = upload
        self._rows = source.rows
        self._pending: tuple[int, list[str]] | None = None
        self._raw_header: list[str] = []
        self._started = False
        self._section_channel = ""
        self._seen: dict[int, int] = {}
        self._header, self.header_row = self._find_header()
        self.headers: list[str] = self._header.headers
        self.mapping: dict[str, str | None] = self._header.mapping
        self._header_texts = [cells.normalize(text) for text in self._raw_header]
        self._first = self._first_data_row()
        self._total = self._estimate_total()

    # -- header --------------------------------------------------------------------------------

    def _find_header(self) -> tuple[HeaderMap, int]:
        best: tuple[HeaderMap, int] | None = None
        scanned = 0
        for number, raw in self._rows:
            texts = [cells.normalize(text) for text in raw]
            if not any(texts):
                continue
            header = map_headers(texts)
            if not header.missing():
                self._raw_header = texts
                return self._with_subheader(header, number)
            mapped = sum(name is not None for name in header.fields)
            if mapped and (best is None or mapped > sum(f is not None for f in best[0].fields)):
                best = (header, number)
            scanned += 1
            if scanned >= HEADER_SCAN_ROWS:
                break
        if best is None and scanned == 0:
            raise SpreadsheetError("empty", "文件中没有任何内容", "The file has no content")
        raise _missing_column(*(best or (None, None)))

    def _with_subheader(self, header: HeaderMap, number: int) -> tuple[HeaderMap, int]:
        """Merge a second header row ("项目名称 | 检验结果 | 标准值" under "不合格项目")."""
        for next_number, raw in self._rows:
            texts = [cells.normalize(text) for text in raw]
            combined = merge_subheader(self._raw_header, texts)
            if combined is not None:
                merged = map_headers(combined)
                if not merged.missing():
                    self._raw_header = combined
                    return merged, next_number
            self._pending = (next_number, raw)
            return header, number
        return header, number

    def _first_data_row(self) -> _Row:
        """Read ahead to the first real data row, so an empty table fails at once."""
        for number, raw in self._all_rows():
            row = self._read(number, raw)
            if row is not None:
                return row
        raise SpreadsheetError(
            "empty",
            f"第{self.header_row}行表头之后没有数据行",
            f"There are no data rows after the header in row {self.header_row}",
            row=self.header_row,
        )

    def _all_rows(self) -> Iterator[tuple[int, list[str]]]:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.rows_read += 1
            yield pending
        for item in self._rows:
            self.rows_read += 1
            yield item

    def _estimate_total(self) -> int:
        lines = self._source.lines
        if (lines is None or lines <= self.header_row) and self._source.count is not None:
            lines = self._source.count()
        return max((lines or 0) - self.header_row, 0)

    @property
    def total_rows(self) -> int:
        """Data rows expected after the header; an upper bound, never below `rows_read`."""
        return max(self._total, self.rows_read)

    # -- rows ----------------------------------------------------------------------------------

    def _skippable(self, texts: list[str]) -> bool:
        """Blank rows, notes ("注：…"), section titles ("一、生产领域") and repeated headers."""
        filled = [(index, text) for index, text in enumerate(texts) if text]
        if not filled:
            return True
        if len(filled) == 1:
            index, text = filled[0]
            name = self._header.fields[index] if index < len(self._header.fields) else None
            # A lone item or remark is a continuation row, unless it sits in the first column.
            if index and name in MULTILINE_FIELDS:
                return False
            folded = fold(text)
            if _NOTE.search(folded):
                return True
            if len(folded) <= _LONGEST_SECTION and _SECTION.search(folded):
                self._section_channel = cells.parse_channel(text)
                return True
        width = len(self._header_texts)
        return texts[:width] == self._header_texts and not any(texts[width:])

    def _cell_error(self, number: int, column: str, value: str, code: str) -> CellError:
        reasons = {
            "formula": (
                "单元格内容以公式符号开头，在 Excel/WPS 中会作为公式执行（公式注入风险）；"
                "请改为纯文本",
                "starts like a formula and would run as one in Excel/WPS (formula injection); "
                "enter it as plain text",
            ),
            "required": (
                f"缺少{FIELDS['sample_name'][0]}，无法确定是哪一批次",
                f"the {FIELDS['sample_name'][1]} is empty, so the batch cannot be identified",
            ),
            "outcome": (
                "无法识别的抽查结果；应为“合格”“不合格”或“移送”等",
                "unrecognised outcome; expected 合格 (pass), 不合格 (fail) or 移送 (referred)",
            ),
        }
        zh, en = reasons[code]
        return CellError(number, column, value, code, zh, en)

    def _read(self, number: int, raw: list[str]) -> _Row | None:
        texts = [cells.normalize(text) for text in raw]
        if self._skippable(texts):
            return None
        header = self._header
        width = len(header.headers)
        values: dict[str, str] = {}
        blank: set[str] = set()
        extra: dict[str, str] = {}
        formulas: set[str] = set()
        errors: list[CellError] = []
        cleaned: list[str] = []
        for index, text in enumerate(texts):
            column = header.headers[index] if index < width else get_column_letter(index + 1)
            name = header.fields[index] if index < width else None
            if is_formula(text):
                errors.append(self._cell_error(number, column, text, "formula"))
                if name:
                    formulas.add(name)
            value = "" if cells.is_none(text) else text
            if name not in MULTILINE_FIELDS:
                value = cells.one_line(value)
            cleaned.append(value)
            if name is None:
                if index < width or value:
                    extra[column] = value
                continue
            if name in USCC_FIELDS and value:
                value = cells.clean_uscc(value)
                problem = cells.uscc_problem(value)
                if problem:
                    errors.append(CellError(number, column, text, "invalid_uscc", *problem))
            values[name] = value
            if not text:
                blank.add(name)
        if not any(cleaned):
            return None
        outcome = ""
        if values.get("outcome") and "outcome" not in formulas:
            parsed = cells.parse_outcome(values["outcome"])
            if parsed is None:
                column = header.header_of("outcome")
                errors.append(self._cell_error(number, column, values["outcome"], "outcome"))
            outcome = parsed or ""
        items_text = values.get("failed_items", "")
        if _NO_FAILURES.fullmatch(fold(items_text)):
            items_text = ""
        items = cells.failed_items(
            items_text,
            values.get("measured", ""),
            values.get("limit", ""),
            header.units.get("measured", ""),
        )
        digest = hashlib.blake2b("\x1f".join(cleaned).encode(), digest_size=8).digest()
        return _Row(number, values, blank, extra, items, outcome, formulas, errors, digest)

    # -- samples -------------------------------------------------------------------------------

    def _continues(self, current: _Builder, row: _Row) -> bool:
        """Whether `row` is more of the current sample: the same 序号, or every identity cell
        either blank (a merged cell) or the same as the sample's. A different 序号 is a new
        batch even when the product and producer repeat."""
        sequence = row.values.get("sequence", "")
        current_sequence = current.values["sequence"]
        if sequence and current_sequence:
            return sequence == current_sequence
        return all(
            name in row.blank or _same(row.values[name], current.values[name])
            for name in KEY_FIELDS
            if name in row.values
        )

    def _conflicts(self, current: _Builder, row: _Row) -> list[CellError]:
        """Rows merged by their 序号 that disagree on what the batch is."""
        errors = []
        for name in KEY_FIELDS:
            value, known = row.values.get(name, ""), current.values[name]
            if name in row.blank or not value or not known or _same(value, known):
                continue
            errors.append(
                CellError(
                    row.number,
                    self._header.header_of(name),
                    value,
                    "conflict",
                    f"与同一序号（{current.values['sequence']}）的第{current.rows[0]}行"
                    f"“{preview(known)}”不一致",
                    f"differs from “{preview(known)}” in row {current.rows[0]}, which has the "
                    f"same sequence number ({current.values['sequence']})",
                )
            )
        return errors

    def _duplicate(self, row: _Row, context: bytes) -> CellError | None:
        """A row identical to an earlier one. Continuation rows are hashed with their sample's
        first row, so the same item under two different samples is not a duplicate."""
        key = int.from_bytes(hashlib.blake2b(context + row.digest, digest_size=8).digest())
        earlier = self._seen.setdefault(key, row.number)
        if earlier == row.number:
            return None
        text = " | ".join(value for value in row.values.values() if value)
        return CellError(
            row.number,
            "",
            text,
            "duplicate_row",
            f"与第{earlier}行重复",
            f"duplicate of row {earlier}",
        )

    def samples(self) -> Iterator[ParsedSample]:
        """Every sample of the sheet, in order, in one streaming pass (callable once)."""
        if self._started:
            raise RuntimeError("ParsedSheet.samples() streams the file once")
        self._started = True
        try:
            yield from self._samples()
        finally:
            self.close()

    def _samples(self) -> Iterator[ParsedSample]:
        current: _Builder | None = None
        rows = self._all_rows()
        row: _Row | None = self._first
        while True:
            if row is not None:
                merge = current is not None and self._continues(current, row)
                partial = merge and any(name in row.blank for name in KEY_FIELDS)
                context = current.first.digest if partial and current else b""
                duplicate = self._duplicate(row, context)
                if merge and current is not None:
                    if duplicate:
                        current.errors.append(duplicate)
                    else:
                        current.errors.extend(self._conflicts(current, row))
                        current.add(row)
                else:
                    if current is not None:
                        yield current.build()
                    if duplicate:
                        row.errors.append(duplicate)
                    if not row.values.get("sample_name"):
                        column = self._header.header_of("sample_name")
                        row.errors.insert(0, self._cell_error(row.number, column, "", "required"))
                    current = _Builder(row, self._section_channel)
            try:
                number, raw = next(rows)
            except StopIteration:
                break
            row = self._read(number, raw)
        if current is not None:
            yield current.build()

    def close(self) -> None:
        """Release the workbook and any spooled copy of the upload (not the caller's file)."""
        self._source.close()
        self._upload.close()

    def __enter__(self) -> ParsedSheet:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def parse_spreadsheet(
    fileobj: BinaryIO, filename: str, *, max_bytes: int = MAX_BYTES
) -> ParsedSheet:
    """Open an uploaded spot-check spreadsheet (CSV or XLSX, decided by content) and find its
    header. File-level problems raise SpreadsheetError here, or from `samples()` when they are
    met mid-stream (an undecodable row 5,000)."""
    upload = read_upload(fileobj, max_bytes)
    try:
        source = open_source(upload, max_bytes)
    except BaseException:
        upload.close()
        raise
    try:
        return ParsedSheet(source, upload, filename)
    except BaseException:
        source.close()
        upload.close()
        raise
