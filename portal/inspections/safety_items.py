"""Which failed test items are hazards to the user rather than quality shortfalls: a maintained
list of whole terms, matched as terms, not as substrings.

Real item names compound a term with what was measured ("铅(Pb)含量", "可迁移元素铅",
"输出短路保护", "游离甲醛"), so a term matches an item when, brackets aside, the item is the
term with an allowed prefix and suffix. Chinese compounds put the head last, so a term of two
or more characters may follow any words ("手柄锐利边缘"); a one-character element (铅, 镉)
only the prefixes listed here, so that 铅笔芯 and 含铅量 are not lead failures.
"""

from __future__ import annotations

import re
from functools import lru_cache

from portal.core.text import fold

# The maintained list. Add whole terms as published; traditional spellings fold onto these.
SAFETY_TERMS = (
    # chemical hazards
    "邻苯二甲酸酯",
    "甲醛",
    "可分解致癌芳香胺",
    "偶氮染料",
    "重金属",
    "铅",
    "镉",
    "汞",
    "砷",
    "六价铬",
    "铬",
    "锑",
    "钡",
    "硒",
    "可迁移元素",
    "总迁移量",
    "ph值",
    # physical and mechanical hazards
    "绳带",
    "锐利边缘",
    "锐利尖端",
    "小零件",
    "刹车",
    "制动",
    "爆炸",
    "着火",
    # fire and electrical hazards
    "燃烧性能",
    "阻燃",
    "电气强度",
    "泄漏电流",
    "接地",
    "防触电",
    "耐热",
    "绝缘",
    "导体电阻",
    "过充电保护",
    "过放电保护",
    "短路保护",
)
# What may precede a one-character element: "可迁移元素铅", "总铅", "可溶性铅".
_ELEMENT_PREFIXES = ("", "总", "可迁移", "可迁移元素", "可溶性", "可萃取", "游离", "重金属")
# What may follow a term: what was measured of it or tested about it.
_SUFFIXES = (
    "",
    "含量",
    "限量",
    "总量",
    "迁移量",
    "溶出量",
    "释放量",
    "残留量",
    "要求",
    "试验",
    "测试",
    "性能",
    "措施",
    "电阻",
    "连续性",
    "保护",
    "检查",
    "染料",
    "增塑剂",
    "及其化合物",
)
_BRACKETED = re.compile(r"\([^()]*\)")
_PARTS = re.compile(r"[、,;/和及与]")
_LEADING_NUMBER = re.compile(r"^\d{1,2}[.、)]")


def _pattern() -> re.Pattern[str]:
    terms = sorted((fold(term) for term in SAFETY_TERMS), key=len, reverse=True)
    long_terms = "|".join(re.escape(t) for t in terms if len(t) > 1)
    elements = "|".join(re.escape(t) for t in terms if len(t) == 1)
    prefixes = "|".join(re.escape(p) for p in _ELEMENT_PREFIXES if p)
    suffixes = "|".join(re.escape(s) for s in sorted(_SUFFIXES, key=len, reverse=True) if s)
    return re.compile(rf"(?:.*(?:{long_terms})|(?:{prefixes})?(?:{elements}))(?:{suffixes})?")


_TERM = _pattern()


@lru_cache(maxsize=4096)
def is_safety_item(item: str) -> bool:
    """Whether a failed item's name is one of `SAFETY_TERMS`, as a whole term."""
    folded = _BRACKETED.sub("", _LEADING_NUMBER.sub("", fold(item)))
    return any(_TERM.fullmatch(part) for part in _PARTS.split(folded) if part)
