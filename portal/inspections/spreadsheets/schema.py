"""The canonical fields of a spot-check result and the crosswalk from published column headers.

Every issuer names its columns differently (序號/序号, 產品名稱/样品名称,
受檢單位/被抽样单位名称 …), in simplified or traditional characters, with stray spaces,
line breaks and full-width brackets. Headers are compared in their folded form
(`portal.core.text.fold`), so one simplified alias covers its traditional, full-width and
spaced spellings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from portal.core.text import fold

from .cells import normalize, one_line

FIELDS: dict[str, tuple[str, str]] = {
    "sequence": ("序号", "sequence number"),
    "sample_name": ("产品名称", "product name"),
    "producer_name": ("标称生产企业名称", "nominal producer"),
    "producer_address": ("标称生产企业地址", "producer address"),
    "producer_uscc": ("标称生产企业统一社会信用代码", "producer credit code (USCC)"),
    "sampled_unit_name": ("受检单位名称", "sampled unit"),
    "sampled_unit_address": ("受检单位地址", "sampled unit address"),
    "sampled_unit_uscc": ("受检单位统一社会信用代码", "sampled unit credit code (USCC)"),
    "model": ("规格型号", "model / specification"),
    "brand": ("商标", "brand"),
    "lot": ("生产日期/批号", "production date / lot"),
    "failed_items": ("不合格项目", "failed items"),
    "measured": ("检验结果", "measured value"),
    "limit": ("标准值", "required value"),
    "agency": ("检验机构", "testing agency"),
    "remarks": ("备注", "remarks"),
    "outcome": ("抽查结果", "outcome"),
    "channel": ("抽样领域", "sampling channel"),
    "category": ("产品类别", "product category"),
    "district": ("所属区", "district"),
    "listing_url": ("网店链接", "web-store listing URL"),
    "source_url": ("来源链接", "source link (e.g. the notice)"),
    "serial_number": ("出厂编号", "serial number"),
    "barcode": ("商品条码", "barcode (GTIN)"),
}
REQUIRED_FIELDS: tuple[str, ...] = ("sample_name", "producer_name")

# Published spellings, simplified; traditional and full-width forms fold onto these.
_ALIASES: dict[str, tuple[str, ...]] = {
    "sequence": ("序号", "序", "no", "no."),
    "sample_name": (
        "产品名称",
        "样品名称",
        "抽检样品名称",
        "抽查样品名称",
        "抽样产品名称",
        "抽检产品名称",
        "抽查产品名称",
        "标称产品名称",
        "商品名称",
        "食品名称",
        "产品",
        "样品",
    ),
    "producer_name": (
        "标称生产企业名称",
        "标称生产者名称",
        "标称生产单位名称",
        "标称生产企业",
        "标称生产者",
        "标称生产单位",
        "标称生产厂家",
        "标称制造商",
        "生产企业名称",
        "生产者名称",
        "生产单位名称",
        "生产企业",
        "生产者",
        "生产单位",
        "生产厂家",
        "生产商",
        "制造商",
        "企业名称",
    ),
    "producer_address": (
        "标称生产企业地址",
        "标称生产者地址",
        "标称生产单位地址",
        "生产企业地址",
        "生产者地址",
        "生产单位地址",
        "生产厂家地址",
        "制造商地址",
        "企业地址",
    ),
    "producer_uscc": (
        "标称生产企业统一社会信用代码",
        "标称生产者统一社会信用代码",
        "生产企业统一社会信用代码",
        "生产者统一社会信用代码",
        "生产单位统一社会信用代码",
    ),
    "sampled_unit_name": (
        "受检单位",
        "受检单位名称",
        "受检企业",
        "受检企业名称",
        "被抽样单位",
        "被抽样单位名称",
        "被抽检单位",
        "被抽检单位名称",
        "被检单位",
        "被检单位名称",
        "被抽查单位",
        "被抽查单位名称",
        "销售单位",
        "销售单位名称",
        "销售者",
        "销售者名称",
        "经营单位",
        "经营单位名称",
    ),
    "sampled_unit_address": (
        "受检单位地址",
        "受检企业地址",
        "被抽样单位地址",
        "被抽检单位地址",
        "被检单位地址",
        "被抽查单位地址",
        "销售单位地址",
        "销售者地址",
        "经营单位地址",
    ),
    "sampled_unit_uscc": (
        "受检单位统一社会信用代码",
        "受检企业统一社会信用代码",
        "被抽样单位统一社会信用代码",
        "被抽检单位统一社会信用代码",
        "被检单位统一社会信用代码",
        "销售单位统一社会信用代码",
    ),
    "model": ("规格型号", "型号规格", "规格/型号", "型号/规格", "规格、型号", "规格", "型号"),
    "brand": ("商标", "标称商标", "品牌", "标称品牌", "注册商标", "商标/品牌", "商标(品牌)"),
    "lot": (
        "生产日期/批号",
        "生产日期或批号",
        "生产日期、批号",
        "生产日期(批号)",
        "生产日期/批次号",
        "生产日期/批次",
        "生产日期或批次",
        "批号/生产日期",
        "生产日期",
        "生产批号",
        "批号",
        "批次号",
        "批次",
    ),
    "failed_items": (
        "不合格项目",
        "主要不合格项目",
        "不合格项目名称",
        "不合格项",
        "不合格检验项目",
        "检验不合格项目",
        "不符合项目",
    ),
    "measured": (
        "检验结果",
        "实测值",
        "检测结果",
        "检验值",
        "检测值",
        "实测结果",
        "测试结果",
        "不合格项目检验结果",
    ),
    "limit": (
        "标准值",
        "标准要求",
        "标准规定值",
        "标准规定",
        "标准指标",
        "标准值/标准要求",
        "技术要求",
        "要求值",
        "限量值",
    ),
    "agency": (
        "检验机构",
        "承检机构",
        "检测机构",
        "检验机构名称",
        "承检机构名称",
        "检测机构名称",
        "承检单位",
        "检验单位",
        "检测单位",
    ),
    "remarks": ("备注", "附注", "备注说明"),
    "outcome": (
        "抽查结果",
        "抽检结果",
        "检验结论",
        "检测结论",
        "抽查结论",
        "结论",
        "判定结果",
        "结果判定",
        "检验结果判定",
        "综合判定",
        "判定",
        "是否合格",
        "合格与否",
    ),
    "channel": (
        "抽样领域",
        "抽样环节",
        "抽查领域",
        "抽检领域",
        "抽检环节",
        "抽查环节",
        "领域",
        "环节",
    ),
    "category": ("产品类别", "产品类型", "产品种类", "产品分类", "产品大类", "类别", "分类"),
    "district": ("所属区", "所在区", "区", "区域", "辖区", "属地", "区县", "所属区县", "地区"),
    # A link column is a web-store listing only when its header says so …
    "listing_url": (
        *("网店地址", "网店网址", "网店链接", "店铺链接", "店铺网址", "商品链接", "商品网址"),
        *("产品链接", "购买链接", "网络销售链接"),
    ),
    # … any other link is where the row comes from (the notice); a marketplace host in it
    # still makes a listing (`cells.is_marketplace`).
    "source_url": (
        *("网址", "链接", "网络链接", "链接地址", "url", "公告链接", "公告网址", "通告链接"),
        *("原文链接", "来源链接", "信息来源"),
    ),
    "serial_number": (
        *("出厂编号", "出厂序号", "产品编号", "产品序列号", "序列号", "机身编号", "设备编号"),
    ),
    "barcode": (
        "条码",
        "商品条码",
        "条形码",
        "产品条码",
        "商品条形码",
        "产品条形码",
        "条码号",
        "条形码号",
        "国际条码",
        "商品国际条码",
        "商品编码(条码)",
        "商品条码(gtin)",
        "gtin",
        "gtin码",
        "ean",
        "ean13",
        "ean-13",
        "ean码",
        "upc",
        "upc码",
    ),
}
_BY_ALIAS: dict[str, str] = {
    fold(alias): name for name, aliases in _ALIASES.items() for alias in aliases
}

# Bare headers that belong to whichever party (producer or sampled unit) the columns on their
# left describe: "标称生产企业名称 | 地址 | 受检单位名称 | 地址".
_PARTY_PART = {
    "地址": "address",
    "住所": "address",
    "所在地": "address",
    "统一社会信用代码": "uscc",
    "社会信用代码": "uscc",
    "信用代码": "uscc",
}
_PARTY_OF = {
    "producer_name": "producer",
    "producer_address": "producer",
    "producer_uscc": "producer",
    "sampled_unit_name": "sampled_unit",
    "sampled_unit_address": "sampled_unit",
    "sampled_unit_uscc": "sampled_unit",
}
_SAMPLED_WORDS = re.compile(r"受检|被抽|被检|销售|经营|网店|店铺")
_PRODUCER_WORDS = re.compile(r"生产|制造|厂家")
_URL_WORDS = re.compile(r"网址|链接|url")
_STORE_WORDS = re.compile(r"网店|店铺|商品|产品|购买|销售")
# A sampled-unit header naming a web store ("网店名称", "店铺名称"): the sample was bought online.
_ONLINE_UNIT = re.compile(r"网店|店铺|电商|平台")
# The body that took the sample (抽样单位), not the unit it was taken from (被抽样单位).
_SAMPLING_BODY = re.compile(r"(?<!被)抽样(单位|机构)")
# Sub-headers under a "不合格项目" group header that name the item column itself.
_ITEM_SUBHEADERS = frozenset({"项目", "项目名称", "检验项目", "名称"})
_FOOTNOTE = re.compile(r"^[*※#]+|[*※#①-⑩:]+$")
_BRACKETED = re.compile(r"\([^()]*\)")
_WRAPPED = re.compile(r"^\(([^()]*)\)$")
_UNIT_IN_BRACKETS = re.compile(r"\(([a-zμµ%‰℃°/·²³0-9]{1,12})\)")
_LONGEST_HEADER = 30


@dataclass
class HeaderMap:
    """The header row as published, made unique, with the canonical field of each column."""

    headers: list[str]
    fields: list[str | None]
    units: dict[str, str] = field(default_factory=dict)

    @property
    def online(self) -> bool:
        """Whether the sampled-unit column is headed as a web store ("网店名称")."""
        index = self.column_of("sampled_unit_name")
        return index is not None and bool(_ONLINE_UNIT.search(fold(self.headers[index])))

    def column_of(self, name: str) -> int | None:
        """Index of the column mapped to a canonical field, or None when the sheet has none."""
        try:
            return self.fields.index(name)
        except ValueError:
            return None

    def header_of(self, name: str) -> str:
        """The published header of a canonical field, or its Chinese label when absent."""
        index = self.column_of(name)
        return FIELDS[name][0] if index is None else self.headers[index]

    @property
    def mapping(self) -> dict[str, str | None]:
        return dict(zip(self.headers, self.fields, strict=True))

    def missing(self) -> list[str]:
        return [name for name in REQUIRED_FIELDS if name not in self.fields]


def published(text: str) -> str:
    """A header as published, on one line: "标称生产\\n企业名称" reads "标称生产企业名称"."""
    return one_line(normalize(text))


def _by_keywords(folded: str) -> str | None:
    """Fallback for spellings not in the alias table; only for short, header-like text, and a
    party column only when the header itself names the party."""
    if len(folded) > _LONGEST_HEADER or _SAMPLING_BODY.search(folded):
        return None
    if _URL_WORDS.search(folded):
        return "listing_url" if _STORE_WORDS.search(folded) else "source_url"
    owner = (
        "sampled_unit"
        if _SAMPLED_WORDS.search(folded)
        else "producer"
        if _PRODUCER_WORDS.search(folded)
        else None
    )
    if owner and "信用代码" in folded:
        return f"{owner}_uscc"
    if owner and re.search(r"地址|住所|所在地", folded):
        return f"{owner}_address"
    if owner and "名称" in folded and "日期" not in folded:
        return f"{owner}_name"
    if re.search(r"生产日期|批号|批次|加工日期", folded):
        return "lot"
    if "不合格" in folded and "项目" in folded:
        return "failed_items"
    if re.search(r"(检|测)(机构|单位)$", folded):
        return "agency"
    return None


def match_header(text: str, party: str = "producer") -> tuple[str | None, str]:
    """Canonical field for one published header, and a unit named in brackets ("检验结果(mg/kg)").
    `party` is the party the columns on the left describe, for bare "地址" or "信用代码"."""
    folded = _WRAPPED.sub(r"\1", _FOOTNOTE.sub("", fold(text)))
    if not folded:
        return None, ""
    if folded in _BY_ALIAS:
        return _BY_ALIAS[folded], ""
    unit_match = _UNIT_IN_BRACKETS.search(folded)
    unit = unit_match.group(1) if unit_match else ""
    bare = _BRACKETED.sub("", folded)
    if bare in _BY_ALIAS:
        return _BY_ALIAS[bare], unit
    if bare in _PARTY_PART:
        return f"{party}_{_PARTY_PART[bare]}", ""
    return _by_keywords(bare), ""


def map_headers(cells: Sequence[str]) -> HeaderMap:
    """Map a candidate header row. The first column that claims a field wins; a later column
    claiming the same field is kept as unknown (its values go to `extra`, never dropped)."""
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    headers: list[str] = []
    fields: list[str | None] = []
    units: dict[str, str] = {}
    seen: set[str] = set()
    party = "producer"
    for index, cell in enumerate(cells[:width]):
        name = published(cell) or get_column_letter(index + 1)
        unique, suffix = name, 2
        while unique in seen:
            unique, suffix = f"{name} ({suffix})", suffix + 1
        seen.add(unique)
        headers.append(unique)
        canonical, unit = match_header(cell, party) if cell.strip() else (None, "")
        if canonical in fields:
            canonical = None
        fields.append(canonical)
        if canonical in _PARTY_OF:
            party = _PARTY_OF[canonical]
        if canonical and unit:
            units[canonical] = unit
    return HeaderMap(headers, fields, units)


def merge_subheader(parent: Sequence[str], sub: Sequence[str]) -> list[str] | None:
    """Two-row headers: a group header ("不合格项目" merged over three columns) above
    "项目名称 | 检验结果 | 标准值". Returns the combined row, or None when `sub` is not a
    sub-header (every non-empty cell of it must name a field, under an empty or group cell)."""
    width = max(len(parent), len(sub))
    parent = [*parent, *[""] * (width - len(parent))]
    sub = [*sub, *[""] * (width - len(sub))]
    if not any(cell.strip() for cell in sub):
        return None
    combined: list[str] = []
    group = ""
    for above, below in zip(parent, sub, strict=True):
        if above.strip():
            group = fold(above)
        if not below.strip():
            combined.append(above)
            continue
        canonical, _unit = match_header(below)
        under_items = _BY_ALIAS.get(group) == "failed_items"
        if canonical is None and under_items and fold(below) in _ITEM_SUBHEADERS:
            combined.append(FIELDS["failed_items"][0])
            continue
        if canonical is None:
            return None
        above_field = match_header(above)[0] if above.strip() else None
        if above_field not in (None, "failed_items", "measured", "limit", canonical):
            return None
        combined.append(below)
    return combined
