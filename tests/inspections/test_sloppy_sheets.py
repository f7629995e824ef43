"""Issue 15, item 4 — lenient where the publisher was sloppy, strict where it matters: each
defect found importing a real 2019 national spot-check sheet, on a sheet written like it."""

from __future__ import annotations

import pytest

from portal.core.text import with_unit
from portal.inspections.safety_items import is_safety_item
from portal.inspections.spreadsheets import cells, has_formula
from tests.inspections.real_sheets import HEADER, INSTITUTE, NOTICE_A, NOTICE_B, parsed, row, xlsx

KETTLE = {
    "产品名称": "电热水壶",
    "标称生产企业名称": "浙江某某电器有限公司",
    "受检单位名称": "杭州某某商贸有限公司",
    "规格型号": "SWF-17E",
}


def test_rows_left_empty_by_the_export_are_skipped_and_counted():
    rows = [row(序号=1, **KETTLE, 抽查结果="合格", 公告链接=NOTICE_A)]
    # The publisher's export left the sample columns of 154 rows empty: a number, an agency,
    # the notice link, "/" markers.
    rows += [row(序号=n, 检验机构="/", 公告链接=NOTICE_A) for n in range(2, 156)]
    rows += [row(序号=156, **{**KETTLE, "规格型号": "SWF-18"}, 抽查结果="合格")]
    rows += [[None] * len(HEADER), ["注：以上结果仅对所检样品负责。"]]
    sheet, samples = parsed(xlsx(rows))
    assert [s.rows for s in samples] == [[3], [158]]
    assert not any(s.errors for s in samples)
    assert sheet.skipped.counts == {"empty": 155, "note": 1}
    assert sheet.skipped.rows[0] == (4, "empty", f"2 | {NOTICE_A}")
    assert sheet.skipped.rows[-1] == (160, "note", "注：以上结果仅对所检样品负责。")


def test_a_row_with_only_a_formula_is_not_skipped_silently():
    rows = [row(序号=1, **KETTLE), row(序号=2, 公告链接='=HYPERLINK("http://evil","x")')]
    _sheet, samples = parsed(xlsx(rows))
    assert [e.code for e in samples[1].errors] == ["required", "formula"]


def test_notice_links_are_the_source_not_web_store_listings():
    rows = [
        row(序号=1, **KETTLE, 公告链接=NOTICE_A),
        row(
            序号=2, **{**KETTLE, "规格型号": "B"}, 公告链接="https://item.taobao.com/item.htm?id=5"
        ),
    ]
    _sheet, (notice, store) = parsed(xlsx(rows))
    assert (notice.source_url, notice.listing_url, notice.channel) == (NOTICE_A, "", "")
    assert (store.listing_url, store.source_url, store.channel) == (
        "https://item.taobao.com/item.htm?id=5",
        "",
        "ecommerce",
    )


def test_a_header_naming_a_web_store_makes_a_listing_whatever_the_host():
    header = ["序号", "产品名称", "标称生产企业名称", "网店名称", "商品链接"]
    data = [
        [1, "移动电源", "深圳某某科技有限公司", "某某数码专营店", "https://shop.example.cn/p/1"]
    ]
    _sheet, (sample,) = parsed(xlsx(data, header=header))
    assert (sample.listing_url, sample.channel) == ("https://shop.example.cn/p/1", "ecommerce")
    assert cells.is_marketplace("https://mobile.yangkeduo.com/goods.html?id=1")
    assert cells.is_marketplace("https://v.douyin.com/abc") and cells.is_marketplace(
        "https://m.tb.cn/h.x"
    )
    assert not cells.is_marketplace("http://www.samr.gov.cn/zljds/")
    assert not cells.is_marketplace("https://notjd.com/x")


def test_only_adjacent_rows_of_one_notice_merge_and_no_value_is_dropped():
    lot_a = {**KETTLE, "生产日期/批号": "2019-03-02"}
    rows = [
        # one sample over two rows, merged cells, the same failed item repeated
        row(
            序号=1,
            **lot_a,
            出厂编号="A001",
            不合格项目="泄漏电流",
            检验结果="0.9mA",
            标准值="≤0.75mA",
            检验机构=INSTITUTE,
            抽查结果="不合格",
            公告链接=NOTICE_A,
        ),
        row(不合格项目="泄漏电流", 检验结果="0.9mA", 标准值="≤0.75mA"),
        # same sequence, another device serial number: a result of its own
        row(
            序号=1,
            **lot_a,
            出厂编号="A002",
            不合格项目="接地措施",
            抽查结果="不合格",
            公告链接=NOTICE_A,
        ),
        row(序号=2, 产品名称="电饭锅", 标称生产企业名称="广东某某电器有限公司", 抽查结果="合格"),
        # the first sample in a later notice
        row(
            序号=3,
            **lot_a,
            出厂编号="A001",
            不合格项目="接地措施",
            抽查结果="不合格",
            公告链接=NOTICE_B,
        ),
        # the first sample again, further down, in the same notice
        row(
            序号=4,
            **lot_a,
            出厂编号="A001",
            不合格项目="标志和说明",
            抽查结果="不合格",
            公告链接=NOTICE_A,
        ),
    ]
    _sheet, samples = parsed(xlsx(rows, merge_rows=[(0, 1)]))
    assert [s.rows for s in samples] == [[3, 4], [5], [6], [7], [8]]
    first, second_device, _cooker, later_notice, listed_again = samples
    assert [(i.item, i.measured, i.limit, i.unit) for i in first.failed_items] == [
        ("泄漏电流", "0.9", "≤0.75", "mA")
    ]
    assert (second_device.values["serial_number"], first.values["serial_number"]) == (
        "A002",
        "A001",
    )
    assert later_notice.source_url == NOTICE_B
    assert len({s.key() for s in samples}) == 5
    assert [w.code for w in listed_again.warnings] == ["listed_again"]
    assert "第3行" in listed_again.warnings[0].reason_zh


def test_measured_and_limit_values_that_do_not_align_are_kept_as_published():
    rows = [
        row(
            序号=1,
            **KETTLE,
            不合格项目="泄漏电流、电气强度、接地措施",
            检验结果="0.9mA；击穿（复检确认）",
            标准值="≤0.75mA；不击穿",
            抽查结果="不合格",
        )
    ]
    _sheet, (sample,) = parsed(xlsx(rows))
    assert [i.item for i in sample.failed_items] == ["泄漏电流", "电气强度", "接地措施"]
    assert (sample.measured_text, sample.limit_text) == (
        "0.9mA；击穿（复检确认）",
        "≤0.75mA；不击穿",
    )


def test_labelled_cells_notes_and_agencies():
    rows = [
        row(
            序号=1,
            产品名称="婴幼儿服装",
            标称生产企业名称="生产商：广州某某服饰有限公司；经销商：上海某某贸易有限公司",
            受检单位名称="上海某某百货有限公司",
            不合格项目="耐唾液色牢度，级",
            检验结果="2-3",
            标准值="≥4",
            检验机构="初检机构：上海市质量监督检验技术研究院；复检机构：经核查，标称生产企业否认生产该批次产品",
            抽查结果="不合格",
        ),
        row(
            序号=2,
            产品名称="维生素C片",
            标称生产企业名称="江苏某某药业有限公司",
            受检单位名称="某某大药房有限公司",
            不合格项目="崩解时限",
            检验机构="[检查]（溶散时限）",
            抽查结果="不合格",
        ),
    ]
    _sheet, (clothes, tablets) = parsed(xlsx(rows))
    assert clothes.values["producer_name"] == "广州某某服饰有限公司"
    assert clothes.extra["经销商"] == "上海某某贸易有限公司"
    assert [i.item for i in clothes.failed_items] == ["耐唾液色牢度，级"]
    assert (clothes.initial_agency, clothes.retest_agency) == ("上海市质量监督检验技术研究院", "")
    assert clothes.producer_disputed  # the note sits in the agency column
    assert [(w.code, w.value) for w in clothes.warnings] == [
        ("not_agency", "经核查，标称生产企业否认生产该批次产品")
    ]
    assert tablets.initial_agency == "" and not tablets.producer_disputed
    assert [(w.code, w.value) for w in tablets.warnings] == [("not_agency", "[检查]（溶散时限）")]
    assert tablets.extra["检验机构"] == "[检查]（溶散时限）"


def test_a_denial_in_the_failed_items_column_is_a_note_not_an_item():
    rows = [
        row(
            序号=1,
            **KETTLE,
            不合格项目="泄漏电流\n经核实，标称生产企业否认生产该批次产品",
            抽查结果="不合格",
        )
    ]
    _sheet, (sample,) = parsed(xlsx(rows))
    assert [i.item for i in sample.failed_items] == ["泄漏电流"]
    assert sample.producer_disputed and "否认" in sample.values["remarks"]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("不合格项目", '1.泄漏电流\n2.=HYPERLINK("http://evil","x")'),
        ("检验机构", '初检机构：上海市质量监督检验技术研究院；复检机构：=HYPERLINK("http://evil")'),
        ("检验结果", "-2+3"),
        ("备注", "说明：@SUM(A1)"),
    ],
)
def test_formulas_are_refused_in_every_line_and_labelled_part(column, value):
    _sheet, (sample,) = parsed(xlsx([row(序号=1, **KETTLE, 抽查结果="不合格", **{column: value})]))
    assert [(e.code, e.column) for e in sample.errors] == [("formula", column)]


@pytest.mark.parametrize(
    "text", ["-18℃", "-5～-40℃", "温度：-18℃", "1.-5", "2019-03-02", "上海-杭州"]
)
def test_values_that_only_resemble_formulas_pass(text):
    assert not has_formula(text)


def test_units_are_kept_with_measured_and_required_values():
    rows = [
        row(
            序号=1,
            **KETTLE,
            不合格项目="甲醛含量",
            检验结果="13.4 mg/g",
            标准值="≤5",
            抽查结果="不合格",
        ),
        row(
            序号=2,
            **{**KETTLE, "规格型号": "B"},
            不合格项目="甲醛含量",
            检验结果="13.4",
            标准值="≤5 mg/g",
            抽查结果="不合格",
        ),
    ]
    _sheet, samples = parsed(xlsx(rows))
    for sample in samples:
        (item,) = sample.failed_items
        shown = (
            f"{with_unit(item.measured, item.unit)}（标准要求 {with_unit(item.limit, item.unit)}）"
        )
        assert shown == "13.4 mg/g（标准要求 ≤5 mg/g）"
    assert with_unit("0.35", "%") == "0.35%" and with_unit("不得检出", "mg/kg") == "不得检出"


def test_shifted_columns_and_contradicting_verdicts_are_warned():
    rows = [
        row(
            序号=1,
            产品名称="江苏省产品质量监督检验研究院",
            标称生产企业名称="不锈钢电热水壶",
            受检单位名称="杭州某某商贸有限公司",
            抽查结果="合格",
        ),
        row(序号=2, **KETTLE, 不合格项目="泄漏电流", 抽查结果="合格"),
        row(序号=3, **{**KETTLE, "规格型号": "C"}, 抽查结果="不合格"),
        row(序号=4, **{**KETTLE, "规格型号": "D", "受检单位名称": "张三"}, 抽查结果="合格"),
    ]
    _sheet, samples = parsed(xlsx(rows))
    assert [[(w.code, w.column) for w in s.warnings] for s in samples] == [
        [("organisation_as_product", "产品名称"), ("product_as_enterprise", "标称生产企业名称")],
        [("pass_with_items", "抽查结果")],
        [("fail_without_items", "抽查结果")],
        [],
    ]


@pytest.mark.parametrize(
    ("item", "safety"),
    [
        ("铅(Pb)含量", True),
        ("可迁移元素铅", True),
        ("總鉛", True),
        ("铅、镉含量", True),
        ("重金属（铅）", True),
        ("游离甲醛", True),
        ("输出短路保护", True),
        ("绳带要求", True),
        ("燃烧性能（续燃时间）", True),
        ("铅笔芯", False),
        ("铅笔芯直径", False),
        ("含铅量", False),
        ("纤维含量", False),
        ("耐湿摩擦色牢度", False),
        ("标签", False),
    ],
)
def test_safety_items_are_whole_terms_not_substrings(item, safety):
    assert is_safety_item(item) is safety
