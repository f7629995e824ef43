"""/search/, autocomplete, facets, bad input and the database fallback, on the real engine."""

import pytest
from django.urls import reverse

from portal.inspections.models import Outcome
from portal.registry.models import District, Enterprise
from search import engine, indexing
from search.documents import alias_name
from search.queries import LookupQuery
from tests.factories import (
    EnterpriseFactory,
    ProductCategoryFactory,
    ProductFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
)

pytestmark = [pytest.mark.search, pytest.mark.django_db]


@pytest.fixture
def indexed(search_prefix):
    clothing = ProductCategoryFactory(name="儿童服装")
    minhang, songjiang = (District.objects.get(code=c) for c in ("minhang", "songjiang"))
    tongle = EnterpriseFactory(name="上海童乐服饰有限公司", district=minhang, supervision_class="C")
    shuangxing = EnterpriseFactory(
        name="上海双星童装有限公司", district=songjiang, supervision_class="A"
    )
    dress = ProductFactory(name="儿童连衣裙", brand="童乐", manufacturer=tongle, category=clothing)
    coat = ProductFactory(name="儿童外套", brand="双星", manufacturer=shuangxing, category=clothing)
    old = SpotCheckBatchFactory(year=2018, published_on="2018-06-01")
    new = SpotCheckBatchFactory(year=2019, published_on="2019-04-15")
    SpotCheckResultFactory(
        batch=old, product=dress, producer=tongle, outcome=Outcome.PASS, category=clothing
    )
    SpotCheckResultFactory(
        batch=new, product=dress, producer=tongle, outcome=Outcome.FAIL, category=clothing
    )
    SpotCheckResultFactory(
        batch=old, product=coat, producer=shuangxing, outcome=Outcome.PASS, category=clothing
    )
    indexing.rebuild()
    return {"tongle": tongle, "shuangxing": shuangxing, "dress": dress, "coat": coat}


def test_facets_count_and_filter(indexed):
    results = LookupQuery("童").execute()  # every word must be found: one they all share
    facets = results.facets
    assert dict(facets["kind"]) == {"enterprise": 2, "product": 2}
    assert dict(facets["latest_outcome"]) == {"fail": 2, "pass": 2}
    assert dict(facets["district"]) == {"闵行区": 2, "松江区": 2}
    assert dict(facets["year"]) == {2018: 4, 2019: 2}
    failed = LookupQuery("儿童", {"latest_outcome": ["fail"], "kind": ["product"]}).execute()
    assert [(h.kind, h.object_id) for h in failed.hits] == [("product", indexed["dress"].pk)]


def test_sort_by_latest_check(indexed):
    results = LookupQuery("", {"kind": ["product"]}, sort="date").execute()
    assert [h.object_id for h in results.hits] == [indexed["dress"].pk, indexed["coat"].pk]


def test_search_page_highlights_and_links(client, indexed):
    response = client.get(reverse("search"), {"q": "童乐"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/enterprises/{indexed["tongle"].pk}/"' in html
    assert "<mark>" in html
    assert "闵行区" in html  # facet value


def test_highlights_escape_html_in_names(client, search_prefix):
    EnterpriseFactory(name="上海<script>alert(1)</script>童乐有限公司")
    indexing.rebuild()
    html = client.get(reverse("search"), {"q": "童乐"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_nothing_found_offers_suggestions(client, indexed):
    response = client.get(reverse("search"), {"q": "双星羽绒服装专卖店电话号码"})
    assert response.context["results"].total == 0
    assert "上海双星童装有限公司" in response.context["suggestions"]
    assert "?q=%E4%B8%8A%E6%B5%B7%E5%8F%8C%E6%98%9F" in response.content.decode()


def test_a_query_whose_words_are_never_found_together_shows_those_with_all_but_one(client, indexed):
    """童乐 makes no umbrella: rather than nothing, what 童乐 makes, and the page says the
    results lack one of the words. With every word found together, no such note."""
    note = "没有结果同时包含全部搜索词"
    response = client.get(reverse("search"), {"q": "童乐 雨伞"})
    results = response.context["results"]
    assert results.relaxed
    assert {(h.kind, h.object_id) for h in results.hits} == {
        ("enterprise", indexed["tongle"].pk),
        ("product", indexed["dress"].pk),
    }
    assert note in response.content.decode()

    response = client.get(reverse("search"), {"q": "童乐 连衣裙"})
    assert not response.context["results"].relaxed
    assert response.context["results"].total == 1
    assert note not in response.content.decode()
    # Nothing even then: the page says nothing was found, not that a word was left out.
    response = client.get(reverse("search"), {"q": "雨伞 拖把"})
    assert response.context["results"].total == 0 and not response.context["results"].relaxed
    assert note not in response.content.decode()


def test_autocomplete_json(client, indexed):
    data = client.get(reverse("search-autocomplete"), {"q": "上海童"}).json()
    assert data["degraded"] is False
    assert data["results"][0] == {
        "kind": "enterprise",
        "id": indexed["tongle"].pk,
        "label": "上海童乐服饰有限公司",
        "url": f"/enterprises/{indexed['tongle'].pk}/",
    }
    assert client.get(reverse("search-autocomplete"), {"q": "  "}).json()["results"] == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "x" * 10_000,
        '" * ? : \\ / ( ) [ ] { } ~ ^',
        "童乐\x00\x07\x1b[31m",
        "AND OR NOT",
        "童乐 haier ÄÖ 🙂 ٣",
        "<script>",
        "%",
        "\u202e童乐",
    ],
)
def test_bad_input_never_breaks_the_page(client, indexed, text):
    response = client.get(reverse("search"), {"q": text, "page": "abc", "sort": "nonsense"})
    assert response.status_code == 200
    assert response.context["degraded"] is False
    assert client.get(reverse("search-autocomplete"), {"q": text}).status_code == 200


def test_deep_pages_are_capped(client, indexed):
    response = client.get(reverse("search"), {"q": "童乐", "page": "100000"})
    assert response.status_code == 200
    assert response.context["query"].page == 50


def test_engine_down_falls_back_to_the_database(client, settings, closed_port, indexed):
    settings.SEARCH_URL = f"http://127.0.0.1:{closed_port}"
    response = client.get(reverse("search"), {"q": "童乐服饰"})
    assert response.status_code == 200
    assert response.context["degraded"] is True
    html = response.content.decode()
    assert "上海童乐服饰有限公司" in html
    assert 'role="status"' in html
    by_code = client.get(reverse("search"), {"q": indexed["shuangxing"].uscc.lower()})
    assert [r["url"] for r in by_code.context["rows"]] == [indexed["shuangxing"].get_absolute_url()]
    assert by_code.context["rows"][0]["shown"]["name"] == indexed["shuangxing"].name
    auto = client.get(reverse("search-autocomplete"), {"q": "童乐"}).json()
    assert auto["degraded"] is True and auto["results"]
    assert client.get("/healthz").json()["checks"]["search"]["status"] == "degraded"


def test_a_dead_node_in_the_list_is_skipped(client, settings, closed_port, indexed):
    """A cluster's URLs, one of them down: lookups go to the live node, not the fallback."""
    settings.SEARCH_URL = f"http://127.0.0.1:{closed_port}, {settings.SEARCH_URL}"
    for _ in range(3):  # the client picks nodes in turn: each lookup meets the dead one
        response = client.get(reverse("search"), {"q": "童乐服饰"})
        assert response.status_code == 200
        assert response.context["degraded"] is False
        assert indexed["tongle"].get_absolute_url() in [r["url"] for r in response.context["rows"]]


def test_a_deleted_enterprise_leaves_the_results_when_the_outbox_is_sent(client, indexed):
    """Result lines come from the index: a deletion reaches them through the outbox."""
    gone = indexed["shuangxing"].get_absolute_url()
    Enterprise.objects.filter(pk=indexed["shuangxing"].pk).delete()
    indexing.process_outbox()
    engine.get_client().indices.refresh(index=alias_name())
    response = client.get(reverse("search"), {"q": "双星"})
    assert response.status_code == 200
    assert gone not in [r["url"] for r in response.context["rows"]]


def test_pages_are_found_through_wagtail_search_on_the_engine(client, search_prefix, settings):
    from django.core.management import call_command
    from wagtail.models import Page

    assert settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"].endswith("opensearch3")
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="关于儿童服装绳带安全的消费提示", slug="cord-advice"))
    call_command("update_index", verbosity=0)
    response = client.get(reverse("search"), {"q": "绳带安全"})
    assert [p.pk for p in response.context["pages"]] == [page.pk]


def test_a_results_line_shows_the_product_as_published_with_its_newest_grade(client, search_prefix):
    """Lines come from the index: the brand's case as published, the maker, the badge of the
    newest approved grade (an older one under another scheme is not shown)."""
    from datetime import UTC, datetime

    from portal.grading.models import Submission
    from tests.factories import ProductFactory, SubmissionFactory

    maker = EnterpriseFactory(name="上海明月儿童用品有限公司")
    product = ProductFactory(
        name="LED台灯", brand="Mingyue", model_spec="MY-T8", manufacturer=maker
    )
    approved = {"status": Submission.Status.APPROVED, "product": product}
    SubmissionFactory(grade="B", decided_at=datetime(2025, 3, 1, tzinfo=UTC), **approved)
    SubmissionFactory(grade="A+", decided_at=datetime(2026, 6, 1, tzinfo=UTC), **approved)
    indexing.rebuild()

    response = client.get(reverse("search"), {"q": "mingyue 台灯"})
    line = next(r for r in response.context["rows"] if r["kind"] == "product")
    assert line["url"] == product.get_absolute_url()
    assert line["shown"]["maker"] == "上海明月儿童用品有限公司"
    assert line["shown"]["grade"] == "A+"
    html = response.content.decode()
    assert "Mingyue MY-T8 · 上海明月儿童用品有限公司" in html
    assert "质量分级 A+" in html and "B</span>" not in html
    marked = client.get(reverse("search"), {"q": "台灯"}).content.decode()
    assert f'<a href="{product.get_absolute_url()}">LED<mark>台灯</mark></a>' in marked
