"""Write the spot-check fixtures of the legacy and document formats, byte for byte.

    .venv/bin/python scripts/make_import_fixtures.py [output-dir]

One published table (a title above it, a sample over two rows with merged cells, cells with
line breaks, long names that wrap) is written as CSV, .xls (xlwt), .docx (python-docx) and PDF
(reportlab, WenQuanYi Micro Hei: `apt-get install fonts-wqy-microhei`, which `make test`
installs), so a test can check that every format imports to the same results. Beside them:
a scanned PDF (an image, no text), a .xls carrying a VBA project and a .docx with a table in a
cell. The writers are reused by benchmarks/import_bench.py.
"""

from __future__ import annotations

import csv
import io
import random
import struct
import sys
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "spreadsheets" / "formats"
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FIXED_TIME = (2020, 1, 1, 0, 0, 0)

TITLE = "2019年上海市儿童用品及电器产品质量监督抽查结果（第一批）"
HEADER = [
    "序号",
    "产品名称",
    "标称生产企业名称",
    "标称生产企业地址",
    "受检单位名称",
    "规格型号",
    "商标",
    "生产日期/批号",
    "不合格项目",
    "检验结果",
    "标准值",
    "承检机构",
    "备注",
]
AGENCY = "上海市质量监督检验技术研究院"
# (row cells; how many rows its identity cells span — 2 for a sample with two failed items)
_PUBLISHED: list[list[str]] = [
    [
        "1",
        "儿童连衣裙",
        "上海某某服饰有限公司",
        "上海市松江区某某路1号",
        "上海某某百货有限公司",
        "110cm",
        "小兔",
        "2019/1/25",
        "纤维含量",
        "35%",
        "≥50%",
        AGENCY,
        "",
    ],
    [
        "2",
        "电动自行车",
        "天津市某某（集团）车业有限公司",
        "天津市静海区某某工业园区大丰堆镇某某路8号",
        "上海某某车行",
        "TDT1234Z",
        "某某",
        "2019年3月",
        "1.整车质量\n2.最高车速",
        "1.58.2kg\n2.28.6km/h",
        "1.≤55kg\n2.≤25km/h",
        "国家电动自行车产品质量监督检验中心（天津）",
        "",
    ],
    [
        "3",
        "移动电源",
        "深圳市某某科技有限公司",
        "深圳市宝安区西乡街道某某大厦",
        "某某数码专营店",
        "PB-10000",
        "Power Bank",
        "2018.12.0612",
        "过充电保护",
        "不符合",
        "应符合",
        AGENCY,
        "标称生产企业表示该批次产品非其生产",
    ],
    [
        "4",
        "学生书包",
        "浙江某某箱包有限公司",
        "浙江省平湖市某某路8号",
        "上海某某文具店",
        "大号",
        "/",
        "2019-02-14",
        "",
        "",
        "",
        AGENCY,
        "",
    ],
]
# A sample over two rows: the second row carries only its second failed item (merged cells).
_TWO_ROWS = (
    [
        "5",
        "儿童外套",
        "广州某某服饰（集团）有限公司",
        "广州市白云区某某路18号",
        "上海某某商厦",
        "130/64",
        "童趣",
        "2019/1/25",
        "纤维含量",
        "40%",
        "≥60%",
        AGENCY,
        "",
    ],
    ["", "", "", "", "", "", "", "", "绳带要求", "不符合", "应符合", "", ""],
)
_PRODUCTS = ["儿童套装", "电热水壶", "学生台灯", "婴儿连体衣", "电线电缆", "儿童运动鞋", "电吹风"]
_CITIES = ["上海市嘉定区", "江苏省苏州市吴中区", "浙江省湖州市织里镇", "广东省佛山市顺德区"]


def table_rows() -> tuple[list[list[str]], int]:
    """The data rows, and the index of the first of the two rows that share merged cells."""
    rng = random.Random(2019)  # noqa: S311 - repeatable fixture data
    rows = [list(row) for row in _PUBLISHED]
    merged_at = len(rows)
    rows += [list(row) for row in _TWO_ROWS]
    for n in range(6, 41):
        city = rng.choice(_CITIES)
        product = rng.choice(_PRODUCTS)
        rows.append(
            [
                str(n),
                product,
                f"{city[:3]}某某{n}号实业有限公司",
                f"{city}工业路{n}号",
                f"上海第{n}百货商店",
                f"型号{n}",
                f"品牌{n % 7}",
                f"2019/{n % 12 + 1}/{n % 27 + 1}",
                "",
                "",
                "",
                AGENCY,
                "",
            ]
        )
    return rows, merged_at


def write_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xls_workbook(rows: list[list[str]], merged_at: int | None):
    """A .xls as an authority's office suite writes it: a merged title, numbers as numbers,
    one production date as a date cell, and a sample's identity cells merged over two rows."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("抽查结果")
    sheet.write_merge(0, 0, 0, len(HEADER) - 1, TITLE)
    for column, text in enumerate(HEADER):
        sheet.write(1, column, text)
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for index, row in enumerate(rows):
        r = index + 2
        if merged_at is not None and index == merged_at + 1:
            for column in (8, 9, 10):
                sheet.write(r, column, row[column])
            continue
        for column, text in enumerate(row):
            span = merged_at is not None and index == merged_at and column not in (8, 9, 10)
            if column == 0 and text.isdigit():
                value: object = int(text)
            elif text == "2019-02-14":
                value = date(2019, 2, 14)
            else:
                value = text
            style = dates if isinstance(value, date) else xlwt.Style.default_style
            if span:
                sheet.write_merge(r, r + 1, column, column, value, style)
            else:
                sheet.write(r, column, value, style)
    return book


def write_xls(rows: list[list[str]], merged_at: int | None) -> bytes:
    out = io.BytesIO()
    xls_workbook(rows, merged_at).save(out)
    return out.getvalue()


def _stable_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _fill_cell(cell, text: str) -> None:
    """A cell's lines as paragraphs, as Word users type them (Enter between items)."""
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def write_docx(rows: list[list[str]], merged_at: int | None, nested: bool = False) -> bytes:
    """A notice as Word: title and text paragraphs, then the table, merged cells merged."""
    from docx import Document

    document = Document()
    document.core_properties.author = "anxin fixtures"
    document.add_heading(TITLE, level=1)
    document.add_paragraph("抽查依据：GB 31701-2015《婴幼儿及儿童纺织产品安全技术规范》等。")
    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    table.style = "Table Grid"
    for column, text in enumerate(HEADER):
        table.cell(0, column).text = text
    for index, row in enumerate(rows):
        for column, text in enumerate(row):
            if text:
                _fill_cell(table.cell(index + 1, column), text)
    if merged_at is not None:
        for column in range(len(HEADER)):
            if column not in (8, 9, 10):
                top = table.cell(merged_at + 1, column)
                top.merge(table.cell(merged_at + 2, column))
    if nested:
        inner = table.cell(2, 8).add_table(rows=2, cols=2)
        for r, texts in enumerate((["项目", "结果"], ["整车质量", "58.2kg"])):
            for c, text in enumerate(texts):
                inner.cell(r, c).text = text
    document.add_paragraph("注：以上结果仅对所检样品负责。")
    out = io.BytesIO()
    document.save(out)
    return _stable_zip(out.getvalue())


def cjk_font() -> str:
    """WenQuanYi Micro Hei registered with reportlab (its name)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        if not CJK_FONT.exists():
            sys.exit(f"{CJK_FONT} is missing: apt-get install fonts-wqy-microhei")
        pdfmetrics.registerFont(TTFont("WQY", str(CJK_FONT), subfontIndex=0))
    return "WQY"


def write_pdf(rows: list[list[str]], merged_at: int | None, header: list[str] = HEADER) -> bytes:
    """The table as a notice prints it: a title paragraph, a ruled table over several pages with
    the header repeated, long names wrapped, items on separate lines."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    font = cjk_font()
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9)
    title_style = ParagraphStyle("title", fontName=font, fontSize=14, leading=18, alignment=1)
    widths = [10, 20, 30, 34, 26, 18, 16, 19, 22, 20, 20, 30, 20]
    if len(header) != len(widths):
        widths = [10] + [271 / (len(header) - 1)] * (len(header) - 1)

    def cell(text: str):
        return Paragraph(escape(text).replace("\n", "<br/>"), cell_style)

    data = [[cell(text) for text in header]] + [[cell(text) for text in row] for row in rows]
    table = LongTable(data, colWidths=[w * mm for w in widths], repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONT", (0, 0), (-1, -1), font, 7),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if merged_at is not None:
        first = merged_at + 1
        style += [
            ("SPAN", (c, first), (c, first + 1)) for c in range(len(header)) if c not in (8, 9, 10)
        ]
    table.setStyle(TableStyle(style))
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=8 * mm,
        rightMargin=8 * mm,
        topMargin=10 * mm,
        bottomMargin=10 * mm,
        invariant=1,
        title=TITLE,
        author="anxin fixtures",
    )
    document.build([Paragraph(TITLE, title_style), Spacer(1, 4 * mm), table])
    return out.getvalue()


def write_scanned_pdf() -> bytes:
    """A scanned notice: the page is a picture of a table, with no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    image = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(image)
    for y in range(20, 300, 40):
        draw.line((20, y, 580, y), fill=0)
    for x in range(20, 600, 80):
        draw.line((x, 20, x, 260), fill=0)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=landscape(A4), invariant=1)
    canvas.drawImage(ImageReader(image), 40, 200, width=600, height=300)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _ole(streams: list[tuple[str, bytes, str | None]]) -> bytes:
    """A minimal OLE compound file (version 3): root-level streams and storages, each stream
    at least 4,096 bytes so that it lives in regular sectors. `streams` lists
    (name, data, parent storage name or None); a storage is an entry with data None."""
    sector = 512
    end, free, fat_mark = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    body, fat, starts = b"", [], {}
    for name, data, _parent in streams:
        if data is None:
            continue
        data = data + bytes(-len(data) % sector)
        first = len(fat)
        count = len(data) // sector
        fat += [first + i + 1 for i in range(count - 1)] + [end]
        starts[name] = first
        body += data
    entries = [("Root Entry", 5, None)] + [(n, 1 if d is None else 2, p) for n, d, p in streams]
    sizes = {name: len(data) for name, data, _ in streams if data is not None}
    children: dict[str | None, list[int]] = {}
    for index, (_name, _kind, parent) in enumerate(entries[1:], start=1):
        children.setdefault(parent, []).append(index)

    def links(index: int) -> tuple[int, int, int]:
        """Left, right sibling and first child: siblings as a chain to the right."""
        name, kind, parent = entries[index]
        kids = children.get(None if index == 0 else name, []) if kind != 2 else []
        siblings = children.get(parent, []) if index else [0]
        position = siblings.index(index) + 1
        right = siblings[position] if position < len(siblings) else free
        return free, right, kids[0] if kids else free

    directory = b""
    for index, (name, kind, _parent) in enumerate(entries):
        encoded = (name + "\0").encode("utf-16-le")
        left, right, child = links(index)
        start = starts.get(name, end)
        directory += (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, left, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, sizes.get(name, 0))
        )
    directory += bytes(-len(directory) % sector)
    dir_start = len(fat)
    dir_count = len(directory) // sector
    fat += [dir_start + i + 1 for i in range(dir_count - 1)] + [end]
    fat_start = len(fat)
    fat.append(fat_mark)
    fat += [free] * (sector // 4 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, dir_start, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", fat_start)
        + struct.pack("<108I", *[free] * 108)
    )
    return header + body + directory + struct.pack(f"<{sector // 4}I", *fat)


def write_macro_xls(rows: list[list[str]]) -> bytes:
    """The same workbook stream as write_xls, in a file that also carries a VBA project."""
    workbook = xls_workbook(rows, None).get_biff_data()
    vba = b'Attribute VB_Name = "ThisWorkbook"\r\nSub Workbook_Open()\r\nEnd Sub\r\n'
    return _ole(
        [
            ("Workbook", workbook + bytes(max(0, 4096 - len(workbook))), None),
            ("_VBA_PROJECT_CUR", None, None),
            ("VBA", vba.ljust(4096, b"\0"), "_VBA_PROJECT_CUR"),
        ]
    )


def fixtures() -> dict[str, bytes]:
    rows, merged_at = table_rows()
    return {
        "published.csv": write_csv(rows),
        "published.xls": write_xls(rows, merged_at),
        "published.docx": write_docx(rows, merged_at),
        "published.pdf": write_pdf(rows, merged_at),
        "scanned.pdf": write_scanned_pdf(),
        "macros.xls": write_macro_xls(rows),
        "nested_table.docx": write_docx(rows, merged_at, nested=True),
    }


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in fixtures().items():
        (directory / name).write_bytes(data)
        written.append(directory / name)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
