"""Chinese text handling done in Python, so the same index works on any managed cluster.

The engine does CJK bigrams and edge n-grams (analysis-common, present everywhere); what
needs dictionaries — traditional→simplified folding and pinyin — happens here, identically
when building documents and when reading queries.
"""

from __future__ import annotations

import re

from portal.core.text import normalise
from portal.registry.validators import compact

MAX_QUERY_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_SPACES = re.compile(r"\s+")
_LATIN_QUERY = re.compile(r"^[a-z0-9 ]+$")
USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
GTIN = re.compile(r"^\d{8}$|^\d{12,14}$")
LICENCE = re.compile(
    r"^(?:\([\u4e00-\u9fff]\)|[\u4e00-\u9fff])?(?:XK\d{2}-?\d{3}-?\d{5}|SC\d{14})$"
)


def clean_query(text: str | None) -> str:
    """A query made safe and comparable: no control characters, bounded length, folded.

    Queries never reach a query-string parser, so syntax characters are only text.
    """
    text = _CONTROL.sub(" ", text or "")
    return normalise(text)[:MAX_QUERY_LENGTH].strip()


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
