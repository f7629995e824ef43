"""`han_pinyin` gives the same initials as pypinyin's FIRST_LETTER style from one conversion."""

import pytest
from pypinyin import Style, lazy_pinyin

from portal.core.text import han_pinyin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("海尔电器", ("haierdianqi", "hedq")),
        ("中国银行", ("zhongguoyinhang", "zgyh")),  # a heteronym read from its phrase
        ("Hongda 宏达", ("hongda", "hd")),  # Latin letters dropped
        ("Hongda", ("", "")),
    ],
)
def test_full_pinyin_and_initials(text, expected):
    assert han_pinyin(text) == expected


def test_initials_as_first_letter_style_even_for_characters_without_pinyin():
    text = "乾䷀䷁坤"  # hexagram symbols sit in the Han range pypinyin cannot spell
    assert han_pinyin(text)[1] == "".join(lazy_pinyin(text, style=Style.FIRST_LETTER))
