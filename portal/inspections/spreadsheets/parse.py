"""From rows to samples: find the header, then stream the rows (`rows`) into samples (`samples`),
deciding which rows are one sample and which repeat an earlier row.

One streaming pass: a sample is held only until the next one starts, and duplicates are found
with a dict of 8-byte row hashes (row number kept for the message), never with stored rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import BinaryIO

from portal.core.text import fold

from . import cells
from .errors import CellError, SpreadsheetError, preview
from .reader import Source, Upload, open_source, read_upload
from .rows import Row, RowReader, Skipped, cell_error
from .samples import KEY_FIELDS, ParsedSample, SampleBuilder
from .schema import FIELDS, REQUIRED_FIELDS, HeaderMap, map_headers, merge_subheader

MAX_BYTES = 50 * 1024 * 1024
# Cells that, when two rows both fill them differently, make two results, whatever the 序号.
SPLITTING_FIELDS = ("lot", "serial_number", "source_url")
HEADER_SCAN_ROWS = 50


def _same(left: str, right: str) -> bool:
    return left == right or fold(left) == fold(right)


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
        self._seen: dict[int, int] = {}
        self._identities: dict[int, int] = {}  # sample identity hash → its first row
        self._repeats: dict[int, int] = {}  # identity hash → listings, for repeated samples
        self._header, self.header_row = self._find_header()
        self.headers: list[str] = self._header.headers
        self.mapping: dict[str, str | None] = self._header.mapping
        self._reader = RowReader(self._header, [cells.normalize(t) for t in self._raw_header])
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

    def _first_data_row(self) -> Row:
        """Read ahead to the first real data row, so an empty table fails at once."""
        for number, raw in self._all_rows():
            row = self._reader.read(number, raw)
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
    def skipped(self) -> Skipped:
        """Rows read that describe no sample, counted by reason."""
        return self._reader.skipped

    @property
    def total_rows(self) -> int:
        """Data rows expected after the header; an upper bound, never below `rows_read`."""
        return max(self._total, self.rows_read)

    # -- samples -------------------------------------------------------------------------------

    def _continues(self, current: SampleBuilder, row: Row) -> bool:
        """Whether `row` is more of the current sample: the same 序号, or every identity cell
        either blank (a merged cell) or the same as the sample's; under another 序号, every
        identity cell the same. A different lot, serial number or notice link is a new
        batch whatever the 序号."""
        for name in SPLITTING_FIELDS:
            value, known = row.values.get(name, ""), current.values[name]
            if value and known and not _same(value, known):
                return False
        sequence = row.values.get("sequence", "")
        current_sequence = current.values["sequence"]
        if sequence and current_sequence and sequence == current_sequence:
            return True
        if sequence and current_sequence:  # listed again at once under the next number
            return all(
                name not in row.blank and _same(row.values[name], current.values[name])
                for name in KEY_FIELDS
                if name in row.values
            )
        return all(
            name in row.blank or _same(row.values[name], current.values[name])
            for name in KEY_FIELDS
            if name in row.values
        )

    def _conflicts(self, current: SampleBuilder, row: Row) -> list[CellError]:
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

    def _duplicate(self, row: Row, context: bytes) -> CellError | None:
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
        current: SampleBuilder | None = None
        rows = self._all_rows()
        row: Row | None = self._first
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
                elif not (row.has_sample_data or row.errors or duplicate):
                    texts = [*row.values.values(), *row.extra.values()]
                    self._reader.skipped.add(row.number, "empty", texts)
                else:
                    if current is not None:
                        yield self._numbered(current.build())
                    if duplicate:
                        row.errors.append(duplicate)
                    if not row.values.get("sample_name"):
                        column = self._header.header_of("sample_name")
                        row.errors.insert(0, cell_error(row.number, column, "", "required"))
                    current = SampleBuilder(row, self._header, self._reader.section_channel)
            try:
                number, raw = next(rows)
            except StopIteration:
                break
            row = self._reader.read(number, raw)
        if current is not None:
            yield self._numbered(current.build())

    def _numbered(self, sample: ParsedSample) -> ParsedSample:
        """A sample listed again further down (not adjacent) is a result of its own, with a
        warning: merging it would lose one listing's values, dropping it would lose a row."""
        digest = hashlib.blake2b(sample.identity.encode(), digest_size=8).digest()
        key = int.from_bytes(digest)
        first = self._identities.setdefault(key, sample.rows[0])
        if first != sample.rows[0]:
            sample.occurrence = self._repeats[key] = self._repeats.get(key, 1) + 1
            sample.warnings.append(
                CellError(
                    sample.rows[0],
                    "",
                    sample.values["sample_name"],
                    "listed_again",
                    f"与第{first}行是同一样品但不相邻，作为单独的结果导入，请核对是否重复",
                    f"the same sample as row {first}, not adjacent; imported as a result of its "
                    "own, check whether it is listed twice",
                )
            )
        return sample

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
    """Open an uploaded spot-check table (CSV, XLSX, XLS, DOCX or PDF, decided by content) and
    find its header. File-level problems raise SpreadsheetError here, or from `samples()` when
    they are met mid-stream (an undecodable row 5,000)."""
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
