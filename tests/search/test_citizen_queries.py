"""What citizens type, on the real engine: words spread over fields, pinyin mixed with
characters, identifiers written loosely, verdict and year words, and names before brands."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from portal.inspections.models import Outcome
from portal.registry.models import Licence
from search import indexing
from search.queries import LookupQuery, autocomplete
from tests.factories import (
    EnterpriseFactory,
    ProductBarcodeFactory,
    ProductFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
)
from tests.search.corpus import code

pytestmark = [pytest.mark.search, pytest.mark.django_db]

MAKERS = {
    # key: (name as registered, credit code number)
    "hengtai": ("上海恒泰电器有限公司", 101),
    "xunchong": ("深圳市迅充科技有限公司", 102),
    "hongda": ("浙江省温州市宏达纸制品厂", 103),
    "jinguang": ("上海金光纸业有限公司", 104),
    "lvzhou": ("上海绿洲餐具有限公司", 105),
    "chenxing": ("上海晨星文具制造有限公司", 106),
    "chenxing2": ("上海辰星电子有限公司", 107),
    "mingyue": ("上海市浦东新区明月儿童用品有限公司", 108),
}
PRODUCTS = {
    # key: (maker, name, brand, model)
    "powerbank": ("hengtai", "移动电源", "恒泰", "HT-10000"),
    "kettle": ("hengtai", "电热水壶", "恒泰", "HT-K17"),
    "xc_powerbank": ("xunchong", "移动电源", "迅充", "XC-20000"),
    "bs_powerbank": ("xunchong", "移动电源", "倍思", "BS-10"),
    "cup": ("hongda", "食品用纸杯", "宏达", "250ml"),
    "bowl": ("hongda", "食品用纸碗", "Hongda", "500ml"),
    "jg_cup": ("jinguang", "纸杯", "金光", "9盎司"),
    "tableware": ("lvzhou", "一次性塑料餐具", "绿洲", "LZ-01"),
    "box": ("lvzhou", "一次性塑料餐盒", "绿洲", "LZ-750"),
    "lamp": ("mingyue", "LED台灯", "MingYue", "MY-01"),
    **{f"pen{n}": ("chenxing", f"中性笔{n}号", "晨星", f"CX-{n}") for n in range(4)},
    **{f"bulb{n}": ("chenxing2", f"LED灯泡{n}号", "辰星", f"CS-{n}") for n in range(4)},
}


@pytest.fixture
def corpus(search_prefix):
    objects = {key: EnterpriseFactory(name=name, uscc=code(n)) for key, (name, n) in MAKERS.items()}
    for key, (maker, name, brand, model) in PRODUCTS.items():
        objects[key] = ProductFactory(
            name=name, brand=brand, model_spec=model, manufacturer=objects[maker]
        )
    ProductBarcodeFactory(product=objects["powerbank"], gtin="6901234567892")
    Licence.objects.create(
        number="(沪)XK16-204-00011",
        enterprise=objects["hengtai"],
        product_unit="家用电器",
        issuer_level="provincial",
        issued_on="2018-01-01",
        expires_on="2023-01-01",
    )
    checked = SpotCheckBatchFactory(year=2019, published_on="2019-06-01")
    for key, outcome in (("tableware", Outcome.FAIL), ("box", Outcome.PASS)):
        SpotCheckResultFactory(
            batch=checked, product=objects[key], producer=objects["lvzhou"], outcome=outcome
        )
    indexing.rebuild()
    return objects


def ranked(text: str, **filters) -> list:
    return [(h.kind, h.object_id) for h in LookupQuery(text, filters).execute().hits]


def first(text: str) -> tuple:
    hits = ranked(text)
    assert hits, f"nothing found for {text!r}"
    return hits[0]


def product(corpus, key):
    return ("product", corpus[key].pk)


def enterprise(corpus, key):
    return ("enterprise", corpus[key].pk)


def test_brand_and_product_words_meet_in_one_document(corpus):
    assert first("恒泰 移动电源") == product(corpus, "powerbank")
    assert first("恒泰移动电源") == product(corpus, "powerbank")
    # Other makers' power banks may follow, but never before.
    assert ranked("移动电源")[:3].count(product(corpus, "powerbank")) == 1


def test_brand_and_part_of_the_product_name(corpus):
    assert first("宏达 纸杯") == product(corpus, "cup")
    assert first("金光纸杯") == product(corpus, "jg_cup")
    assert {product(corpus, "cup"), product(corpus, "jg_cup")} <= set(ranked("纸杯"))


@pytest.mark.parametrize("text", ["hengtai电器", "HengTai 电器", "ＨＥＮＧＴＡＩ电器", "恒太电器"])
def test_pinyin_mixed_with_characters_and_homophones(corpus, text):
    assert first(text) == enterprise(corpus, "hengtai")


@pytest.mark.parametrize("text", ["ht10000", "HT 10000", "ｈｔ－１００００", "Ht-10000"])
def test_models_written_loosely(corpus, text):
    assert first(text) == product(corpus, "powerbank")


@pytest.mark.parametrize(
    "text", ["6901234567892", "06901234567892", "690 1234 56789 2", "６９０１２３４５６７８９２"]
)
def test_barcodes_with_or_without_leading_zeros(corpus, text):
    assert first(text) == product(corpus, "powerbank")


def test_credit_codes_and_licences_written_loosely(corpus):
    uscc = corpus["hengtai"].uscc
    spaced = " ".join(uscc[i : i + 4] for i in range(0, 18, 4)).lower()
    assert first(spaced) == enterprise(corpus, "hengtai")
    for licence in ("XK16 204 00011", "沪XK1620400011", "（沪）xk16-204-00011"):
        assert first(licence) == enterprise(corpus, "hengtai"), licence


def test_verdict_and_year_words_become_filters(corpus):
    query = LookupQuery("绿洲餐具 不合格")
    assert (query.parsed.outcome, query.text) == ("fail", "绿洲餐具")
    # The maker, whose record holds the failure, and the failed product; not the box that passed.
    failed = {enterprise(corpus, "lvzhou"), product(corpus, "tableware")}
    assert set(ranked("绿洲餐具 不合格")) == failed
    assert product(corpus, "tableware") not in ranked("绿洲 合格")
    checked = {enterprise(corpus, "lvzhou"), product(corpus, "tableware"), product(corpus, "box")}
    assert set(ranked("绿洲 2019年")) == checked
    assert ranked("绿洲 2018年") == []


def test_filter_words_show_as_chips_that_can_be_removed(client, corpus):
    response = client.get(reverse("search"), {"q": "绿洲餐具 不合格 2019年"})
    html = response.content.decode()
    assert response.status_code == 200
    chips = response.context["chips"]
    assert [c["label"] for c in chips] == ["抽检结果：不合格", "年份：2019"]
    assert chips[0]["url"] == "?" + urlencode({"q": "绿洲餐具 2019年"})
    assert 'aria-label="移除“抽检结果：不合格”"' in html
    removed = client.get(reverse("search") + chips[0]["url"])
    assert removed.context["query"].parsed.outcome is None
    assert removed.context["query"].parsed.year == 2019


def test_an_enterprise_named_like_the_query_comes_before_products_of_its_brand(corpus):
    hits = ranked("chenxing")
    assert set(hits[:2]) == {enterprise(corpus, "chenxing"), enterprise(corpus, "chenxing2")}
    assert first("晨星") == enterprise(corpus, "chenxing")
    assert first("晨星 中性笔0号") == product(corpus, "pen0")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("明月", "mingyue"), ("晨星文", "chenxing"), ("cxwj", "chenxing"), ("mingyue", "mingyue")],
)
def test_autocomplete_offers_enterprises_by_their_core_name(corpus, typed, expected):
    offered = [(i["kind"], i["id"]) for i in autocomplete(typed)]
    assert enterprise(corpus, expected) in offered[:3]


def test_autocomplete_offers_brands_as_searches(client, corpus):
    items = client.get(reverse("search-autocomplete"), {"q": "恒"}).json()["results"]
    brand = next(i for i in items if i["kind"] == "brand")
    assert brand["label"] == "恒泰"
    assert brand["url"] == "/search/?q=%E6%81%92%E6%B3%B0"


def test_highlights_show_the_published_form(client, corpus):
    html = client.get(reverse("search"), {"q": "led台灯"}).content.decode()
    assert "<mark>LED台灯</mark>" in html
    traditional = client.get(reverse("search"), {"q": "檯燈"}).content.decode()
    assert "LED<mark>台灯</mark>" in traditional
    latin = client.get(reverse("search"), {"q": "hongda"}).content.decode()
    assert "<mark>Hongda</mark>" in latin


@pytest.mark.parametrize(
    "query_string",
    [
        "q=" + "恒泰" * 2500,
        "q=" + "+".join(["上海恒泰电器有限公司充电宝"] * 12),  # many long words with synonyms
        "q=" + "+".join(["冰箱 电饭锅 充电宝 电瓶车"] * 6),
        "q=%ED%A0%80%E6%81%92",  # a lone surrogate, as a broken client sends it
        "q=%00%01%02%1b",
        "q=%EF%BC%8C%E3%80%82%EF%BC%81%EF%BC%9F",  # ，。！？
        "q=+++++",
        "q=1%27+OR+%271%27%3D%271%27%3B+DROP+TABLE+registry_product%3B--",
        'q={"query":{"script":{"source":"1"}}}',
        "q=*:*&page=-1",
        "q=不合格",
        "q=2019年",
    ],
)
def test_bad_input_is_an_answer_not_an_error(client, corpus, query_string):
    response = client.get(f"{reverse('search')}?{query_string}")
    assert response.status_code == 200
    assert response.context["degraded"] is False  # the engine answered: no refused query
    assert "error" not in response.content.decode().lower()
    assert client.get(f"{reverse('search-autocomplete')}?{query_string}").status_code == 200


def test_everyday_words_find_official_names_without_flooding(corpus):
    charger_maker = EnterpriseFactory(name="深圳市充电宝科技有限公司")
    indexing.rebuild()
    assert first("恒泰 充电宝") == product(corpus, "powerbank")
    found = ranked("充电宝")
    # A maker named 充电宝 is what the word names first; power banks follow.
    assert found[0] == ("enterprise", charger_maker.pk)
    assert product(corpus, "powerbank") in found


def test_a_synonym_an_editor_adds_applies_without_a_rebuild(corpus):
    from search.models import SynonymGroup

    assert LookupQuery("恒泰 能量块").execute().relaxed  # nothing of 恒泰's has that word
    group = SynonymGroup.objects.get(normalised_terms__contains=["移动电源"])
    group.terms += "、能量块"
    group.full_clean()
    group.save()
    found = LookupQuery("恒泰 能量块").execute()
    assert not found.relaxed
    assert (found.hits[0].kind, found.hits[0].object_id) == product(corpus, "powerbank")
