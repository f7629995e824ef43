"""Parsing the fixture spreadsheets in other formats end to end: GBK, GB18030, semicolons,
sheets without outcome or channel columns, and XLSX workbooks."""

from __future__ import annotations

from datetime import date

from portal.inspections.spreadsheets import CellError, FailedItemData
from tests.inspections.spreadsheet_files import SHANGHAI_INSTITUTE, code, parse, values

# -- GBK, tab-separated; GB18030; semicolon with old Mac line ends ---------------------------


def test_gbk_tab_separated_with_bare_address_and_credit_code_columns():
    sheet, samples = parse("gbk_tab.csv")
    assert (sheet.encoding, sheet.delimiter, sheet.header_row) == ("gb18030", "\t", 1)
    assert sheet.mapping["地址"] == "producer_address"
    assert sheet.mapping["统一社会信用代码"] == "producer_uscc"
    assert sheet.mapping["地址 (2)"] == "sampled_unit_address"
    assert sheet.mapping["统一社会信用代码 (2)"] == "sampled_unit_uscc"
    bag = samples[0]
    assert bag.values == values(
        sequence="1",
        sample_name="学生书包",
        producer_name="温州某某箱包有限公司",
        producer_address="浙江省温州市某某路2号",
        producer_uscc=code("91330303MA2H00005"),
        sampled_unit_name="上海某某文具店",
        sampled_unit_address="上海市杨浦区某某路6号",
        sampled_unit_uscc=code("92310110MA1K00006"),
        model="中号",
        brand="书童",
        lot="2019-03-15",
        failed_items="邻苯二甲酸酯",
        measured="1250",
        limit="≤1000",
        agency=SHANGHAI_INSTITUTE,
        outcome="不合格",
        district="杨浦区",
        category="学生用品",
    )
    assert bag.failed_items == [FailedItemData("邻苯二甲酸酯", "1250", "≤1000", "mg/kg")]
    assert (bag.outcome, bag.production_date) == ("fail", date(2019, 3, 15))
    assert (samples[1].outcome, samples[1].production_date) == ("pass", date(2019, 3, 1))


def test_gb18030_characters_outside_gbk():
    sheet, samples = parse("gb18030.csv")
    assert sheet.encoding == "gb18030"
    assert samples[0].values["producer_name"] == "𠮷祥文具有限公司"


def test_semicolons_carriage_returns_and_line_breaks_inside_a_cell():
    sheet, samples = parse("semicolon_cr.csv")
    assert (sheet.delimiter, sheet.encoding) == (";", "utf-8")
    assert samples[0].failed_items == [FailedItemData("纤维含量"), FailedItemData("pH值")]
    assert [sample.outcome for sample in samples] == ["fail", "pass"]


# -- outcome and channel without their columns -----------------------------------------------


def test_section_rows_give_the_channel_and_outcome_is_inferred():
    sheet, samples = parse("sections.csv")
    assert "outcome" not in sheet.mapping.values()
    assert [(s.rows, s.channel, s.outcome) for s in samples] == [
        ([3], "production", "fail"),
        ([4], "production", "pass"),
        ([6], "retail", "referred"),
        ([8], "ecommerce", "pass"),
    ]
    assert samples[0].failed_items == [FailedItemData("耐磨性能", "3000次", "≥5000次", "")]
    assert sheet.rows_read == 8


def test_a_result_column_holding_pass_or_fail_is_read_as_the_outcome():
    _sheet, samples = parse("result_column.csv")
    assert [(s.values["measured"], s.outcome) for s in samples] == [
        ("合格", "pass"),
        ("不合格", "fail"),
    ]


# -- XLSX ------------------------------------------------------------------------------------


def test_xlsx_with_title_merged_rows_excel_dates_and_numbers():
    sheet, samples = parse("merged_title.xlsx")
    assert (sheet.format, sheet.encoding, sheet.header_row) == ("xlsx", None, 3)
    assert sheet.total_rows == 7
    assert sheet.rows_read == 7
    bike, power_bank, raincoat = samples
    assert bike.rows == [4, 5, 6]
    assert bike.values["sequence"] == "1"
    assert bike.values["model"] == "48"
    assert bike.values["lot"] == "2019-11-05"
    assert bike.production_date == date(2019, 11, 5)
    assert bike.failed_items == [
        FailedItemData("整车质量", "62.5", "≤55", ""),
        FailedItemData("最高车速", "28", "≤25", ""),
        FailedItemData("脚踏行驶能力", "不符合", "应符合标准要求", ""),
    ]
    assert (bike.outcome, bike.initial_agency) == ("fail", "国家电动自行车产品质量监督检验中心")
    assert bike.errors == []
    assert (power_bank.rows, power_bank.production_date, power_bank.outcome) == (
        [7],
        date(2020, 3, 1),
        "pass",
    )
    assert raincoat.values["measured"] == "0.35%"
    assert raincoat.failed_items == [FailedItemData("邻苯二甲酸酯", "0.35", "≤0.1", "%")]
    assert (raincoat.values["lot"], raincoat.production_date) == ("20190915", date(2019, 9, 15))


def test_xlsx_formula_cells_and_formula_text_are_refused():
    _sheet, samples = parse("formulas.xlsx")
    reason = (
        "单元格内容以公式符号开头，在 Excel/WPS 中会作为公式执行（公式注入风险）；请改为纯文本",
        "starts like a formula and would run as one in Excel/WPS (formula injection); "
        "enter it as plain text",
    )
    assert [error for sample in samples for error in sample.errors] == [
        CellError(
            2, "受检单位地址", '=HYPERLINK("http://evil.example/","点击查看")', "formula", *reason
        ),
        CellError(2, "规格型号", "-2+3+cmd|' /C calc'!A0", "formula", *reason),
        CellError(2, "商标", "@SUM(1+1)*cmd|' /C calc'!A0", "formula", *reason),
        CellError(2, "备注", "=cmd|' /C calc'!A0", "formula", *reason),
        CellError(3, "商标", "+cmd|' /C notepad'!A0", "formula", *reason),
        CellError(3, "备注", "=1+1", "formula", *reason),
    ]
    first, fridge = samples
    assert first.listing_url == ""
    assert (first.values["measured"], first.values["limit"]) == ("-5", "+0.3")
    assert fridge.failed_items == [FailedItemData("冷冻室温度", "-18", "≤-18", "℃")]


def test_xlsx_two_row_header():
    sheet, samples = parse("two_row_header.xlsx")
    assert sheet.header_row == 3
    assert sheet.mapping == {
        "序号": "sequence",
        "产品名称": "sample_name",
        "标称生产企业名称": "producer_name",
        "受检单位名称": "sampled_unit_name",
        "不合格项目": "failed_items",
        "检验结果": "measured",
        "标准值": "limit",
        "结论": "outcome",
    }
    assert [(s.rows, s.failed_items, s.outcome) for s in samples] == [
        ([4], [FailedItemData("耐磨性能", "3级", "≥4级", "")], "fail"),
        ([5], [], "pass"),
    ]
