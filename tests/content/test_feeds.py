"""Atom feeds: valid against RFC 4287's own schema, filtered, published data only, bounded
queries."""

from pathlib import Path

import feedparser
import pytest
from lxml import etree

from content.models import RiskWarningPage, WarningIndexPage
from portal.inspections.models import FailedItem, Outcome, SpotCheckBatch
from portal.registry.models import District
from tests.factories import (
    ProductCategoryFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
    valid_uscc,
)
from tests.pages import original

pytestmark = pytest.mark.django_db

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "atom" / "atom.rng"
SCHEMA = etree.parse(str(SCHEMA_PATH))
RELAX_NG = etree.RelaxNG(SCHEMA)
NS = {"atom": "http://www.w3.org/2005/Atom"}
#: The RFC's Schematron assertions, carried in the schema as annotations: (context, test).
SCHEMATRON = [
    (rule.get("context"), check.get("test"), check.text)
    for rule in SCHEMA.iter("{http://www.ascc.net/xml/schematron}rule")
    for check in rule.iter("{http://www.ascc.net/xml/schematron}assert")
]


def valid_feed(client, url: str):
    """The parsed feed at `url`, after every check a strict consumer would make."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    document = etree.fromstring(response.content)
    assert RELAX_NG.validate(document), RELAX_NG.error_log.last_error
    assert len(SCHEMATRON) == 3
    for context, test, message in SCHEMATRON:
        for node in document.xpath(f"//{context}", namespaces=NS):
            assert node.xpath(test, namespaces=NS), message
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert len(self_links) == 1 and self_links[0].startswith(f"http://testserver{url[:12]}")
    for entry in parsed.entries:
        assert entry.link.startswith("http://testserver/"), entry.link
        assert entry.id.startswith("urn:uuid:")
    for summary in document.iterfind("atom:entry/atom:summary", NS):
        assert summary.get("type") == "text"
    return document, parsed


@pytest.fixture
def data(make_warning, make_notice):
    """A category with a sub-category, a warning and a notice in the sub-category, a notice
    of Songjiang, and the producers of their results."""
    parent = ProductCategoryFactory(name="儿童用品", code="P01")
    child = ProductCategoryFactory(name="儿童服装", code="P01-01", parent=parent)
    warning = make_warning(title="儿童服装绳带风险提示", category=child)
    minhang_notice = make_notice(failed=2, passed=1, category=child)
    songjiang = District.objects.get(code="songjiang")
    songjiang_notice = make_notice(failed=1, passed=0, district=songjiang)
    producer = minhang_notice.batch.results.filter(outcome=Outcome.FAIL).first().producer
    warning.related_results.create(result=minhang_notice.batch.results.first())
    warning.save_revision().publish()
    return {
        "parent": parent,
        "child": child,
        "warning": warning,
        "minhang_notice": minhang_notice,
        "songjiang_notice": songjiang_notice,
        "producer": producer,
    }


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/warnings/",
        "/feeds/notices/",
        "/feeds/results/",
        "/feeds/results/?outcome=all",
        "/en/feeds/warnings/",
        "/zh-hant/feeds/notices/",
        "/en/feeds/results/",
        "/feeds/warnings/?district=songjiang",  # no entry: still a valid feed
    ],
)
def test_every_feed_is_valid_atom(client, data, url):
    document, parsed = valid_feed(client, url)
    language = url.split("/")[1] if url.startswith(("/en/", "/zh-hant/")) else "zh-hans"
    assert document.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    author = {"zh-hans": "市场监督管理局", "zh-hant": "市場監督管理局"}
    assert parsed.feed.author == author.get(language, "Market Regulation Administration")


def test_filtered_feeds_are_valid_and_filter(client, data):
    child, parent = data["child"], data["parent"]
    producer = data["producer"]
    for url in (
        f"/feeds/warnings/?category={parent.pk}",
        f"/feeds/warnings/category/{parent.pk}/",
        f"/feeds/notices/?category={parent.pk}&district=minhang",
        f"/feeds/results/?enterprise={producer.uscc}",
        f"/feeds/results/?enterprise={producer.pk}&outcome=fail",
        "/feeds/results/?district=songjiang",
    ):
        valid_feed(client, url)
    titles = lambda url: [e.title for e in valid_feed(client, url)[1].entries]  # noqa: E731
    # The parent category includes its sub-category; another category has nothing.
    assert titles(f"/feeds/warnings/?category={parent.pk}") == ["儿童服装绳带风险提示"]
    assert titles(f"/feeds/warnings/category/{child.pk}/") == ["儿童服装绳带风险提示"]
    other = ProductCategoryFactory(name="电动自行车")
    assert titles(f"/feeds/warnings/?category={other.pk}") == []
    # A warning citing a result of an enterprise is in that enterprise's and district's feeds.
    assert titles(f"/feeds/warnings/?enterprise={producer.uscc}") == ["儿童服装绳带风险提示"]
    assert "儿童服装绳带风险提示" in titles("/feeds/warnings/?district=minhang")
    assert titles(f"/feeds/notices/?category={parent.pk}") == [data["minhang_notice"].title]
    assert len(titles("/feeds/notices/?district=songjiang")) == 1
    # Results: not passed by default, the producer's only with `enterprise`.
    failed = titles("/feeds/results/")
    assert len(failed) == 3 and all("不合格" in t for t in failed)
    assert len(titles("/feeds/results/?outcome=all")) == 4
    assert len(titles("/feeds/results/?outcome=pass")) == 1
    assert len(titles(f"/feeds/results/?enterprise={producer.uscc}")) == 1
    assert len(titles("/feeds/results/?district=songjiang")) == 1
    assert len(titles(f"/feeds/results/?category={parent.pk}")) == 2


def test_feed_and_entry_ids_are_stable(client, data):
    overall = valid_feed(client, "/feeds/warnings/")[1]
    filtered = valid_feed(client, f"/feeds/warnings/?category={data['parent'].pk}")[1]
    legacy = valid_feed(client, f"/feeds/warnings/category/{data['parent'].pk}/")[1]
    english = valid_feed(client, "/en/feeds/warnings/")[1]
    entry = next(e for e in overall.entries if e.title == "儿童服装绳带风险提示")
    # Filters do not change an entry's identity; the language does (another text).
    assert filtered.entries[0].id == entry.id
    assert entry.id not in {e.id for e in english.entries}
    assert overall.feed.id != filtered.feed.id == legacy.feed.id
    # A renamed slug keeps the id, not the link.
    page = data["warning"]
    page.slug = "renamed"
    page.save_revision().publish()
    again = next(e for e in valid_feed(client, "/feeds/warnings/")[1].entries if e.id == entry.id)
    assert again.link.endswith("/renamed/")


@pytest.mark.parametrize(
    ("url", "status", "reason"),
    [
        ("/feeds/warnings/?category=abc", 400, "category"),
        ("/feeds/warnings/?category=999999", 404, "999999"),
        ("/feeds/notices/category/999999/", 404, "999999"),
        ("/feeds/notices/?district=no%20such!", 400, "district"),
        ("/feeds/notices/?district=atlantis", 404, "atlantis"),
        ("/feeds/results/?enterprise=91310000XXXXXXXXX1", 400, "91310000XXXXXXXXX1"),
        ("/feeds/results/?enterprise=ACME", 400, "enterprise"),
        ("/feeds/results/?enterprise=99999999", 404, "99999999"),
        ("/feeds/results/?outcome=maybe", 400, "outcome"),
        ("/en/feeds/results/?district=atlantis", 404, "There is no district atlantis."),
    ],
)
def test_bad_filters_answer_with_a_reason(client, site, url, status, reason):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert reason in response.content.decode()


def test_unknown_credit_code_is_not_found(client, site):
    response = client.get(f"/feeds/results/?enterprise={valid_uscc(987654)}")
    assert response.status_code == 404


def test_only_published_items(client, make_notice, site):
    draft = RiskWarningPage(title="草稿警示", summary="未发布。", live=False)
    original(WarningIndexPage).add_child(instance=draft)
    draft.save_revision()
    hidden = SpotCheckBatchFactory(status=SpotCheckBatch.Status.DRAFT)
    SpotCheckResultFactory(batch=hidden, outcome=Outcome.FAIL, sample_name="未公开样品")
    removed = make_notice(failed=1, passed=0).batch.results.get()
    removed.removed_in_version = 2
    removed.save()
    assert "草稿警示" not in client.get("/feeds/warnings/").content.decode()
    results = client.get("/feeds/results/?outcome=all").content.decode()
    assert "未公开样品" not in results and removed.sample_name not in results


def test_control_characters_are_dropped(client, make_notice):
    notice = make_notice(failed=1, passed=0)
    notice.batch.results.update(sample_name="儿童\x0b连衣裙\x01")
    _document, parsed = valid_feed(client, "/feeds/results/")
    assert parsed.entries[0].title.startswith("儿童连衣裙")


def test_result_entries_link_their_notice_and_list_failed_items(client, make_notice):
    notice = make_notice(failed=1, passed=0)
    entry = valid_feed(client, "/feeds/results/")[1].entries[0]
    assert entry.link == f"http://testserver{notice.url}"
    assert "绳带要求、纤维含量" in entry.summary
    orphan = SpotCheckResultFactory(
        batch=SpotCheckBatchFactory(), outcome=Outcome.FAIL, sample_name="无通告样品"
    )
    entries = valid_feed(client, "/feeds/results/")[1].entries
    linked = next(e for e in entries if "无通告样品" in e.title)
    assert linked.link == f"http://testserver/enterprises/{orphan.producer_id}/"


def test_results_feed_queries_do_not_grow_with_rows(
    client, make_notice, django_assert_max_num_queries
):
    make_notice(failed=2, passed=0)
    with django_assert_max_num_queries(12) as first:
        valid_feed(client, "/feeds/results/")
    for _ in range(3):
        notice = make_notice(failed=5, passed=0)
        for result in notice.batch.results.all():
            FailedItem.objects.create(result=result, position=2, item="pH值")
    with django_assert_max_num_queries(len(first)):
        assert len(valid_feed(client, "/feeds/results/")[1].entries) == 17


def test_page_feeds_query_count(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        valid_feed(client, "/feeds/warnings/")
    with django_assert_max_num_queries(8):
        valid_feed(client, f"/feeds/notices/?enterprise={data['producer'].pk}")


def test_listing_pages_announce_their_feeds(client, data):
    child = data["child"].pk
    html = client.get(f"/warnings/?category={child}").content.decode()
    assert (
        'type="application/atom+xml" title="风险警示" href="http://testserver/feeds/warnings/">'
        in html
    )
    assert (
        f'title="风险警示 · 儿童服装" href="http://testserver/feeds/warnings/?category={child}">'
        in html
    )
    assert f'href="/subscribe/?category={child}">' in html  # follow by email


def test_enterprise_profile_links_its_feed(client, data):
    producer = data["producer"]
    html = client.get(f"/enterprises/{producer.pk}/").content.decode()
    assert f'href="/feeds/results/?enterprise={producer.uscc}"' in html
    assert f'href="/subscribe/?enterprise={producer.uscc}"' in html


def test_warnings_feed_in_one_language_and_overall(client, site, make_warning):
    """Moved from test_pages: the feed lists each live warning once, in the language."""
    category = ProductCategoryFactory(name="儿童雨衣")
    make_warning(title="儿童雨衣帽绳风险提示", category=category)
    body = client.get("/feeds/warnings/").content.decode()
    assert "儿童雨衣帽绳风险提示" in body and "电动自行车违规充电引发火灾的风险提示" in body
    body = client.get(f"/feeds/warnings/category/{category.pk}/").content.decode()
    assert "儿童雨衣帽绳风险提示" in body
    assert "电动自行车违规充电" not in body


def test_a_category_covers_its_type_in_every_catalogue_edition(client, data):
    older = ProductCategoryFactory(edition="national-2019", code="P01", name="儿童用品")
    titles = [
        e.title for e in valid_feed(client, f"/feeds/warnings/?category={older.pk}")[1].entries
    ]
    assert titles == ["儿童服装绳带风险提示"]  # filed under the 2020 edition's sub-category
