"""Parts that Chinese company, shop, brand and address names are assembled from.

Trade names (字号) are invented from auspicious characters on purpose: the demo publishes
failed spot checks, and no real firm or brand should appear to have failed one. The lists
are data, in `data/names.json`.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .data import load

_NAMES = load("names.json")

TRADE_CHARS: str = _NAMES["trade_chars"]
COMPANY_FORMS: tuple[str, ...] = _NAMES["company_forms"]  # weighted: 有限公司 eight times in nine
# 商超 sell consumer goods, 建材 wire and industrial goods, 加油站 fuel, 电商 everything online.
RETAIL_WORDS: dict[str, tuple[str, ...]] = _NAMES["retail_words"]
RETAIL_SHARE: dict[str, float] = _NAMES["retail_share"]
CUTE_BRAND_HEADS: tuple[str, ...] = _NAMES["cute_brand_heads"]
CUTE_BRAND_TAILS: tuple[str, ...] = _NAMES["cute_brand_tails"]
STORE_SUFFIXES: tuple[str, ...] = _NAMES["store_suffixes"]
PLATFORMS: tuple[str, ...] = _NAMES["platforms"]
# Shanghai's districts, by the codes of portal.registry.districts: administrative division
# code (digits 3–8 of a credit code), notice-number abbreviation, road names (with the town
# in the suburbs), and how many manufacturers and shops they hold relative to each other.
DISTRICTS: dict[str, tuple[str, str, tuple[str, ...], int, int]] = _NAMES["districts"]
# Roads that exist in nearly every Chinese town, for producers outside Shanghai.
COMMON_ROADS: tuple[str, ...] = _NAMES["common_roads"]
# Testing bodies; the names are invented, as are their CMA and CNAS numbers. The labs they
# cover are the `lab` keys of the profiles (data/profiles.json).
AGENCIES: tuple[tuple[str, tuple[str, ...]], ...] = _NAMES["agencies"]
PRIVATE_LAB_PATTERNS: tuple[str, ...] = _NAMES["private_lab_patterns"]


@lru_cache(maxsize=4096)
def initials(text: str) -> str:
    """Pinyin initials, upper case (恒源 → HY): how model codes and store slugs look."""
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).upper()


def pinyin(text: str) -> str:
    """Toneless pinyin run together (恒源 → hengyuan), for shop sub-domains."""
    return "".join(lazy_pinyin(text))
