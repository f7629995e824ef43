"""Barcodes (商品条码) in a published cell: several codes per cell, written the way sheets have
them — full-width digits, spaces and hyphens, a leading apostrophe, "无" or "未标注" for none.

Each code is read with the registry's `barcode_digits`, the form that `/trace/` and the API
compare, and kept as its printed digits. A code that is not a GTIN-8/12/13/14 with a correct
check digit is returned with the reason, in Chinese and English, and is never stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stdnum import ean

from portal.core.text import fold
from portal.registry.validators import GTIN_LENGTHS, barcode_digits, check_digit_ok

from .cells import is_none

_SEPARATORS = re.compile(r"[、,;/\n]+")  # NFKC turns ，；／ into these
_NOT_GIVEN = frozenset({"未标注", "未标明", "未标识", "无条码", "不详", "未知"})
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E[+-]?\d+", re.IGNORECASE)
_DIGITS_AND_GAPS = re.compile(r"[\d\s-]+")


@dataclass(frozen=True)
class BarcodeProblem:
    value: str
    code: str
    reason_zh: str
    reason_en: str


def read_barcodes(text: str) -> tuple[list[str], list[BarcodeProblem]]:
    """The valid codes of a cell (printed digits, in order, each once) and why each other piece
    of it is not a barcode."""
    codes: list[str] = []
    problems: list[BarcodeProblem] = []
    for piece in _SEPARATORS.split(unicodedata.normalize("NFKC", text)):
        piece = piece.strip().lstrip("'").strip()
        if is_none(piece) or fold(piece) in _NOT_GIVEN:
            continue
        digits = barcode_digits(piece)
        problem = _problem(piece, digits)
        if problem:
            problems.append(problem)
        elif digits not in codes:
            codes.append(digits)
    return codes, problems


def _problem(piece: str, digits: str) -> BarcodeProblem | None:
    if _SCIENTIFIC.fullmatch(piece):
        return BarcodeProblem(
            piece,
            "barcode_scientific",
            "条码被电子表格转换成了科学计数法，部分数字已丢失；请将该列设为文本后重新填写",
            "the barcode was turned into scientific notation by a spreadsheet and digits are "
            "lost; format the column as text and enter the codes again",
        )
    if not _DIGITS_AND_GAPS.fullmatch(piece):
        return BarcodeProblem(
            piece,
            "barcode_not_digits",
            "条码只能由数字组成（可含空格或连字符）",
            "a barcode is made of digits only (spaces or hyphens allowed)",
        )
    if len(digits) not in GTIN_LENGTHS:
        count = sum(char.isdigit() for char in piece)
        return BarcodeProblem(
            piece,
            "barcode_length",
            f"条码应为8、12、13或14位数字，这里是{count}位",
            f"a barcode has 8, 12, 13 or 14 digits, this one has {count}",
        )
    if not check_digit_ok(digits.zfill(14)):
        expected = ean.calc_check_digit(digits[:-1])
        return BarcodeProblem(
            piece,
            "barcode_check_digit",
            f"条码校验位错误：按前{len(digits) - 1}位应为“{expected}”，而不是“{digits[-1]}”",
            f"wrong check digit: the first {len(digits) - 1} digits call for “{expected}”, "
            f"not “{digits[-1]}”",
        )
    return None
