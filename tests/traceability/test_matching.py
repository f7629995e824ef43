"""The pure half of `portal.traceability.matching`: what a typed text can be looked up as,
and the patterns that find the same text stored in other spellings."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.traceability import matching
from portal.traceability.matching import Confidence, Kind

from .conftest import gtin13

EAN = gtin13("692000000101")  # 6920000001019
SPACED = f"{EAN[:3]} {EAN[3:7]} {EAN[7:12]} {EAN[12]}"
FULL_WIDTH = EAN.translate({ord(d): chr(ord(d) + 0xFEE0) for d in "0123456789"})
UPC = "036000291452"  # a UPC-A: the same GTIN as EAN-13 0036000291452


def wrong(code: str) -> str:
    """The code with its check digit off by one."""
    return code[:-1] + str((int(code[-1]) + 1) % 10)


@pytest.mark.parametrize(
    "typed",
    [
        EAN,
        f" {EAN} ",
        SPACED,
        SPACED.replace(" ", "-"),
        FULL_WIDTH,
        "0" + EAN,  # GTIN-14
    ],
)
def test_a_barcode_in_any_spelling_is_one_gtin14(typed):
    query = matching.parse(typed)
    assert query.gtin14 == "0" + EAN
    assert not query.barcode_problem


def test_upc_a_ean13_and_dropped_leading_zeros_compare_equal():
    forms = {UPC, "0" + UPC, "00" + UPC, UPC.lstrip("0")}
    assert {matching.parse(form).gtin14 for form in forms} == {"00" + UPC}


def test_a_gtin8_is_padded_and_found_in_every_stored_length():
    query = matching.parse("96385074")
    assert query.gtin14 == "00000096385074"
    assert matching.stored_forms(query.gtin14) == [
        "00000096385074",
        "0000096385074",
        "000096385074",
        "96385074",
    ]
    assert matching.stored_forms("0" + EAN) == ["0" + EAN, EAN]


@pytest.mark.parametrize("typed", [wrong(EAN), wrong("0" + EAN), wrong(UPC)])
def test_a_wrong_check_digit_is_explained_and_the_text_looked_up_as_a_batch(typed):
    with translation.override("en"):
        query = matching.parse(typed)
    assert query.gtin14 == ""
    assert "check digit" in query.barcode_problem
    assert typed in query.barcode_problem
    assert query.lot_key == typed


def test_eight_digits_with_a_wrong_check_digit_are_a_lot_number_without_complaint():
    query = matching.parse("19031801")
    assert (query.gtin14, query.barcode_problem, query.lot_key) == ("", "", "19031801")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\x00\x07", "empty"),
        ("A1", "too_short"),
        ("批号：", "too_short"),
    ],
)
def test_nothing_to_look_up_is_refused_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as error:
        matching.parse(typed)
    assert error.value.code == code


def test_longer_than_any_code_is_refused():
    with pytest.raises(ValidationError) as error:
        matching.parse("A" * (matching.MAX_LENGTH + 1))
    assert error.value.code == "too_long"
    assert matching.parse("A" * matching.MAX_LENGTH).lot_key == "A" * matching.MAX_LENGTH


def test_control_characters_are_dropped():
    assert matching.parse("PB\x001812\x1f").text == "PB1812"


@pytest.mark.parametrize(
    "written",
    [
        "PB1812",
        "pb1812",
        "pb-1812",
        "PB 18.12",
        "ＰＢ１８１２",
        "ｐｂ－１８１２",
        "批号：PB1812",
        "批號:pb 1812",
        "生产批号 PB1812",
        "Lot No. PB1812",
        "LOT: pb1812",
        "batch#PB1812",
        "【PB1812】",
    ],
)
def test_lot_spellings_share_one_key(written):
    assert matching.lot_key(written) == "PB1812"


@pytest.mark.parametrize("other", ["PB18120", "XPB1812", "PB181", "LOTPB1812", "PB1812A"])
def test_other_lots_keep_other_keys(other):
    assert matching.lot_key(other) != "PB1812"


STORED = [
    "PB1812",
    "pb-1812",
    "ｐｂ－１８１２",
    "ＰＢ　１８１２",
    "批号：PB1812",
    "批號:pb 1812",
    "Lot No. PB1812",
    "ＬＯＴ：PB1812",
    " - PB/1812 ",
    "PB18120",
    "XPB1812",
    "LOTPB1812",
    "PB1812批号",
    "2019-03-18/PB1812",
]


@pytest.mark.parametrize("stored", STORED)
def test_the_database_pattern_matches_exactly_the_stored_text_with_the_same_key(stored):
    """The pattern is what the database runs; `lot_key` is the rule it implements."""
    pattern = matching.lot_pattern("PB1812")
    assert bool(re.search(pattern, stored)) == (matching.lot_key(stored) == "PB1812")


@pytest.mark.parametrize(
    ("stored", "matches"),
    [
        (EAN, True),
        ("0" + EAN, True),
        ("00" + EAN, True),
        (SPACED, True),
        (FULL_WIDTH, True),
        (wrong(EAN), False),
        ("1" + EAN, False),
        (EAN + "0", False),
    ],
)
def test_the_warning_barcode_pattern_allows_spacing_width_and_leading_zeros(stored, matches):
    assert bool(re.search(matching.gtin_pattern("0" + EAN), stored)) is matches


def test_the_scoring_table_lists_kinds_from_surest_to_least_sure():
    """The database takes the first condition a row meets as its kind, so the table order
    must be the order of confidence."""
    fixed = [score for score in matching.SCORES.values() if score is not None]
    assert fixed == sorted(fixed, reverse=True)
    assert matching.SCORES[Kind.REGISTERED_GTIN] == Confidence.CERTAIN
    assert matching.SCORES[Kind.WARNING_GTIN] == Confidence.CERTAIN
    assert matching.SCORES[Kind.LOT_EXACT] == Confidence.HIGH
    assert matching.SCORES[Kind.LOT_NORMALISED] == Confidence.MEDIUM
    assert matching.SCORES[Kind.NAME_ONLY] == Confidence.LOW
    assert set(matching.SCORES) == set(Kind)
