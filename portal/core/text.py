"""Folding of Chinese text, so that the same name written differently compares equal.

Used wherever two spellings must meet: header crosswalks, enterprise matching, search.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACES = re.compile(r"\s+")
# After NFKC, full-width brackets are ASCII; Chinese lenticular and corner brackets are not.
_BRACKETS = str.maketrans(
    {
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "［": "(",
        "］": ")",
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
    }
)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC); other scripts pass through unchanged."""
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified → traditional Chinese (OpenCC's standard characters, no regional
    phrasing); other scripts, and HTML tags, pass through unchanged."""
    return _s2t().convert(text)


def fold(text: str | None) -> str:
    """The comparison form of a name.

    NFKC (full→half width), simplified characters, one bracket style, no whitespace, lower
    case: `fold("上海（某某）電器有限公司") == fold("上海(某某)电器有限公司")`.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text).translate(_BRACKETS)
    return _SPACES.sub("", text).lower()
