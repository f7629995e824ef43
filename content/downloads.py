"""A notice's result table as CSV and XLSX downloads.

Both formats go through `escape_formula` cell by cell: the tables travel into Excel and WPS,
where a producer name such as `=HYPERLINK(...)` would otherwise run. The CSV starts with a
UTF-8 byte-order mark because Excel on Chinese Windows reads BOM-less CSV as GBK.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal.inspections.spreadsheets.safety import escape_formula

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [
        _("No."),
        _("sample name"),
        _("nominal brand"),
        _("nominal model / specification"),
        _("date or lot as printed"),
        _("nominal producer"),
        _("nominal producer address"),
        _("sampled unit"),
        _("outcome"),
        _("failed items"),
        _("testing body"),
        _("remarks"),
    ]


def row(number: int, result) -> list:
    failed = "；".join(
        f"{item.item}（{item.measured_with_unit}／{item.limit_with_unit}）"
        if item.measured or item.limit
        else item.item
        for item in result.failed_items.all()
    )
    return [
        number,
        result.sample_name,
        result.nominal_brand,
        result.nominal_model,
        result.lot_raw,
        result.producer_name,
        result.producer_address,
        result.sampled_unit_name,
        result.get_outcome_display(),
        failed,
        str(result.initial_agency or ""),
        result.remarks,
    ]


def table(results) -> list[list]:
    """The header and one escaped row per result: the single place both formats read."""
    rows = [header()]
    rows += [row(n, r) for n, r in enumerate(results, start=1)]
    return [[escape_formula(cell) for cell in cells] for cells in rows]


def _attachment(response: HttpResponse, page, extension: str) -> HttpResponse:
    filename = f"notice-{page.pk}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(page, results) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer).writerows(table(results))
    body = buffer.getvalue().encode("utf-8")
    return _attachment(HttpResponse(body, content_type="text/csv; charset=utf-8"), page, "csv")


def xlsx_response(page, results) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("results"))
    for cells in table(results):
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), page, "xlsx")
