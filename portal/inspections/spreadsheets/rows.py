"""Reading one data row under a known header: skipping notes, section titles and repeated
headers, cleaning each cell, and flagging formula cells, bad credit codes and unknown outcomes.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from portal.core.text import fold

from . import cells
from .errors import CellError
from .item_lists import FailedItemData, failed_items, split_notes
from .safety import has_formula
from .schema import FIELDS, HeaderMap

ITEM_FIELDS = frozenset({"failed_items", "measured", "limit"})
# What a sampled batch is described by; a row with none of these (only a 序号, a notice link,
# an agency …) describes no sample: the publisher's export left it empty.
SAMPLE_FIELDS = ITEM_FIELDS | {
    "sample_name",
    "producer_name",
    "producer_address",
    "producer_uscc",
    "sampled_unit_name",
    "sampled_unit_address",
    "sampled_unit_uscc",
    "model",
    "brand",
    "lot",
    "serial_number",
    "barcode",
}
# Fields read as lists or labelled parts keep their line breaks; all others read on one line.
MULTILINE_FIELDS = ITEM_FIELDS | {"agency", "remarks", "barcode"}
USCC_FIELDS = ("producer_uscc", "sampled_unit_uscc")

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


MAX_LISTED_SKIPS = 1000
_LISTED_TEXT = 200


@dataclass
class Skipped:
    """Rows that describe no sample, by reason: "empty" (blank, or no sample data left by an
    export), "note" (注：…), "section" (一、生产领域) and "header" (the header repeated)."""

    counts: Counter[str] = field(default_factory=Counter)
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (row, reason, its text)

    def add(self, number: int, reason: str, texts: Iterable[str] = ()) -> None:
        self.counts[reason] += 1
        if len(self.rows) < MAX_LISTED_SKIPS:
            text = " | ".join(t for t in texts if t)
            self.rows.append((number, reason, text[:_LISTED_TEXT]))


@dataclass
class Row:
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
    # The measured and required cells as published, when they could not be given item by item.
    published_values: dict[str, str]

    @property
    def has_sample_data(self) -> bool:
        return any(self.values.get(name) for name in SAMPLE_FIELDS)


def cell_error(number: int, column: str, value: str, code: str) -> CellError:
    """A formula cell, a missing sample name or an unknown outcome, explained in both languages."""
    reasons = {
        "formula": (
            "单元格内容以公式符号开头，在 Excel/WPS 中会作为公式执行（公式注入风险）；请改为纯文本",
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


class RowReader:
    """Reads the rows under one header, remembering the channel of the last section title."""

    def __init__(self, header: HeaderMap, header_texts: list[str]) -> None:
        self.header = header
        self.header_texts = header_texts
        self.section_channel = ""
        self.skipped = Skipped()

    def skip_reason(self, texts: list[str]) -> str:
        """Why a row is no data row: blank ("empty"), a note ("注：…"), a section title
        ("一、生产领域") or the header repeated; "" for a data row."""
        filled = [(index, text) for index, text in enumerate(texts) if text]
        if not filled:
            return "empty"
        if len(filled) == 1:
            index, text = filled[0]
            name = self.header.fields[index] if index < len(self.header.fields) else None
            # A lone item or remark is a continuation row, unless it sits in the first column.
            if index and name in MULTILINE_FIELDS:
                return ""
            folded = fold(text)
            if _NOTE.search(folded):
                return "note"
            if len(folded) <= _LONGEST_SECTION and _SECTION.search(folded):
                self.section_channel = cells.parse_channel(text)
                return "section"
        width = len(self.header_texts)
        if texts[:width] == self.header_texts and not any(texts[width:]):
            return "header"
        return ""

    def read(self, number: int, raw: list[str]) -> Row | None:
        texts = [cells.normalize(text) for text in raw]
        reason = self.skip_reason(texts)
        if reason:
            self.skipped.add(number, reason, texts)
            return None
        header = self.header
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
            if has_formula(text):
                errors.append(cell_error(number, column, text, "formula"))
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
            self.skipped.add(number, "empty", texts)
            return None
        outcome = ""
        if values.get("outcome") and "outcome" not in formulas:
            parsed = cells.parse_outcome(values["outcome"])
            if parsed is None:
                column = header.header_of("outcome")
                errors.append(cell_error(number, column, values["outcome"], "outcome"))
            outcome = parsed or ""
        items_text, notes = split_notes(values.get("failed_items", ""))
        if notes:
            values["remarks"] = "\n".join(filter(None, (values.get("remarks", ""), *notes)))
        if _NO_FAILURES.fullmatch(fold(items_text)):
            items_text = ""
        measured, limit = values.get("measured", ""), values.get("limit", "")
        listed = failed_items(
            items_text,
            measured,
            limit,
            (header.units.get("measured", ""), header.units.get("limit", "")),
        )
        published = {}
        if not listed.values_carried:
            published = {name: values[name] for name in ("measured", "limit") if values.get(name)}
        digest = hashlib.blake2b("\x1f".join(cleaned).encode(), digest_size=8).digest()
        return Row(
            number, values, blank, extra, listed.items, outcome, formulas, errors, digest, published
        )
