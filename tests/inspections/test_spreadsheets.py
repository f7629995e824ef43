"""Parsing real-looking spot-check result spreadsheets end to end: simplified headers in UTF-8,
traditional headers with a BOM, and the reproducibility of the fixture files."""

from __future__ import annotations

import hashlib
import importlib.util
import io
from datetime import date

from portal.inspections.spreadsheets import FailedItemData, ParsedSample, parse_spreadsheet
from tests.inspections.spreadsheet_files import FIXTURES, SHANGHAI_INSTITUTE, code, parse, values

# -- simplified headers, UTF-8 ---------------------------------------------------------------


def test_simplified_csv_finds_the_header_below_title_and_notes():
    sheet, samples = parse("simplified_utf8.csv")
    assert (sheet.format, sheet.encoding, sheet.delimiter, sheet.header_row) == (
        "csv",
        "utf-8",
        ",",
        4,
    )
    assert sheet.mapping == {
        "序号": "sequence",
        "样品名称": "sample_name",
        "标称生产企业名称": "producer_name",
        "标称生产企业地址": "producer_address",
        "标称生产企业统一社会信用代码": "producer_uscc",
        "被抽样单位名称": "sampled_unit_name",
        "被抽样单位地址": "sampled_unit_address",
        "被抽样单位统一社会信用代码": "sampled_unit_uscc",
        "规格型号": "model",
        "商标": "brand",
        "生产日期/批号": "lot",
        "主要不合格项目": "failed_items",
        "实测值": "measured",
        "标准规定值": "limit",
        "检测机构": "agency",
        "备注": "remarks",
        "检验结论": "outcome",
        "抽样环节": "channel",
        "抽样单编号": None,
    }
    assert sheet.headers == list(sheet.mapping)
    assert (
        sheet.sha256 == hashlib.sha256((FIXTURES / "simplified_utf8.csv").read_bytes()).hexdigest()
    )
    assert sheet.rows_read == 10
    assert sheet.total_rows == 10
    assert [sample.rows for sample in samples] == [[5], [6], [7], [8], [9], [10], [11], [12]]
    assert [sample.errors for sample in samples] == [[]] * 8


def test_simplified_csv_first_sample_in_full():
    _sheet, samples = parse("simplified_utf8.csv")
    assert samples[0] == ParsedSample(
        rows=[5],
        values=values(
            sequence="1",
            sample_name="儿童连衣裙",
            producer_name="上海某某服饰有限公司",
            producer_address="上海市松江区某某路1号",
            producer_uscc=code("91310117MA1FL0001"),
            sampled_unit_name="上海某某百货有限公司",
            sampled_unit_address="上海市黄浦区南京东路100号",
            sampled_unit_uscc=code("91310101MA1FP0002"),
            model="110cm",
            brand="小兔",
            lot="2018.05.2818052803",
            failed_items="1.纤维含量；2.pH值",
            measured="1.35%；2.9.0",
            limit="1.≥50%；2.4.0~8.5",
            agency=SHANGHAI_INSTITUTE,
            outcome="不合格",
            channel="流通",
        ),
        extra={"抽样单编号": "CJ2019-001"},
        failed_items=[
            FailedItemData("纤维含量", "35", "≥50", "%"),
            FailedItemData("pH值", "9.0", "4.0~8.5", ""),
        ],
        production_date=date(2018, 5, 28),
        lot_number="18052803",
        initial_agency=SHANGHAI_INSTITUTE,
        retest_agency="",
        outcome="fail",
        channel="retail",
        listing_url="",
        producer_disputed=False,
        errors=[],
    )


def test_simplified_csv_web_store_url_as_address_means_ecommerce():
    _sheet, samples = parse("simplified_utf8.csv")
    online = samples[1]
    url = "https://detail.tmall.com/item.htm?id=600000000001"
    assert online.values["sampled_unit_address"] == ""
    assert online.values["listing_url"] == url
    assert (online.listing_url, online.channel, online.outcome) == (url, "ecommerce", "pass")
    assert online.values["producer_uscc"] == ""
    assert online.values["model"] == "大号"
    assert online.failed_items == []
    assert online.production_date == date(2019, 1, 25)


def test_simplified_csv_dates_lots_outcomes_and_disputes():
    _sheet, samples = parse("simplified_utf8.csv")
    summary = [
        (
            sample.values["lot"],
            sample.production_date,
            sample.lot_number,
            sample.outcome,
            sample.channel,
            sample.producer_disputed,
        )
        for sample in samples
    ]
    assert summary == [
        ("2018.05.2818052803", date(2018, 5, 28), "18052803", "fail", "retail", False),
        ("2019/1/25", date(2019, 1, 25), "", "pass", "ecommerce", False),
        ("2018/05/28 批号:A123", date(2018, 5, 28), "A123", "fail", "retail", True),
        ("20180528", date(2018, 5, 28), "", "referred", "retail", False),
        ("2017年10月06日", date(2017, 10, 6), "", "fail", "production", False),
        ("2019年1月", None, "2019年1月", "fail", "retail", False),
        ("批号A1", None, "A1", "pass", "retail", False),
        ("2019/13/45", None, "2019/13/45", "pass", "retail", False),
    ]
    assert samples[2].failed_items == [
        FailedItemData("整车质量", "62", "≤55", "kg"),
        FailedItemData("最高车速", "28", "≤25", "km/h"),
    ]
    assert samples[4].failed_items == [FailedItemData("蒸发残渣（4%乙酸）", "52", "≤30", "mg/dm²")]
    assert samples[5].failed_items == [FailedItemData("导体电阻", "8.21", "≤7.41", "Ω/km")]


def test_simplified_csv_none_markers_become_empty():
    _sheet, samples = parse("simplified_utf8.csv")
    power_bank, tableware = samples[3], samples[4]
    assert power_bank.values["sampled_unit_uscc"] == ""  # 无
    assert power_bank.values["brand"] == ""  # N/A
    assert power_bank.values["failed_items"] == ""  # /
    assert tableware.values["model"] == ""  # 散装
    assert tableware.values["brand"] == ""  # -
    assert samples[2].values["sampled_unit_uscc"] == ""  # —


# -- traditional headers, UTF-8 with BOM -----------------------------------------------------


def test_traditional_headers_with_bom_and_stray_spaces():
    sheet, samples = parse("traditional_bom.csv")
    assert (sheet.encoding, sheet.header_row) == ("utf-8-sig", 2)
    assert sheet.headers == [
        "序號",
        "產品名稱",
        "標稱生產企業名稱",
        "標稱生產企業地址",
        "受檢單位",
        "受檢單位地址",
        "規格型號（等級）",
        "標稱商標",
        "生產日期/批號",
        "不合格項目",
        "檢驗結果",
        "標準值",
        "檢驗機構",
        "備註",
        "抽查結果",
        "抽樣領域",
        "產品類別",
    ]
    assert list(sheet.mapping.values()) == [
        "sequence",
        "sample_name",
        "producer_name",
        "producer_address",
        "sampled_unit_name",
        "sampled_unit_address",
        "model",
        "brand",
        "lot",
        "failed_items",
        "measured",
        "limit",
        "agency",
        "remarks",
        "outcome",
        "channel",
        "category",
    ]
    assert [sample.rows for sample in samples] == [[3], [4], [5], [6, 7]]


def test_traditional_values_keep_their_characters_and_split_agencies():
    _sheet, samples = parse("traditional_bom.csv")
    coat = samples[0]
    assert coat.values["sample_name"] == "兒童外套"
    assert coat.values["producer_name"] == "廣州某某服飾有限公司"
    assert coat.failed_items == [
        FailedItemData("繩帶要求", "不符合", "應符合標準要求", ""),
        FailedItemData("鄰苯二甲酸酯", "0.35", "≤0.1", "%"),
    ]
    assert coat.initial_agency == "上海市質量監督檢驗技術研究院"
    assert coat.retest_agency == "國家日用金屬製品質量監督檢驗中心"
    assert coat.producer_disputed is True
    assert (coat.outcome, coat.channel, coat.production_date) == (
        "fail",
        "retail",
        date(2019, 1, 25),
    )

    cup = samples[1]
    assert (cup.values["model"], cup.values["brand"], cup.values["failed_items"]) == ("", "", "")
    assert (cup.initial_agency, cup.retest_agency) == ("國家日用金屬製品質量監督檢驗中心", "")
    assert (cup.outcome, cup.channel, cup.production_date) == (
        "pass",
        "production",
        date(2018, 5, 28),
    )

    swimsuit = samples[2]
    assert swimsuit.listing_url == "https://mall.jd.com/index-1000000001.html"
    assert swimsuit.values["sampled_unit_address"] == ""
    assert (swimsuit.outcome, swimsuit.channel) == ("fail", "ecommerce")
    assert swimsuit.failed_items == [FailedItemData("pH值", "9.0", "4.0～8.5", "")]


def test_rows_with_the_same_sequence_number_are_one_sample():
    _sheet, samples = parse("traditional_bom.csv")
    pyjamas = samples[3]
    assert pyjamas.rows == [6, 7]
    assert pyjamas.failed_items == [
        FailedItemData("甲醛含量", "120", "≤75", "mg/kg"),
        FailedItemData("耐濕摩擦色牢度", "2-3級", "≥3級", ""),
    ]
    assert pyjamas.values["failed_items"] == "甲醛含量\n耐濕摩擦色牢度"
    assert pyjamas.values["sample_name"] == "兒童睡衣"
    assert pyjamas.production_date == date(2019, 3, 2)
    assert pyjamas.errors == []


def test_key_is_the_same_for_simplified_and_traditional_spellings():
    traditional = (
        "序號,產品名稱,標稱生產企業名稱,受檢單位,規格型號,商標,生產日期/批號\n"
        "1,兒童外套,廣州某某服飾（集團）有限公司,上海某某商廈,130/64,童趣,2019/1/25\n"
    )
    simplified = (
        "序号,产品名称,标称生产企业名称,受检单位名称,规格型号,商标,生产日期/批号\n"
        "7,儿童外套, 广州某某服饰(集团)有限公司 ,上海某某商厦,130／64,童趣,2019/1/25\n"
    )
    other_lot = simplified.replace("2019/1/25", "2019/1/26")
    keys = []
    for text in (traditional, simplified, other_lot):
        sheet = parse_spreadsheet(io.BytesIO(text.encode()), "x.csv")
        keys.append(next(sheet.samples()).key())
    assert keys[0] == keys[1] != keys[2]
    assert len(keys[0]) == 64


def test_fixtures_are_reproducible(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(FIXTURES)  # as when run as a script: its families sit beside it
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.write(tmp_path)
    assert len(written) == 25
    for path in written:
        assert path.read_bytes() == (FIXTURES / path.name).read_bytes(), path.name
