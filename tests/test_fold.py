"""`fold` is cached (imports fold the same names row after row): the cache is bounded and
gives what the uncached function gives."""

import pytest

from portal.core.text import fold


@pytest.mark.parametrize(
    "text",
    [None, "", "上海（某某）電器有限公司", "上海(某某)电器有限公司", " ＡＢＣ　公司 ", "【牌】"],
)
def test_the_cached_fold_is_the_uncached_fold(text):
    assert fold(text) == fold(text) == fold.__wrapped__(text)


def test_the_cache_is_bounded_and_used():
    assert fold.cache_info().maxsize is not None
    fold("上海第一实业有限公司")
    hits = fold.cache_info().hits
    assert fold("上海第一实业有限公司") == "上海第一实业有限公司"
    assert fold.cache_info().hits == hits + 1


def test_traditional_and_full_width_spellings_still_meet():
    folded = "上海(某某)电器有限公司"
    assert fold("上海（某某）電器有限公司") == fold("上海(某某)电器有限公司") == folded
