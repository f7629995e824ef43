"""Batch (lot) numbers as printed on products and in spot-check tables, and their comparison
form: the key that `/trace/` looks results up by (an indexed column of each result)."""

from __future__ import annotations

import re
import unicodedata

# What separates the parts of a lot number, in its NFKC form; stored text may hold the
# full-width forms too (traceability's patterns add them).
SEPARATORS = " \t\u00a0\u3000" + "-_/\\.,:;#()[]'\"*+|~" + "·・、。【】〔〕《》「」—–‐"
CHINESE_LABELS = ("生产批号", "生產批號", "批次号", "批次號", "批号", "批號", "批次")
LATIN_LABELS = ("LOT", "BATCH")


def escaped(chars) -> str:
    """The characters for a regular expression's bracket class."""
    return "".join(ch if ch.isalnum() else "\\" + ch for ch in sorted(chars))


SEPARATOR_CLASS = f"[{escaped(SEPARATORS)}]"
_LOT_LABEL = re.compile(
    f"^(?:{'|'.join(CHINESE_LABELS)}"
    f"|(?:{'|'.join(LATIN_LABELS)})(?:{SEPARATOR_CLASS}*NO)?(?={SEPARATOR_CLASS}))"
)


def lot_key(text: str) -> str:
    """The comparison form of a batch or lot number: NFKC (half width), upper case, a leading
    label ("批号：", "Lot No.") and every separator dropped. "pb-1812", "ＰＢ１８１２" and
    "批号：PB 1812" all give "PB1812"."""
    text = unicodedata.normalize("NFKC", text or "").upper().lstrip(SEPARATORS)
    text = _LOT_LABEL.sub("", text, count=1)
    return "".join(ch for ch in text if ch not in SEPARATORS and not ch.isspace())
