"""Public pages: what a citizen sees, with bounded queries."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from content.models import (
    AffectedProduct,
    CampaignPage,
    RegulationPage,
    RiskWarningPage,
)
from portal.inspections.models import Outcome
from tests.factories import SpotCheckResultFactory
from tests.pages import html_of, original

pytestmark = pytest.mark.django_db


def test_home_shows_warnings_notices_campaign_figures_and_search(
    client, make_notice, django_assert_max_num_queries
):
    notice = make_notice(failed=1, passed=3, year=2019)
    with django_assert_max_num_queries(18):  # 18: the latest grade comparisons (one query)
        html = html_of(client.get("/"))
    assert '<form class="search-box" action="/search/" method="get" role="search">' in html
    assert 'name="q"' in html
    assert "关于儿童服装绳带安全风险的消费警示" in html
    # A withdrawn warning is not among the latest on the home page.
    assert "某品牌移动电源过热风险警示" not in html
    assert notice.title in html
    assert "儿童和学生用品安全守护行动" in html
    assert "<dd>4</dd>" in html  # batches checked in 2019
    assert "<dd>25.0%</dd>" in html  # 1 of 4 failed


def test_notice_page_tables_standards_and_follow_up(
    client, make_notice, django_assert_max_num_queries
):
    small = make_notice(failed=1, passed=1)
    big = make_notice(failed=20, passed=20)
    with django_assert_max_num_queries(17) as small_queries:
        client.get(small.url)
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        html = html_of(client.get(big.url))
    assert html.count("绳带要求") == 20
    assert "（安全项目）" in html
    assert "GB 31701-2015" in html
    assert "已责令其整改并组织复查" in html
    assert "女童连衣裙19" in html and "男童衬衫19" in html
    assert "<dd>50.0%</dd>" in html
    assert 'href="/notices/' in html and "/results/csv/" in html and "/results/xlsx/" in html


def test_notice_remarks_are_sanitised(client, make_notice):
    page = make_notice(failed=1, passed=0)
    page.batch.results.update(
        remarks='经核实<script>alert(1)</script><b onclick="x()">非该公司生产</b>'
    )
    html = html_of(client.get(page.url))
    assert "<script>alert(1)" not in html
    assert "onclick" not in html
    assert "<b>非该公司生产</b>" in html


FORMULA = '=HYPERLINK("http://evil.example","点击")'


def test_csv_download_has_bom_and_no_formula(client, make_notice):
    page = make_notice(failed=1, passed=1)
    page.batch.results.filter(outcome=Outcome.PASS).update(producer_name=FORMULA)
    response = client.get(page.url + "results/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "样品名称"
    assert len(rows) == 3
    producers = [row[5] for row in rows[1:]]
    assert "'" + FORMULA in producers
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_xlsx_download_has_no_formula(client, make_notice):
    page = make_notice(failed=1, passed=1)
    page.batch.results.filter(outcome=Outcome.PASS).update(sample_name="@SUM(A1:A9)")
    response = client.get(page.url + "results/xlsx/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'@SUM(A1:A9)" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_warning_page_shows_withdrawal_and_dated_updates(client, site):
    page = original(RiskWarningPage, slug="power-bank-overheating")
    html = html_of(client.get(page.url))
    assert "2019年12月31日" in html and "召回已完成" in html
    assert "2019年9月30日" in html and "召回完成率达到96%" in html
    assert "深圳能量方科技有限公司" in html
    assert AffectedProduct.objects.get(page=page).gtin in html


def test_warning_refuses_a_bad_barcode_and_a_withdrawal_without_reason(site):
    product = AffectedProduct(
        page=original(RiskWarningPage, slug="magnetic-toys"), name="磁力珠", gtin="6920000002010"
    )
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert "gtin" in error.value.message_dict
    page = original(RiskWarningPage, slug="magnetic-toys")
    page.withdrawn_on = page.first_published_at.date()
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "withdrawal_reason" in error.value.message_dict
    page.refresh_from_db()
    assert page.withdrawn_on is None


def test_campaign_gathers_its_pages(client, site, make_notice):
    notice = make_notice()
    campaign = original(CampaignPage)
    notice.campaigns = [campaign]
    notice.save_revision().publish()
    html = html_of(client.get(campaign.url))
    assert "关于儿童服装绳带安全风险的消费警示" in html
    assert "如何为孩子挑选安全的童装" in html
    assert notice.title in html
    assert "电动自行车违规充电" not in html  # not in the campaign


def test_regulation_in_force_or_not(client, site):
    html = html_of(client.get("/laws/"))
    assert "中华人民共和国产品质量法" in html
    assert "国家质量监督检验检疫总局令第133号" in html
    page = original(RegulationPage, slug="spot-check-measures-2010")
    assert not page.in_force
    assert original(RegulationPage, slug="product-quality-law").in_force
    assert "已失效" in html
    html = html_of(client.get("/laws/?kind=law"))
    assert "中华人民共和国产品质量法" in html
    assert "消费品召回管理暂行规定" not in html


def test_regulation_cannot_be_repealed_before_it_takes_effect(site):
    page = original(RegulationPage, slug="product-quality-law")
    page.repealed_on = page.effective_on.replace(year=1990)
    with pytest.raises(ValidationError, match="废止日期不能早于施行日期"):
        page.full_clean()


def test_warning_listing_filters_and_paginates(client, make_warning, django_assert_max_num_queries):
    for n in range(12):
        make_warning(title=f"儿童雨衣帽绳风险提示第{n}号", hazards=("strangulation", "injury"))
    with django_assert_max_num_queries(18):  # 17 + accepted partner warnings (exchange)
        html = html_of(client.get("/warnings/?hazard=strangulation"))
    assert html.count('class="item item-warning"') == 10
    assert "第 1 页，共 2 页" in html
    assert 'href="?hazard=strangulation&amp;page=2"' in html
    html = html_of(client.get("/warnings/?hazard=strangulation&page=2"))
    assert html.count('class="item item-warning"') == 3  # 12 + the demo's clothing warning
    html = html_of(client.get("/warnings/?hazard=fire"))
    assert "电动自行车违规充电引发火灾的风险提示" in html
    assert "儿童雨衣帽绳" not in html


def test_listing_with_unknown_filter_value_is_empty_not_an_error(client, site):
    html = html_of(client.get("/warnings/?category=999999&page=abc"))
    assert 'class="item item-warning"' not in html


def test_notice_listing_filters_by_year(client, make_notice):
    make_notice(year=2019)
    make_notice(year=2020, title="2020年上海市学生文具产品质量监督抽查结果")
    html = html_of(client.get("/notices/?year=2020"))
    assert "2020年上海市学生文具产品质量监督抽查结果" in html
    assert "2019年上海市儿童服装产品质量监督抽查结果" not in html


def test_related_results_are_listed(client, make_warning, make_notice):
    notice = make_notice(failed=1, passed=0)
    result = notice.batch.results.get()
    page = make_warning()
    page.related_results.create(result=result)
    page.save_revision().publish()
    html = html_of(client.get(page.url))
    assert result.sample_name in html


def test_result_rows_without_producer(client, make_notice):
    page = make_notice(failed=0, passed=0)
    SpotCheckResultFactory(batch=page.batch, producer=None, producer_name="")
    assert html_of(client.get(page.url))


def test_sitemap_lists_live_pages(client, site):
    body = client.get("/sitemap.xml").content.decode()
    assert "/warnings/childrens-clothing-cords/" in body
    assert "/laws/product-quality-law/" in body


def test_open_graph_and_canonical(client, site):
    html = html_of(client.get("/warnings/magnetic-toys/"))
    assert '<link rel="canonical" href="http://testserver/warnings/magnetic-toys/">' in html
    assert '<meta property="og:title" content="警惕磁性玩具小零件被儿童误吞">' in html
    assert '<meta property="og:description" content="强磁小零件被误吞后' in html
    assert 'media="print"' in html


def test_language_links_keep_other_paths_working(client, site):
    html = html_of(client.get("/en/warnings/"))
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert '<a href="/zh-hant/warnings/" lang="zh-hant" hreflang="zh-hant">繁體中文</a>' in html
    assert "跳到主要內容" in html_of(client.get("/zh-hant/"))
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/admin/login/").status_code == 200
