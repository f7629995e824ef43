"""Import benchmark: rows per second and memory importing a large result spreadsheet.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_bench \\
        .venv/bin/python benchmarks/import_bench.py --rows 100000

Writes a CSV of ROWS realistic result rows (GBK-free UTF-8, about a tenth failing with
one or two failed items), migrates the database named in DATABASE_URL, imports the file
once with `run_import(commit=True)` and prints rows/s and the resident memory sampled as the
import goes (flat memory means the samples stay level while the rows grow).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

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


def write_csv(path: Path, rows: int, seed: int = 2019) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(1, rows + 1):
            firm = rng.randrange(rows // 5 + 1)
            district = DISTRICTS[firm % len(DISTRICTS)]
            failed = rng.random() < 0.1
            items = rng.sample(ITEMS, rng.choice((1, 2))) if failed else []
            writer.writerow(
                [
                    n,
                    rng.choice(PRODUCTS),
                    f"上海第{firm}实业有限公司",
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
            )


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from portal.inspections.importing import BatchDetails, run_import

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bench-{args.rows}.csv"
        write_csv(path, args.rows)
        samples: list[tuple[int, float]] = []
        step = max(args.rows // 10, 1)

        def progress(done: int, total: int) -> None:
            if not samples or done - samples[-1][0] >= step:
                samples.append((done, rss_mb()))

        details = BatchDetails(
            notice_number=f"BENCH-{time.time_ns()}",
            title="benchmark",
            authority="benchmark",
            year=2019,
        )
        start_rss = rss_mb()
        started = time.perf_counter()
        with path.open("rb") as handle:
            report = run_import(handle, path.name, details, commit=True, on_progress=progress)
        elapsed = time.perf_counter() - started
    assert report.ok, (report.file_error, report.errors[:3])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rows: {report.rows}  samples: {report.samples}  created: {report.created}  "
        f"enterprises created: {report.enterprises_created}"
    )
    print(f"time: {elapsed:.1f} s  rate: {report.rows / elapsed:,.0f} rows/s")
    print(f"resident memory: start {start_rss:.0f} MB, peak {peak:.0f} MB; during the import:")
    print("  " + ", ".join(f"{done:,} rows {mb:.0f} MB" for done, mb in samples))


if __name__ == "__main__":
    main()
