"""Identifiers that pass the same checks real ones do: credit codes, barcodes, licences.

Check characters come from python-stdnum, the library the registry's validators use, so a
demo identifier is valid by the same rule that will check an imported one.
"""

from __future__ import annotations

import random

from stdnum import ean
from stdnum.cn import uscc

# GB 11714 organisation codes: digits and upper-case letters, weighted, check mod 11.
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_check(body: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, division: str) -> str:
    """A unified social credit code of a company (91) registered in `division`.

    Firms registered since 2015 have organisation codes beginning with MA; older ones kept
    their numeric organisation code.
    """
    if rng.random() < 0.55:
        body = "MA" + "".join(rng.choice(_ORG_ALPHABET) for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = "91" + division + body + _org_check(body)
    return first17 + uscc.calc_check_digit(first17)


def company_prefix(index: int) -> str:
    """A GS1 China company prefix (69 + 7 digits), different for every maker index.

    Multiplying by a number coprime with 10⁷ permutes the indexes, so prefixes look
    scattered while staying unique.
    """
    return "69" + f"{(index * 7_654_321 + 1_234_567) % 10_000_000:07d}"


def gtin13(prefix: str, item: int) -> str:
    """A GTIN-13 from a 9-digit company prefix and a 3-digit item reference."""
    first12 = f"{prefix}{item:03d}"
    return first12 + ean.calc_check_digit(first12)


def licence_number(prefix: str, firm: int, provincial: bool) -> str:
    """A production licence number such as XK16-204-00085, or (沪)XK06-001-01234."""
    return f"{'(沪)' if provincial else ''}{prefix}-{firm:05d}"


def cma_number(rng: random.Random, year: int) -> str:
    """A CMA certificate number: year of issue, province (09 is Shanghai), serial."""
    return f"{year % 100:02d}09{rng.randrange(10**8):08d}"


def cnas_number(rng: random.Random) -> str:
    return f"CNAS L{rng.randrange(100, 16000):04d}"
