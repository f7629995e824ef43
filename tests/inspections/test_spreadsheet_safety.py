"""Formula injection: what is refused on import, what is escaped on export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.inspections.spreadsheets import escape_formula, is_formula


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil","x")',
        "=cmd|' /C calc'!A0",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "=1+1",
        "  =1+1",
        "\t=1+1",
        '-HYPERLINK("http://evil")',
        "+A1",
    ],
)
def test_formulas_are_recognised(text):
    assert is_formula(text)


@pytest.mark.parametrize(
    "text",
    [
        "-5",
        "+0.3",
        "-18℃",
        "-5～-40℃",
        "1,000",
        "=",
        "-",
        "—",
        "- 纤维含量",
        "上海=某某",
        "2019-01-25",
        "",
    ],
)
def test_numbers_and_ordinary_text_are_not_formulas(text):
    assert not is_formula(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\rfoo", "'\rfoo"),
        (" =1+1", "' =1+1"),
        ("-18℃", "'-18℃"),
        ("-5", "-5"),
        ("+0.3", "+0.3"),
        ("儿童服装", "儿童服装"),
        ("", ""),
        (-5, -5),
        (0.3, 0.3),
        (Decimal("-1.5"), Decimal("-1.5")),
        (date(2019, 1, 25), date(2019, 1, 25)),
        (None, None),
    ],
)
def test_escape_formula_for_exports(value, expected):
    assert escape_formula(value) == expected
