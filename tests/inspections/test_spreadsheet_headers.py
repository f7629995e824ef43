"""The crosswalk from published column headers to canonical fields."""

from __future__ import annotations

import pytest

from portal.inspections.spreadsheets import FIELDS, REQUIRED_FIELDS
from portal.inspections.spreadsheets.schema import map_headers, match_header, merge_subheader


def test_canonical_fields_and_required_fields():
    assert list(FIELDS) == [
        "sequence",
        "sample_name",
        "producer_name",
        "producer_address",
        "producer_uscc",
        "sampled_unit_name",
        "sampled_unit_address",
        "sampled_unit_uscc",
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
        "district",
        "listing_url",
        "source_url",
        "serial_number",
        "barcode",
    ]
    assert FIELDS["producer_name"] == ("标称生产企业名称", "nominal producer")
    assert REQUIRED_FIELDS == ("sample_name", "producer_name")


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("序號", "sequence"),
        ("序号", "sequence"),
        ("產品名稱", "sample_name"),
        ("样品名称", "sample_name"),
        ("抽检样品名称", "sample_name"),
        ("產品\n名稱", "sample_name"),
        ("標稱生產企業名稱", "producer_name"),
        ("标称生产者名称", "producer_name"),
        ("生产企业", "producer_name"),
        ("生产者名称", "producer_name"),
        ("标称生产企业", "producer_name"),
        ("標稱生產企業（進口商）名稱", "producer_name"),
        ("標稱生產企業地址", "producer_address"),
        ("受檢單位", "sampled_unit_name"),
        ("被抽樣單位名稱", "sampled_unit_name"),
        ("被抽样单位", "sampled_unit_name"),
        ("受检单位名称", "sampled_unit_name"),
        ("销售单位", "sampled_unit_name"),
        ("受檢單位地址", "sampled_unit_address"),
        ("被抽样单位地址", "sampled_unit_address"),
        ("規格型號", "model"),
        ("型号规格", "model"),
        ("规格", "model"),
        ("規格型號（等級）", "model"),
        ("商標", "brand"),
        ("標稱商標", "brand"),
        ("品牌", "brand"),
        ("生產日期/批號", "lot"),
        ("生产日期或批号", "lot"),
        ("生产日期", "lot"),
        ("生产（加工）日期/批号", "lot"),
        ("不合格項目", "failed_items"),
        ("主要不合格项目", "failed_items"),
        ("檢驗結果", "measured"),
        ("实测值", "measured"),
        ("標準值", "limit"),
        ("標準要求", "limit"),
        ("标准规定值", "limit"),
        ("檢驗機構", "agency"),
        ("承檢機構", "agency"),
        ("检测机构", "agency"),
        ("備註", "remarks"),
        ("抽查結果", "outcome"),
        ("检验结论", "outcome"),
        ("结论", "outcome"),
        ("抽樣領域", "channel"),
        ("抽样环节", "channel"),
        ("产品类别", "category"),
        ("所属区", "district"),
        ("网店链接", "listing_url"),
        ("標稱生產企業統一社會信用代碼", "producer_uscc"),
        ("受檢單位統一社會信用代碼", "sampled_unit_uscc"),
        ("被抽样单位统一社会信用代码", "sampled_unit_uscc"),
        (" 商 标 ", "brand"),
        ("【备注】", "remarks"),
        ("产品名称*", "sample_name"),
        ("检验结果（mg/kg）", "measured"),
        ("受检单位所在地", "sampled_unit_address"),
        ("生产企业社会信用代码", "producer_uscc"),
        ("商品购买链接地址", "listing_url"),
        ("抽样单位名称", None),
        ("抽样日期", None),
        ("检验报告编号", None),
        ("2019年上海市儿童服装产品质量监督抽查结果", None),
        ("", None),
    ],
)
def test_match_header(header, field):
    assert match_header(header)[0] == field


def test_a_unit_in_the_header_brackets_is_kept():
    assert match_header("检验结果（mg/kg）") == ("measured", "mg/kg")
    assert match_header("實測值(%)") == ("measured", "%")


def test_bare_address_and_credit_code_follow_the_party_on_their_left():
    header = map_headers(
        ["生产企业", "地址", "统一社会信用代码", "销售单位", "地址", "统一社会信用代码", "备注"]
    )
    assert header.headers == [
        "生产企业",
        "地址",
        "统一社会信用代码",
        "销售单位",
        "地址 (2)",
        "统一社会信用代码 (2)",
        "备注",
    ]
    assert header.fields == [
        "producer_name",
        "producer_address",
        "producer_uscc",
        "sampled_unit_name",
        "sampled_unit_address",
        "sampled_unit_uscc",
        "remarks",
    ]


def test_the_first_column_claiming_a_field_wins_and_the_other_is_kept_as_unknown():
    header = map_headers(["产品名称", "标称生产企业名称", "生产日期", "批号", "", "抽样单编号", ""])
    assert header.mapping == {
        "产品名称": "sample_name",
        "标称生产企业名称": "producer_name",
        "生产日期": "lot",
        "批号": None,
        "E": None,
        "抽样单编号": None,
    }
    assert header.missing() == []
    assert header.header_of("lot") == "生产日期"
    assert header.header_of("outcome") == "抽查结果"


def test_missing_required_fields():
    assert map_headers(["序号", "产品名称", "受检单位名称"]).missing() == ["producer_name"]


def test_subheader_under_a_failed_items_group_is_merged():
    parent = ["序号", "产品名称", "标称生产企业名称", "不合格项目", "", "", "结论"]
    sub = ["", "", "", "项目名称", "检验结果", "标准值", ""]
    combined = merge_subheader(parent, sub)
    assert combined == [
        "序号",
        "产品名称",
        "标称生产企业名称",
        "不合格项目",
        "检验结果",
        "标准值",
        "结论",
    ]
    assert map_headers(combined).fields == [
        "sequence",
        "sample_name",
        "producer_name",
        "failed_items",
        "measured",
        "limit",
        "outcome",
    ]


@pytest.mark.parametrize(
    "sub",
    [
        ["1", "儿童服装", "上海某某服饰有限公司", "纤维含量", "35%", "≥50%", "不合格"],
        ["", "", "", "", "", "", ""],
        ["", "检验结果", "", "", "", "", ""],
    ],
)
def test_a_data_row_or_a_clashing_row_is_not_a_subheader(sub):
    parent = ["序号", "产品名称", "标称生产企业名称", "不合格项目", "", "", "结论"]
    assert merge_subheader(parent, sub) is None
