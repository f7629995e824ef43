"""How a citizen's query is read: cleaned, cut into words, and stripped of the words that are
filters rather than names ("不合格", "2019年").

The engine does CJK bigrams and edge n-grams (analysis-common, present everywhere); what
needs dictionaries — traditional→simplified folding and pinyin (`portal.core.text`) — happens
in Python, identically when building documents and when reading queries, so the same index
works on any managed cluster. The database fallback reads queries with the same parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from portal.core.text import normalise
from portal.registry.validators import LICENCE_KEY, code_key, compact, gtin14

MAX_QUERY_LENGTH = 100
# Control and format characters, lone surrogates and private-use characters are never part
# of a name; they are blanked before anything else looks at the text.
_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff"
    r"\ue000-\uf8ff\ufff0-\uffff]"
)
_HAN = r"\u3400-\u9fff\uf900-\ufaff"
# A word: a run of Chinese characters, or of letters and digits that may hold the joiners
# models are written with (HT-10000, BV 2.5mm², 110/56, C21-RT2149).
_ALNUM = "0-9a-z\u00e0-\u024f"
_WORD = re.compile(rf"[{_HAN}]+|[{_ALNUM}](?:[{_ALNUM}.\-/+×*]*[{_ALNUM}])?")
_LATIN_WORD = re.compile(r"^[a-z]+$")
_LATIN_QUERY = re.compile(r"^[a-z0-9 ]+$")

USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

#: Words that ask for a verdict, longest first (不合格 before 合格), and what they filter on.
VERDICT_WORDS = {
    "抽检不合格": "fail",
    "检测不合格": "fail",
    "不合格": "fail",
    "不达标": "fail",
    "不符合": "fail",
    "有问题": "fail",
    "抽检合格": "pass",
    "合格": "pass",
    "达标": "pass",
}
_VERDICT = re.compile("|".join(VERDICT_WORDS))
_YEAR = re.compile(r"(?<![0-9a-z])((?:19|20)\d{2})\s*年度?")
_BARE_YEAR = re.compile(r"^(?:19|20)\d{2}$")
#: Words citizens add around a name that name nothing ("恒泰 充电宝 质量怎么样").
NOISE_WORDS = (
    *("怎么样", "好不好", "安全吗", "如何", "抽检", "抽查", "检测", "检验", "结果", "质量"),
    *("产品", "品牌", "厂家", "企业", "的"),
)
_TRAILING_NOISE = re.compile(f"(?<=..)(?:{'|'.join(NOISE_WORDS)})+$")
# The trade-mark word citizens copy from labels: 美的牌电饭煲 is the brand and the product, two
# words (美的牌 电饭煲), when two characters or more stand on each side (扑克牌盒 stays whole).
_BRAND_MARK = re.compile(rf"(?<=[{_HAN}]{{2}}牌)(?=[{_HAN}]{{2}})")


def clean_query(text: str | None) -> str:
    """A query made safe and comparable: nothing unprintable, folded, bounded length.

    Queries never reach a query-string parser, so syntax characters are only text.
    """
    text = _UNPRINTABLE.sub(" ", text or "")
    return normalise(text)[:MAX_QUERY_LENGTH].strip()


def is_latin(query: str) -> bool:
    """Queries that may be pinyin (haier, he, hai er)."""
    return bool(_LATIN_QUERY.match(query))


def identifier_kind(query: str) -> str | None:
    """ "uscc", "gtin" or "licence" when the query is shaped like one of those identifiers."""
    code = compact(query)
    if USCC.match(code):
        return "uscc"
    if gtin14(code):
        return "gtin"
    if LICENCE_KEY.match(code_key(code)):
        return "licence"
    return None


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the lookup reads it.

    `text` is the cleaned query without its verdict and year words; `words` are its words
    (Chinese runs and Latin/digit runs apart: "hengtai电器" → hengtai, 电器), noise words
    dropped; `outcome` and `year` are what the removed words asked for; `key` is the
    whole query as a loose identifier (see `code_key`).
    """

    raw: str
    text: str
    words: tuple[str, ...] = ()
    outcome: str | None = None
    year: int | None = None
    key: str = ""
    filter_words: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.text or self.outcome or self.year)

    @property
    def latin(self) -> bool:
        return is_latin(self.text)

    def without(self, word: str) -> str:
        """The query as typed, less one of its filter words (for removing a chip)."""
        return " ".join(self.raw.replace(word, " ").split())


def is_latin_word(word: str) -> bool:
    return bool(_LATIN_WORD.match(word))


def is_han_word(word: str) -> bool:
    return bool(re.match(rf"^[{_HAN}]+$", word))


def without_brand_mark(word: str) -> str | None:
    """The brand in a word that ends with the trade-mark word: 晨欣牌 → 晨欣, for brands
    registered without it. The word itself is still looked up (the brand 捷鑫牌)."""
    if len(word) >= 3 and word.endswith("牌") and is_han_word(word):
        return word[:-1]
    return None


def parse_query(text: str | None) -> ParsedQuery:
    raw = clean_query(text)
    rest, outcome, year, filter_words = raw, None, None, []
    if verdict := _VERDICT.search(rest):
        outcome = VERDICT_WORDS[verdict.group()]
        filter_words.append(verdict.group())
        rest = rest.replace(verdict.group(), " ", 1)
    if found := _YEAR.search(rest):
        year = int(found.group(1))
        filter_words.append(found.group())
        rest = rest.replace(found.group(), " ", 1)
    tokens = [_TRAILING_NOISE.sub("", token) for token in rest.split()]
    tokens = [token for token in tokens if token and token not in NOISE_WORDS] or rest.split()
    # A bare year beside a name ("海尔 2019") is a year; alone it may be a model number.
    if year is None and len(tokens) > 1:
        for token in tokens:
            if _BARE_YEAR.match(token) and 2000 <= int(token) <= date.today().year + 1:
                year = int(token)
                filter_words.append(token)
                tokens.remove(token)
                break
    text = _BRAND_MARK.sub(" ", " ".join(tokens))
    words = tuple(_WORD.findall(text))
    if not words:
        text = ""
    return ParsedQuery(
        raw=raw,
        text=text,
        words=words,
        outcome=outcome,
        year=year,
        key=code_key(raw),
        filter_words=tuple(filter_words),
    )
