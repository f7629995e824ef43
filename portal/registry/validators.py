"""Identifiers of the registry, checked the way the issuing systems define them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import ean
from stdnum.cn import uscc

# 生产许可证: XK + industry (2) - product (3) - firm (5), optionally led by a province
# abbreviation such as "(沪)" or "沪"; food production licences are SC + 14 digits.
LICENCE_NUMBER = re.compile(
    r"^(?:\([\u4e00-\u9fff]\)|[\u4e00-\u9fff])?XK\d{2}-\d{3}-\d{5}$|^SC\d{14}$"
)
GTIN_LENGTHS = (8, 12, 13, 14)
_BARCODE_GAPS = re.compile(r"[\s\-]")


def compact(value: str) -> str:
    """Full-width → half-width, spaces removed, upper case: how identifiers are compared."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


# A licence number in its loose form (`code_key`): XK + 2 + 3 + 5 digits, or SC + 14.
LICENCE_KEY = re.compile(r"^(XK)(\d{2})(\d{3})(\d{5})$|^SC\d{14}$")
# A province abbreviation leading a licence number: "(沪)XK06-001-00085", "沪XK06-001-00085".
_LICENCE_PROVINCE = re.compile(r"^(?:\([\u4e00-\u9fff]\)|[\u4e00-\u9fff])")
_NOT_CODE = re.compile(r"[^0-9A-Za-z]")


@lru_cache(maxsize=2**16)
def code_key(value: str | None) -> str:
    """The loose form of an identifier or model: letters and digits only, upper case, so
    "ht 10000", "HT-10000" and "ＨＴ１００００" meet. Licences lose their province prefix
    ((沪)XK06-001-00085 → XK0600100085).

    Cached: a rebuild asks it for every model and barcode, and models repeat."""
    return _NOT_CODE.sub("", _LICENCE_PROVINCE.sub("", compact(value or "")))


def gtin14(value: str) -> str:
    """A GTIN of 8, 12, 13 or 14 digits as GTIN-14 (left-padded with zeros), "" otherwise."""
    digits = code_key(value)
    return digits.zfill(14) if digits.isdigit() and len(digits) in GTIN_LENGTHS else ""


def validate_uscc(value: str) -> None:
    """统一社会信用代码: 18 characters whose last is a check character (GB 32100-2015)."""
    if not uscc.is_valid(compact(value)):
        raise ValidationError(
            _("%(value)s is not a valid unified social credit code (check character)."),
            code="invalid_uscc",
            params={"value": value},
        )


def barcode_digits(text: str) -> str:
    """The digits of a barcode-shaped text (8 to 14 digits once spaces, hyphens and full
    width are gone), or "" for any other text. The check digit is not checked here."""
    digits = _BARCODE_GAPS.sub("", unicodedata.normalize("NFKC", text))
    return digits if digits.isascii() and digits.isdigit() and 8 <= len(digits) <= 14 else ""


def check_digit_ok(code14: str) -> bool:
    return ean.calc_check_digit(code14[:-1]) == code14[-1]


def stored_forms(code14: str) -> list[str]:
    """Every length (14, 13, 12, 8) a registered barcode of this GTIN can be stored in."""
    return [code14[14 - n :] for n in (14, 13, 12, 8) if not code14[: 14 - n].strip("0")]


def validate_gtin(value: str) -> None:
    """GTIN-8/12/13/14 with a correct GS1 check digit."""
    code = compact(value)
    if not (code.isdigit() and len(code) in GTIN_LENGTHS and ean.is_valid(code)):
        raise ValidationError(
            _("%(value)s is not a valid GTIN barcode (check digit)."),
            code="invalid_gtin",
            params={"value": value},
        )


def validate_licence_number(value: str) -> None:
    if not LICENCE_NUMBER.match(compact(value)):
        raise ValidationError(
            _("%(value)s is not a production licence number such as XK13-014-00001."),
            code="invalid_licence_number",
            params={"value": value},
        )
