"""CSV upload: each row becomes the same record the API takes, and goes through `intake.submit`.

Columns: reference, gtin | credit_code + brand + model, scheme, scheme_version, tested_on,
report_number, overall_score, grade, comment, and one `score:<criterion code>` per criterion.
UTF-8 (with or without BOM) or GB18030 (what Excel saves on Chinese Windows).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .intake import MAX_BATCH

SCORE_PREFIX = "score:"
PRODUCT_COLUMNS = ("gtin", "credit_code", "brand", "model")
REQUIRED = ("reference", "scheme", "scheme_version", "tested_on", "overall_score", "grade")
HEADER_ROWS = 1


def decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is neither UTF-8 nor GB18030 text."), code="encoding")


def records_from_csv(content: bytes) -> list[dict[str, Any]]:
    """The rows as API records; raises ValidationError for a file that is not such a table."""
    reader = csv.DictReader(io.StringIO(decode(content)))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError(
            _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}, code="columns"
        )
    if not any(name.startswith(SCORE_PREFIX) for name in header):
        raise ValidationError(_("No score:<criterion> column."), code="columns")
    reader.fieldnames = header
    records = []
    for row in reader:
        if len(records) == MAX_BATCH:
            raise ValidationError(
                _("At most %(limit)d rows per file.") % {"limit": MAX_BATCH}, code="too_many"
            )
        cells = {key: (value or "").strip() for key, value in row.items() if key}
        records.append(
            {
                **{key: cells[key] for key in REQUIRED},
                "report_number": cells.get("report_number", ""),
                "comment": cells.get("comment", ""),
                "price": cells.get("price") or None,
                "product": {key: cells[key] for key in PRODUCT_COLUMNS if cells.get(key)},
                "scores": {
                    key.removeprefix(SCORE_PREFIX): cells[key]
                    for key in header
                    if key.startswith(SCORE_PREFIX) and cells.get(key)
                },
            }
        )
    if not records:
        raise ValidationError(_("The file has no rows."), code="empty")
    return records
