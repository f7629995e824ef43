"""Chinese text handling done in Python, so the same index works on any managed cluster.

The engine does CJK bigrams and edge n-grams (analysis-common, present everywhere); what
needs dictionaries — traditional→simplified folding and pinyin — happens here, identically
when building documents and when reading queries.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from portal.core.text import to_simplified
from portal.registry.validators import compact

MAX_QUERY_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACES = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_QUERY = re.compile(r"^[a-z0-9 ]+$")
USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
GTIN = re.compile(r"^\d{8}$|^\d{12,14}$")
LICENCE = re.compile(
    r"^(?:\([\u4e00-\u9fff]\)|[\u4e00-\u9fff])?(?:XK\d{2}-?\d{3}-?\d{5}|SC\d{14})$"
)


@lru_cache(maxsize=100_000)
def normalise(text: str | None) -> str:
    """Full-width→half-width, traditional→simplified, lower case, single spaces.

    Cached: brands, makers and model names repeat across thousands of documents."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", to_simplified(text)).strip().lower()


def clean_query(text: str | None) -> str:
    """A query made safe and comparable: no control characters, bounded length, folded.

    Queries never reach a query-string parser, so syntax characters are only text.
    """
    text = _CONTROL.sub(" ", text or "")
    return normalise(text)[:MAX_QUERY_LENGTH].strip()


# People type the distinctive part of a firm's name: 上海海尔电器有限公司 → 海尔电器.
_CITY_PREFIX = re.compile(r"^(?:上海市?|中国|[一-鿿]{2}省[一-鿿]{2}市)")
_ORG_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团|公司|厂)$")


def core_name(name: str) -> str:
    return _ORG_SUFFIX.sub("", _CITY_PREFIX.sub("", to_simplified(name or "")))


def pinyin(text: str) -> list[str]:
    """Full pinyin and initials of a name and of its core: 上海海尔电器有限公司 →
    ["shanghaihaierdianqiyouxiangongsi", "shhedqyxgs", "haierdianqi", "hedq"]."""
    forms: list[str] = []
    for part in dict.fromkeys([text or "", core_name(text)]):
        forms += _pinyin_of("".join(_HAN.findall(part)))
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=50_000)
def _pinyin_of(han: str) -> tuple[str, ...]:
    """Cached: brands and name cores repeat across thousands of documents."""
    if not han:
        return ()
    return ("".join(lazy_pinyin(han)), "".join(lazy_pinyin(han, style=Style.FIRST_LETTER)))


def is_latin(query: str) -> bool:
    """Queries that may be pinyin (haier, he, hai er)."""
    return bool(_LATIN_QUERY.match(query))


def identifier_kind(query: str) -> str | None:
    """ "uscc", "gtin" or "licence" when the query is shaped like one of those identifiers."""
    code = compact(query)
    if USCC.match(code):
        return "uscc"
    if GTIN.match(code):
        return "gtin"
    if LICENCE.match(code):
        return "licence"
    return None
