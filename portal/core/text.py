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


# Free text from the public, graders and partners is stored as plain text: never HTML, escaped
# when shown. Control characters (other than newline and tab) and bidirectional overrides are
# removed because they break CSV exports, terminals and some browsers' rendering; nothing else
# is altered, so what was written is what the public reads.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def plain_text(value: str | None) -> str:
    """NFC-normalised text without control or bidirectional-override characters."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()
