"""Batch (lot) numbers as printed on products and in spot-check tables, and their comparison
form: the key that `/trace/` looks results up by (indexed columns of each result, kept by
`SpotCheckResult.save()` and by `LotKeysQuerySet` for bulk writes)."""

from __future__ import annotations

import re
import unicodedata

from django.db import models

from portal.core.bulk import copy_insert

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


#: The fields a result's lot keys are made from, and the keys (SpotCheckResult).
LOT_FIELDS = {"lot_raw", "lot_number"}
LOT_KEY_FIELDS = ("lot_raw_key", "lot_number_key")


class LotKeysQuerySet(models.QuerySet):
    """Bulk writes fill the lot keys as `save()` does, so the spreadsheet importer and the demo
    generator fill them without knowing about them."""

    def bulk_create(self, objs, *args, **kwargs):
        return super().bulk_create(_with_lot_keys(objs), *args, **kwargs)

    def copy_create(self, objs):
        """`bulk_create` through PostgreSQL's COPY (`portal.core.bulk`), for imports."""
        return copy_insert(self.model, _with_lot_keys(objs))

    def bulk_update(self, objs, fields, *args, **kwargs):
        if LOT_FIELDS & set(fields):
            objs, fields = _with_lot_keys(objs), [*fields, *LOT_KEY_FIELDS]
        return super().bulk_update(objs, fields, *args, **kwargs)


def _with_lot_keys(objs):
    objs = list(objs)
    for obj in objs:
        obj.fill_lot_keys()
    return objs
