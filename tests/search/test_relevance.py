"""Relevance against the real engine: what a citizen types, and what must come first.

Each case: the query, the corpus key of the expected result, and how high it must rank.
"""

import uuid

import pytest
from django.test import override_settings

from portal.registry.models import Enterprise, Licence, Product
from search import engine, indexing
from search.queries import LookupQuery
from tests.search import corpus

pytestmark = [pytest.mark.search, pytest.mark.django_db]

CASES = [
    # simplified / traditional / full width
    ("上海海尔电器有限公司", "haier", 1),
    ("上海海爾電器有限公司", "haier", 1),
    ("海尔电器", "haier", 1),
    ("美的厨房电器", "midea", 1),
    ("美的廚房電器", "midea", 1),
    ("學生書包", "p:schoolbag", 1),
    ("移動電源", "p:powerbank", 1),
    ("电饭煲", "p:cooker", 1),
    ("兒童連衣裙", "p:dress", 1),
    ("一次性餐盒", "p:foodbox", 1),
    ("滚筒洗衣机", "p:washer", 1),
    ("家用燃氣灶", "p:stove", 1),
    ("电动自行车", "p:ebike", 1),
    ("海尔 电热水器", "p:heater", 1),
    ("童乐T恤", "p:tshirt", 1),
    ("ＢＣＤ－４７０ＷＤＰＧ", "p:fridge", 1),
    # the trade-mark word copied from a label
    ("美的牌电饭煲", "p:cooker", 1),
    ("海尔牌 冰箱", "p:fridge", 1),
    ("小天鹅牌", "p:washer", 2),
    ("雅迪牌", "p:ebike", 2),
    # only the first characters
    ("上海童乐", "tongle", 1),
    ("童乐服", "tongle", 1),
    ("好学箱", "haoxue", 1),
    ("申缆", "shenlan", 2),
    ("小天鹅", "swan", 2),
    ("金龙鱼食品", "jinlong", 1),
    # pinyin, full and initials
    ("haier", "haier", 3),
    ("haierdianqi", "haier", 1),
    ("hedq", "haier", 1),
    ("yadi", "yadi", 2),
    ("xiaotiane", "swan", 2),
    ("geli", "gree", 2),
    ("chongqing", "chongqing", 2),
    ("tongle", "tongle", 3),
    ("he", "p:heater", 3),
    # typos in pinyin find the brand
    ("haeir", "p:heater", 2),
    ("yaddi", "p:ebike", 1),
    ("xiaotiann", "p:washer", 1),
    ("geil", "p:aircon", 1),
    # identifiers
    (corpus.code(1), "haier", 1),
    (corpus.code(3).lower(), "tongle", 1),
    ("XK16-204-00001", "haier", 1),
    ("xk21-001-00123", "yadi", 1),
    ("（沪）XK06-001-00085", "shenlan", 1),
    ("SC10831011500123", "lekou", 1),
    (corpus.gtin(2), "p:fridge", 1),
    (corpus.gtin(11), "p:foodbox", 1),
    ("KFR-35GW", "p:aircon", 1),
    ("SB-01", "p:schoolbag", 1),
    # A maker's full name finds its products (the maker's name as a phrase).
    ("上海长城家具有限公司", "p:desk", 3),
]


@pytest.fixture(scope="module")
def indexed(django_db_setup, django_db_blocker):
    prefix = f"anxin-test-{uuid.uuid4().hex[:10]}"
    with override_settings(SEARCH_INDEX_PREFIX=prefix), django_db_blocker.unblock():
        objects = corpus.build()
        indexing.rebuild()
        yield prefix, objects
        Product.objects.all().delete()
        Licence.objects.all().delete()
        Enterprise.objects.all().delete()
        engine.get_client().indices.delete(index=f"{prefix}-*")


@pytest.mark.parametrize(("text", "expected", "within"), CASES, ids=[c[0] for c in CASES])
def test_expected_result_ranks_high(indexed, text, expected, within):
    prefix, objects = indexed
    with override_settings(SEARCH_INDEX_PREFIX=prefix):
        results = LookupQuery(text).execute()
    want = objects[expected]
    kind = "product" if expected.startswith("p:") else "enterprise"
    ranked = [(hit.kind, hit.object_id) for hit in results.hits[:within]]
    assert (kind, want.pk) in ranked, f"{text!r}: got {ranked}"
