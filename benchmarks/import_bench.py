"""Import benchmark: rows per second and memory importing a large result table, per format.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_bench \\
        .venv/bin/python benchmarks/import_bench.py --rows 100000 --pdf-rows 10000 \\
        --formats csv,xlsx,xls,docx,pdf

Writes ROWS realistic result rows (about a tenth failing with one or two failed items) as each
format (a .xls holds at most 65,535 data rows; a PDF is a ruled table over many pages with
the header repeated), migrates the database named in DATABASE_URL, and imports each file once
with `run_import(commit=True)` in a process of its own, so that the peak resident memory
printed is that import's. The resident memory is also sampled as the import goes (flat memory
means the samples stay level while the rows grow).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.benchmark")

HEADER = [
    "序号",
    "产品名称",
    "标称生产企业名称",
    "标称生产企业地址",
    "受检单位名称",
    "受检单位地址",
    "规格型号",
    "商标",
    "生产日期/批号",
    "不合格项目",
    "检验结果",
    "标准值",
    "承检机构",
    "备注",
]
PRODUCTS = [
    "儿童连衣裙",
    "学生书包",
    "电动自行车",
    "移动电源",
    "一次性塑料餐盒",
    "电线电缆",
    "电热水器",
]
ITEMS = ["纤维含量", "绳带要求", "pH值", "脱色性", "过充电保护", "总迁移量", "导体电阻"]
DISTRICTS = ["闵行区", "松江区", "嘉定区", "浦东新区", "青浦区", "奉贤区", "宝山区"]


XLS_MAX_ROWS = 65_535  # BIFF8: 65,536 rows a sheet, one of them the header


def bench_rows(rows: int, firms_from: int = 0, seed: int = 2019):
    """ROWS result rows as published; each format's file names its own producers (from
    `firms_from`), so that every import creates its enterprises as the first one did."""
    rng = random.Random(seed)
    for n in range(1, rows + 1):
        firm = rng.randrange(rows // 5 + 1)
        district = DISTRICTS[firm % len(DISTRICTS)]
        failed = rng.random() < 0.1
        items = rng.sample(ITEMS, rng.choice((1, 2))) if failed else []
        yield [
            str(n),
            rng.choice(PRODUCTS),
            f"上海第{firms_from + firm}实业有限公司",
            f"上海市{district}工业路{firm}号",
            f"上海第{n % 997}商贸有限公司",
            f"上海市{district}商业街{n % 997}号",
            f"型号{n}",
            f"品牌{firm % 300}",
            f"2019/{rng.randint(1, 12)}/{rng.randint(1, 28)}",
            "；".join(f"{i + 1}.{item}" for i, item in enumerate(items)) or "/",
            "/",
            "/",
            "上海市质量监督检验技术研究院",
            "",
        ]


def write_csv(path: Path, rows: int, firms_from: int = 0) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(bench_rows(rows, firms_from))


def write_xlsx(path: Path, rows: int, firms_from: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("抽查结果")
    sheet.append(HEADER)
    for row in bench_rows(rows, firms_from):
        sheet.append(row)
    book.save(path)


def _fixture_writers():
    """scripts/make_import_fixtures.py: the .xls and PDF writers of the test fixtures."""
    spec = importlib.util.spec_from_file_location(
        "make_import_fixtures", ROOT / "scripts" / "make_import_fixtures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_xls(path: Path, rows: int, firms_from: int) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("抽查结果")
    for r, row in enumerate([HEADER, *bench_rows(min(rows, XLS_MAX_ROWS), firms_from)]):
        for c, text in enumerate(row):
            sheet.write(r, c, text)
    book.save(str(path))


_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    ),
}


def _docx_row(cells: list[str]) -> str:
    def cell(text: str) -> str:
        paragraphs = "".join(
            f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
            for line in text.split("\n")
        )
        return f"<w:tc>{paragraphs}</w:tc>"

    return "<w:tr>" + "".join(cell(text) for text in cells) + "</w:tr>"


def write_docx(path: Path, rows: int, firms_from: int) -> None:
    """A notice in Word: a title paragraph and one table, written part by part (python-docx
    would hold 1.4 million cells as objects)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _DOCX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}">'
                "<w:body><w:p><w:r><w:t>2019年上海市产品质量监督抽查结果</w:t></w:r></w:p>"
                "<w:tbl>".encode()
            )
            part.write(_docx_row(HEADER).encode())
            for row in bench_rows(rows, firms_from):
                part.write(_docx_row(row).encode())
            part.write(b"</w:tbl><w:sectPr/></w:body></w:document>")


def write_pdf(path: Path, rows: int, firms_from: int) -> None:
    path.write_bytes(
        _fixture_writers().write_pdf(list(bench_rows(rows, firms_from)), None, header=HEADER)
    )


WRITERS = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "xls": write_xls,
    "docx": write_docx,
    "pdf": write_pdf,
}


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def import_one(path: Path) -> None:
    """Import one file (in a process of its own) and print its figures."""
    import django

    # As in production: what the commit queues (subscription delivery) goes to Redis for a
    # worker, instead of running inside the import being timed, as the test settings' eager mode.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    django.setup()
    from portal.inspections.importing import BatchDetails, run_import

    samples: list[tuple[int, float]] = []

    def progress(done: int, total: int) -> None:
        if not samples or done - samples[-1][0] >= max(total // 10, 1000):
            samples.append((done, rss_mb()))

    details = BatchDetails(
        notice_number=f"BENCH-{time.time_ns()}", title="benchmark", authority="benchmark", year=2019
    )
    start_rss = rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    with path.open("rb") as handle:
        report = run_import(handle, path.name, details, commit=True, on_progress=progress)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert report.ok, (report.file_error, report.errors[:3])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = path.stat().st_size / 2**20
    print(
        f"{path.suffix[1:]}: {report.rows:,} rows ({size:.1f} MB), {report.samples:,} samples, "
        f"{report.created:,} created, {report.enterprises_created:,} enterprises created"
    )
    print(
        f"  time {elapsed:.1f} s  rate {report.rows / elapsed:,.0f} rows/s  (this process's CPU: "
        f"{cpu:.1f} s, {report.rows / cpu:,.0f} rows per CPU-second; load {os.getloadavg()[0]:.1f})"
    )
    print(f"  resident memory: start {start_rss:.0f} MB, peak {peak:.0f} MB; during the import:")
    print("    " + ", ".join(f"{done:,} rows {mb:.0f} MB" for done, mb in samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pdf-rows", type=int, default=10_000)
    parser.add_argument("--formats", default="csv,xlsx,xls,docx,pdf")
    parser.add_argument(
        "--write", nargs=4, metavar=("FORMAT", "ROWS", "PATH", "FIRMS_FROM"), help="internal"
    )
    parser.add_argument("--import-file", type=Path, help="internal")
    args = parser.parse_args()
    if args.write:
        format_, rows, path, firms_from = args.write
        WRITERS[format_](Path(path), int(rows), int(firms_from))
        return
    if args.import_file:
        import_one(args.import_file)
        return

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("show fsync")
        print(f"PostgreSQL fsync: {cursor.fetchone()[0]}")
    me = [sys.executable, __file__]
    run = time.time_ns() // 10**9 % 10**4  # each run and format names producers of its own
    with tempfile.TemporaryDirectory() as tmp:
        for format_ in args.formats.split(","):
            rows = args.pdf_rows if format_ == "pdf" else args.rows
            path = Path(tmp) / f"bench-{rows}.{format_}"
            started = time.perf_counter()
            firms_from = (run * 10 + list(WRITERS).index(format_)) * 10**6
            subprocess.run(
                [*me, "--write", format_, str(rows), str(path), str(firms_from)], check=True
            )
            print(f"[{format_}: written in {time.perf_counter() - started:.0f} s]")
            subprocess.run([*me, "--import-file", str(path)], check=True)
            path.unlink()


if __name__ == "__main__":
    main()
