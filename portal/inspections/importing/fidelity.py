"""The fidelity report of one import as a CSV an editor can open in Excel or WPS: what the
file held (rows read, samples, landed, skipped and why) and every error, warning and
ambiguity, one per line. UTF-8 with a BOM, without which Excel reads Chinese as GBK."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..spreadsheets import escape_formula

#: Why a row was skipped, in Chinese and English (`spreadsheets.rows.Skipped`).
SKIP_REASONS = {
    "empty": ("空行（没有样品数据）", "empty row (no sample data)"),
    "note": ("注释行", "note"),
    "section": ("分节标题", "section title"),
    "header": ("重复的表头", "header repeated"),
}
_SUMMARY = (
    ("rows", "读取行数", "rows read"),
    ("samples", "样品数", "samples"),
    ("landed", "导入结果数", "results landed"),
    ("created", "新增", "created"),
    ("updated", "更新", "updated"),
    ("unchanged", "未变", "unchanged"),
    ("removed", "不再列出", "no longer listed"),
    ("skipped_count", "跳过行数", "rows skipped"),
    ("warning_count", "警告", "warnings"),
    ("error_count", "错误", "errors"),
    ("ambiguous_count", "待确认的生产企业", "ambiguous producers"),
)
HEADER = ("类别 Kind", "行 Row", "列 Column", "值 Value", "原因", "Reason")


def _lines(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    lines: list[tuple[Any, ...]] = [
        ("summary", "", f"{zh} {en}", report.get(key, 0), "", "") for key, zh, en in _SUMMARY
    ]
    if report.get("same_content") or report.get("duplicate_of"):
        lines.append(("summary", "", "重复 Duplicate of", report["duplicate_of"], "", ""))
    if error := report.get("file_error"):
        lines.append(("file", error["row"] or "", error["column"] or "", "", *_reasons(error)))
    for reason, count in report.get("skipped", {}).items():
        zh, en = SKIP_REASONS[reason]
        lines.append(("skipped_total", "", "", count, zh, en))
    lines += [
        ("skipped", row, "", text, *SKIP_REASONS[reason])
        for row, reason, text in report.get("skipped_rows", [])
    ]
    for kind in ("errors", "warnings"):
        lines += [
            (kind[:-1], p["row"], p["column"], p["value"], *_reasons(p))
            for p in report.get(kind, [])
        ]
    lines += [
        (
            "ambiguous",
            ", ".join(map(str, a["rows"])),
            "",
            a["name"],
            "有多个同名企业：" + ", ".join(map(str, a["candidates"])),
            "several enterprises have this name: " + ", ".join(map(str, a["candidates"])),
        )
        for a in report.get("ambiguous", [])
    ]
    return lines


def _reasons(problem: dict[str, Any]) -> tuple[str, str]:
    return problem["reason_zh"], problem["reason_en"]


def fidelity_csv(report: dict[str, Any]) -> str:
    """The report (`ImportReport.to_json()`, as kept on the job) as CSV text with a BOM; every
    value escaped so that none can run as a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for line in _lines(report):
        writer.writerow([escape_formula(value) for value in line])
    return out.getvalue()
