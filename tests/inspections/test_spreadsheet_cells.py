"""Reading single cells of spot-check spreadsheets: each rule on its own, with real spellings."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import uscc

from portal.inspections.spreadsheets import FailedItemData, cells, item_lists


def code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  儿童服装 ", "儿童服装"),
        ("\u3000上海某某\u00a0\u00a0服饰有限公司\t", "上海某某 服饰有限公司"),
        ("纤维含量\r\n\r\n pH值 \n", "纤维含量\npH值"),
        ("上海\u200b某某\ufeff", "上海某某"),
        ("Cafe\u0301", "Café"),
        ("", ""),
    ],
)
def test_normalize_is_nfc_stripped_and_keeps_line_breaks(raw, expected):
    assert cells.normalize(raw) == expected


@pytest.mark.parametrize(
    "text", ["", "/", "／", "//", "散裝", "散装", "—", "——", "-", "－", "无", "無", "N/A", "n/a"]
)
def test_none_markers(text):
    assert cells.is_none(text)


@pytest.mark.parametrize("text", ["1", "无锡", "散装白酒", "NA01", "/A", "0"])
def test_values_that_only_resemble_none_markers(text):
    assert not cells.is_none(text)


def test_one_line_joins_wrapped_chinese_without_space_and_latin_with_one():
    assert cells.one_line("上海某某服饰\n有限公司") == "上海某某服饰有限公司"
    assert cells.one_line("BV 2.5\nmm²") == "BV 2.5 mm²"
    assert cells.one_line("") == ""


@pytest.mark.parametrize(
    ("text", "items", "numbers"),
    [
        ("1.外觀；2.配合性能", ["外觀", "配合性能"], [1, 2]),
        ("1、纤维含量 2、pH值", ["纤维含量", "pH值"], [1, 2]),
        ("1.外观2.配合性能", ["外观", "配合性能"], [1, 2]),
        ("(1)绳带要求(2)纤维含量", ["绳带要求", "纤维含量"], [1, 2]),
        ("①耐磨性能②纤维含量③pH值", ["耐磨性能", "纤维含量", "pH值"], [1, 2, 3]),
        ("纤维含量；pH值", ["纤维含量", "pH值"], None),
        ("纤维含量;pH值", ["纤维含量", "pH值"], None),
        ("纤维含量、pH值、耐磨性能", ["纤维含量", "pH值", "耐磨性能"], None),
        ("纤维含量\npH值", ["纤维含量", "pH值"], None),
        ("邻苯二甲酸酯（DBP、BBP、DEHP）", ["邻苯二甲酸酯（DBP、BBP、DEHP）"], None),
        ("GB/T 2912.1 甲醛含量", ["GB/T 2912.1 甲醛含量"], None),
        ("标签1、标签2", ["标签1", "标签2"], None),
        ("", [], None),
    ],
)
def test_split_list(text, items, numbers):
    assert item_lists.split_list(text) == (items, numbers)


def test_numbered_values_may_run_into_the_number():
    assert item_lists.split_list("1.35%；2.9.0", values=True) == (["35%", "9.0"], [1, 2])
    assert item_lists.split_list("1.35%；2.9.0") == (["1.35%", "2.9.0"], None)


@pytest.mark.parametrize(
    ("items", "measured", "limit", "expected"),
    [
        (
            "1.纤维含量；2.pH值",
            "1.35%；2.9.0",
            "1.≥50%；2.4.0~8.5",
            [
                FailedItemData("纤维含量", "35", "≥50", "%"),
                FailedItemData("pH值", "9.0", "4.0~8.5"),
            ],
        ),
        (
            "1、整车质量 2、最高车速",
            "1、62kg 2、28km/h",
            "1、≤55kg 2、≤25km/h",
            [
                FailedItemData("整车质量", "62", "≤55", "kg"),
                FailedItemData("最高车速", "28", "≤25", "km/h"),
            ],
        ),
        (
            "1.绳带要求；2.纤维含量；3.pH值",
            "1.不符合；3.9.5",
            "",
            [
                FailedItemData("绳带要求", "不符合"),
                FailedItemData("纤维含量"),
                FailedItemData("pH值", "9.5"),
            ],
        ),
        (
            "纤维含量、pH值",
            "35%；9.0",
            "≥50%；4.0~8.5",
            [
                FailedItemData("纤维含量", "35", "≥50", "%"),
                FailedItemData("pH值", "9.0", "4.0~8.5"),
            ],
        ),
        (
            "纤维含量\npH值\n耐磨性能",
            "35%",
            "≥50%",
            [FailedItemData("纤维含量"), FailedItemData("pH值"), FailedItemData("耐磨性能")],
        ),
        (
            "邻苯二甲酸酯",
            "0.35%",
            "≤0.1%",
            [FailedItemData("邻苯二甲酸酯", "0.35", "≤0.1", "%")],
        ),
        (
            "导体电阻",
            "8.21Ω/km",
            "≤7.41Ω/km",
            [FailedItemData("导体电阻", "8.21", "≤7.41", "Ω/km")],
        ),
        ("冷冻室温度", "-18℃", "≤-18℃", [FailedItemData("冷冻室温度", "-18", "≤-18", "℃")]),
        ("耐湿摩擦色牢度", "2-3级", "≥3级", [FailedItemData("耐湿摩擦色牢度", "2-3级", "≥3级")]),
        ("甲醛含量", "120mg/kg", "≤75%", [FailedItemData("甲醛含量", "120mg/kg", "≤75%")]),
        ("", "35%", "≥50%", []),
    ],
)
def test_failed_items_align_measured_and_limit(items, measured, limit, expected):
    assert item_lists.failed_items(items, measured, limit).items == expected


def test_failed_item_takes_the_header_unit_for_a_bare_number():
    assert item_lists.failed_items("邻苯二甲酸酯", "1250", "≤1000", ("mg/kg", "")).items == [
        FailedItemData("邻苯二甲酸酯", "1250", "≤1000", "mg/kg")
    ]
    assert item_lists.failed_items("标识", "不符合", "应符合", ("mg/kg", "")).items == [
        FailedItemData("标识", "不符合", "应符合")
    ]


@pytest.mark.parametrize(
    ("text", "produced", "lot"),
    [
        ("2019/1/25", date(2019, 1, 25), ""),
        ("2018.05.28", date(2018, 5, 28), ""),
        ("2017年10月06日", date(2017, 10, 6), ""),
        ("2018-05-28", date(2018, 5, 28), ""),
        ("20180528", date(2018, 5, 28), ""),
        ("2019-01-25 00:00:00", date(2019, 1, 25), ""),
        ("2018.05.2818052803", date(2018, 5, 28), "18052803"),
        ("2018/05/28 批号:A123", date(2018, 5, 28), "A123"),
        ("2018-05-28（A123）", date(2018, 5, 28), "A123"),
        ("生产日期：2019/6/1", date(2019, 6, 1), ""),
        ("批号：B7 生产日期：2019-06-01", date(2019, 6, 1), "B7"),
        ("2019年1月", None, "2019年1月"),
        ("批号A1", None, "A1"),
        ("2019/13/45", None, "2019/13/45"),
        ("2019/2/30", None, "2019/2/30"),
        ("2018052801", None, "2018052801"),
        ("A20190125", None, "A20190125"),
        ("", None, ""),
    ],
)
def test_parse_lot(text, produced, lot):
    assert cells.parse_lot(text) == (produced, lot)


@pytest.mark.parametrize(
    ("text", "initial", "retest"),
    [
        (
            "初檢機構：上海市質量監督檢驗技術研究院；復檢機構：國家日用金屬製品質量監督檢驗中心",
            "上海市質量監督檢驗技術研究院",
            "國家日用金屬製品質量監督檢驗中心",
        ),
        (
            "初检机构:上海市质量监督检验技术研究院\n复检机构:国家电动自行车产品质量监督检验中心",
            "上海市质量监督检验技术研究院",
            "国家电动自行车产品质量监督检验中心",
        ),
        (
            "上海市质量监督检验技术研究院（初检）、国家日用金属制品质量监督检验中心（复检）",
            "上海市质量监督检验技术研究院",
            "国家日用金属制品质量监督检验中心",
        ),
        ("复检机构：国家日用金属制品质量监督检验中心", "", "国家日用金属制品质量监督检验中心"),
        ("上海市质量监督检验技术研究院", "上海市质量监督检验技术研究院", ""),
        ("检验机构：上海市质量监督检验技术研究院", "上海市质量监督检验技术研究院", ""),
        ("", "", ""),
    ],
)
def test_split_agencies(text, initial, retest):
    assert cells.split_agencies(text) == (initial, retest)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("合格", "pass"),
        ("所检项目符合标准要求", "pass"),
        ("未发现不合格", "pass"),
        ("不合格", "fail"),
        ("不合格（标签）", "fail"),
        ("不合格（pH值）", "fail"),
        ("所检项目不符合标准要求", "fail"),
        ("移送", "referred"),
        ("无证，已移送", "referred"),
        ("未取得生产许可证", "referred"),
        ("", ""),
        ("待定", None),
    ],
)
def test_parse_outcome(text, outcome):
    assert cells.parse_outcome(text) == outcome


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("生产", "production"),
        ("生產領域", "production"),
        ("流通", "retail"),
        ("流通領域", "retail"),
        ("销售环节", "retail"),
        ("网络销售", "ecommerce"),
        ("電子商務", "ecommerce"),
        ("电商平台", "ecommerce"),
        ("其他", ""),
    ],
)
def test_parse_channel(text, channel):
    assert cells.parse_channel(text) == channel


def test_clean_uscc_is_half_width_upper_case_without_spaces():
    valid = code("91310117MA1FL0001")
    spaced = " " + valid[:8] + " " + valid[8:].lower()
    assert cells.clean_uscc(spaced) == valid
    assert cells.clean_uscc("９１３１０１１７ＭＡ１ＦＬ０００１" + valid[-1]) == valid
    assert cells.uscc_problem(valid) is None


def test_uscc_problems_say_what_is_wrong():
    valid = code("91310115MA1H00007")
    mistyped = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    assert cells.uscc_problem(mistyped) == (
        f"统一社会信用代码校验位错误：按前17位应为“{valid[-1]}”，而不是“{mistyped[-1]}”",
        f"wrong check character: the first 17 characters call for “{valid[-1]}”, "
        f"not “{mistyped[-1]}”",
    )
    assert cells.uscc_problem("91310101MA1FP000") == (
        "统一社会信用代码应为18位，这里是16位",
        "a credit code has 18 characters, this one has 16",
    )
    assert cells.uscc_problem(valid.replace("MA1", "MAI"))[1].startswith("malformed credit code")
    assert cells.uscc_problem("9.13101E+17")[1].startswith("the credit code was turned into")


@pytest.mark.parametrize(
    ("text", "url", "rest"),
    [
        (
            "https://detail.tmall.com/item.htm?id=600000000001",
            "https://detail.tmall.com/item.htm?id=600000000001",
            "",
        ),
        (
            "网址：https://mall.jd.com/index-1000000001.html",
            "https://mall.jd.com/index-1000000001.html",
            "",
        ),
        ("item.jd.com/100012345.html", "https://item.jd.com/100012345.html", ""),
        ("shop123.taobao.com", "https://shop123.taobao.com", ""),
        (
            "mobile.yangkeduo.com/goods.html?goods_id=1",
            "https://mobile.yangkeduo.com/goods.html?goods_id=1",
            "",
        ),
        (
            "浙江省杭州市余杭区某某路1号（网店：https://shop.tmall.com/x）",
            "https://shop.tmall.com/x",
            "浙江省杭州市余杭区某某路1号",
        ),
        ("上海市黄浦区南京东路100号", "", "上海市黄浦区南京东路100号"),
        ("客服邮箱 service@jd.com", "", "客服邮箱 service@jd.com"),
    ],
)
def test_extract_url(text, url, rest):
    assert cells.extract_url(text) == (url, rest)


@pytest.mark.parametrize(
    "text",
    [
        "經核實，該批次產品並非由某公司生產",
        "经核实，该批次产品并非由上海某某服饰有限公司生产",
        "标称生产企业不承认",
        "标称生产企业不承认该批次产品为其生产",
        "经标称生产企业确认，该产品非其生产",
        "系假冒产品",
        "该企业未生产过该批次产品",
    ],
)
def test_producer_disputed(text):
    assert cells.producer_disputed(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "已责令停止销售",
        "标称生产企业不承认检验结果",
        "企业否认检测结论",
        "非标产品，已移送",
        "无CCC认证",
    ],
)
def test_producer_not_disputed(text):
    assert not cells.producer_disputed(text)


def test_unlicensed_remarks():
    assert cells.mentions_unlicensed("该企业无证生产，已移送处理")
    assert cells.mentions_unlicensed("未取得生产许可证")
    assert not cells.mentions_unlicensed("不合格产品已移送属地市场监管部门处理")
