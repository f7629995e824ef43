"""Warnings an editor should see before confirming: values that parse but are unlikely to be
what the publisher meant — columns shifted by one, dates outside the year of the check, a
verdict that the failed-item columns contradict. They never stop the import."""

from __future__ import annotations

import re
from datetime import date

from . import cells
from .errors import CellError, warning
from .schema import HeaderMap

# Words of an organisation that cannot be a product: an authority, an institute, a company.
_ORGANISATION_PRODUCT = re.compile(
    r"(?:局|研究院|研究所|检测中心|檢測中心|检验中心|檢驗中心|检验所|檢驗所|检测所|檢測所|检验院|檢驗院"
    r"|委员会|委員會|有限公司|有限责任公司|有限責任公司|股份公司|集团|集團)(?:[(（][^()（）]*[)）])?$"
)
# A person's name (个体工商户 are often listed by their keeper) is short; longer text with no
# organisation word is more likely a product in the wrong column.
_LONGEST_PERSON_NAME = 4
_SAMPLING_DATE = re.compile(r"抽[样樣检檢查]日期|抽[样樣]时间|抽[样樣]時間")


def sample_warnings(
    row: int, values: dict[str, str], header: HeaderMap, *, stated: str, failed: bool
) -> list[CellError]:
    """Columns that look shifted and a verdict (`stated`) that the failed items contradict."""
    found = []
    name = values["sample_name"]
    if name and _ORGANISATION_PRODUCT.search(name):
        found.append(warning(row, header.header_of("sample_name"), name, "organisation_as_product"))
    for field in ("producer_name", "sampled_unit_name"):
        enterprise = values[field]
        if (
            len(enterprise) > _LONGEST_PERSON_NAME
            and not cells.looks_like_organisation(enterprise)
            and "个体" not in enterprise
        ):
            found.append(warning(row, header.header_of(field), enterprise, "product_as_enterprise"))
    outcome_column = header.header_of("outcome")
    if stated == cells.PASS and failed:
        found.append(warning(row, outcome_column, values["outcome"], "pass_with_items"))
    if stated == cells.FAIL and not failed and header.column_of("failed_items") is not None:
        found.append(warning(row, outcome_column, values["outcome"], "fail_without_items"))
    return found


def date_warnings(
    row: int, produced: date | None, extra: dict[str, str], lot_column: str, year: int
) -> list[CellError]:
    """A production date after the year of the check, a sampling date outside it."""
    found = []
    if produced and produced.year > year:
        found.append(warning(row, lot_column, produced.isoformat(), "date_after_year"))
    for column, text in extra.items():
        if _SAMPLING_DATE.search(column):
            sampled, _rest = cells.parse_lot(text)
            if sampled and sampled.year != year:
                found.append(warning(row, column, text, "date_outside_year"))
    return found
