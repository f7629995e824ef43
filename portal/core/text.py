"""Folding of Chinese text, so that the same name written differently compares equal.

Used wherever two spellings must meet: header crosswalks, enterprise matching, search.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc
from pypinyin import lazy_pinyin

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


@lru_cache(maxsize=2**14)
def fold(text: str | None) -> str:
    """The comparison form of a name.

    NFKC (full→half width), simplified characters, one bracket style, no whitespace, lower
    case: `fold("上海（某某）電器有限公司") == fold("上海(某某)电器有限公司")`.

    Cached: an import folds each of a row's names, agencies and items several times, and the
    same few thousand names recur from row to row (a third of import CPU was spent here).
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


@lru_cache(maxsize=100_000)
def normalise(text: str | None) -> str:
    """Full-width→half-width, traditional→simplified, lower case, single spaces: the form
    in which names are searched. Unlike `fold`, spaces stay (they separate words).

    Cached: brands, makers and model names repeat across thousands of documents."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", to_simplified(text)).strip().lower()


# People type the distinctive part of a firm's name: 上海海尔电器有限公司 → 海尔电器,
# 浙江省温州市龙湾区宏达纸制品厂 → 宏达纸制品. One place (province, city, district) is taken off
# the front, legal forms off the end, and a region in brackets from anywhere.
_CITIES = "上海|北京|天津|重庆|深圳|广州|杭州|宁波|温州|苏州|无锡|南京|东莞|佛山|中山|泉州|厦门"
_PLACE = re.compile(
    rf"^(?:中国)?(?:[一-鿿]{{2,3}}(?:省|自治区))?"
    rf"(?:(?:{_CITIES})市?|[一-鿿]{{2,3}}市)?"
    r"(?:[一-鿿]{1,3}(?:新区|区|县|镇))?"
)
_REGION_IN_BRACKETS = re.compile(r"[(（][一-鿿]{2,4}[)）]")
_LEGAL_FORM = re.compile(
    r"(?:[(（](?:普通|有限)?合伙[)）]|股份有限公司|有限责任公司|有限公司|分公司|集团|公司"
    r"|总厂|分厂|厂|商行|经营部|门市部|营业部|专卖店|商店|店)$"
)


@lru_cache(maxsize=100_000)
def core_name(name: str | None) -> str:
    """An enterprise's name without its place and legal form; the name itself when nothing
    distinctive (two characters or more) would be left."""
    full = to_simplified(unicodedata.normalize("NFKC", name or "")).strip()
    core = _REGION_IN_BRACKETS.sub("", full)
    for _ in range(2):  # 上海某某集团有限公司: both 有限公司 and 集团
        core = _LEGAL_FORM.sub("", core)
    placeless = _PLACE.sub("", core, count=1)
    if len(placeless) >= 2:
        core = placeless
    return core if len(core) >= 2 else full


_HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=100_000)
def han_pinyin(text: str) -> tuple[str, str]:
    """Full pinyin and initials of the Chinese characters in `text` (other characters are
    dropped): 海尔电器 → ("haierdianqi", "hedq"); ("", "") when there are none."""
    han = "".join(_HAN.findall(text or ""))
    if not han:
        return ("", "")
    # One conversion for both: a syllable's initial is its first letter (what
    # Style.FIRST_LETTER gives); a run pypinyin cannot spell stays as it is in both.
    syllables = lazy_pinyin(han)
    initials = (s[0] if s.isascii() else s for s in syllables)
    return ("".join(syllables), "".join(initials))


def pinyin_forms(*names: str) -> list[str]:
    """Full pinyin and initials of each name and of its core, without repeats:
    上海海尔电器有限公司 → ["shanghaihaierdianqiyouxiangongsi", "shhedqyxgs", "haierdianqi",
    "hedq"]."""
    forms: list[str] = []
    for name in names:
        forms += _name_forms(name or "")
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=100_000)
def _name_forms(name: str) -> tuple[str, ...]:
    """`pinyin_forms` of one name; cached, as brands and product names repeat across a
    rebuild's documents."""
    forms: list[str] = []
    for part in dict.fromkeys([name, core_name(name)]):
        # A name in Latin letters (Hongda, MingYue) is its own pinyin.
        forms += [form for form in han_pinyin(part) if form] or _letters(part)
    return tuple(forms)


def _letters(text: str) -> list[str]:
    letters = "".join(ch for ch in normalise(text) if "a" <= ch <= "z")
    return [letters] if letters else []


_ENDS_IN_NUMBER = re.compile(r"\d\s*$")
_UNITS_WITHOUT_SPACE = ("%", "‰", "℃", "°C", "°")


def with_unit(value: str, unit: str) -> str:
    """A measured or required value with its unit: "13.4" and "mg/g" read "13.4 mg/g", "≤5"
    and "%" read "≤5%". Text that does not end in a number ("不得检出") stays as it is."""
    if not (value and unit) or not _ENDS_IN_NUMBER.search(value):
        return value
    joiner = "" if unit in _UNITS_WITHOUT_SPACE else " "
    return f"{value.rstrip()}{joiner}{unit}"
