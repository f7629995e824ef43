"""Issue 15, items 4 and 6 against PostgreSQL: what a sloppy real sheet stores, what is refused
whole, what a re-import of the same content does, and the fidelity report an editor reads."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from portal.inspections.importing import BatchDetails, run_import
from portal.inspections.models import (
    FailedItem,
    ImportJob,
    InspectionAgency,
    SpotCheckBatch,
    SpotCheckResult,
)
from portal.registry.models import Enterprise
from tests.conftest import verified_login
from tests.factories import UserFactory
from tests.inspections.real_sheets import INSTITUTE, NOTICE_A, NOTICE_B, row, xlsx

pytestmark = pytest.mark.django_db

NOTICE = BatchDetails(
    notice_number="市场监管总局公告2019年第31号",
    title="2019年国家监督抽查产品质量不合格及企业名单",
    authority="国家市场监督管理总局",
    year=2019,
    level="national",
    published_on=date(2019, 7, 12),
)
KETTLE = {
    "产品名称": "电热水壶",
    "标称生产企业名称": "浙江某某电器有限公司",
    "受检单位名称": "杭州某某商贸有限公司",
    "规格型号": "SWF-17E",
}


def national_sheet() -> list[list[object]]:
    """Four samples over six rows, with two empty export rows between them."""
    return [
        row(
            序号=1,
            **KETTLE,
            **{"生产日期/批号": "2019/3/2"},
            出厂编号="A001",
            不合格项目="泄漏电流",
            检验结果="0.9 mA",
            标准值="≤0.75",
            检验机构=INSTITUTE,
            抽查结果="不合格",
            公告链接=NOTICE_A,
        ),
        row(序号=2, 检验机构="/", 公告链接=NOTICE_A),
        row(序号=3, 检验机构="/", 公告链接=NOTICE_A),
        row(
            序号=4,
            **KETTLE,
            **{"生产日期/批号": "2019/3/2"},
            出厂编号="A002",
            不合格项目="泄漏电流、电气强度、接地措施",
            检验结果="0.9mA；击穿",
            标准值="≤0.75mA；不击穿",
            检验机构=INSTITUTE,
            抽查结果="不合格",
            公告链接=NOTICE_A,
        ),
        row(
            序号=5,
            产品名称="铅笔",
            标称生产企业名称="上海某某文具有限公司",
            受检单位名称="上海某某文化用品商店",
            不合格项目="铅笔芯直径",
            检验结果="2.3mm",
            标准值="2.0±0.1mm",
            检验机构=INSTITUTE,
            抽查结果="不合格",
            公告链接=NOTICE_B,
        ),
        row(
            序号=6,
            产品名称="儿童玩具",
            标称生产企业名称="生产商：汕头某某玩具厂；经销商：广州某某贸易有限公司",
            受检单位名称="上海某某母婴用品店",
            **{"生产日期/批号": "2020-01-05"},
            不合格项目="可迁移元素铅",
            检验结果="120",
            标准值="≤90 mg/kg",
            检验机构=INSTITUTE,
            抽查结果="不合格",
            备注="经核查，标称生产企业否认生产该批次产品",
            公告链接=NOTICE_B,
        ),
    ]


def run(data: bytes, name: str = "2019年国抽结果.xlsx", *, commit: bool = True):
    return run_import(io.BytesIO(data), name, NOTICE, commit=commit)


def test_a_sloppy_national_sheet_lands_with_every_value_and_a_fidelity_report():
    report = run(xlsx(national_sheet()))
    assert report.ok, report.errors
    assert (report.rows, report.samples, report.landed) == (6, 4, 4)
    assert report.skipped == {"empty": 2}
    assert report.skipped_rows == [[4, "empty", f"2 | {NOTICE_A}"], [5, "empty", f"3 | {NOTICE_A}"]]
    assert [w["code"] for w in report.warnings] == ["date_after_year"]

    first, second = SpotCheckResult.objects.filter(sample_name="电热水壶").order_by("serial_number")
    assert (first.serial_number, second.serial_number) == ("A001", "A002")
    assert (first.source_url, first.listing_url, first.channel) == (NOTICE_A, "", "")
    (leak,) = first.failed_items.all()
    assert (leak.measured_with_unit, leak.limit_with_unit) == ("0.9 mA", "≤0.75 mA")
    assert second.failed_items.count() == 3
    assert (second.measured_text, second.limit_text) == ("0.9mA；击穿", "≤0.75mA；不击穿")

    pencil = SpotCheckResult.objects.get(sample_name="铅笔")
    assert pencil.failed_items.get().is_safety_item is False
    toy = SpotCheckResult.objects.get(sample_name="儿童玩具")
    assert toy.failed_items.get().is_safety_item is True
    assert (toy.producer_name, toy.producer_disputed, toy.producer) == (
        "汕头某某玩具厂",
        True,
        None,
    )
    assert toy.extra["经销商"] == "广州某某贸易有限公司"
    assert not Enterprise.objects.filter(name__contains="经销商").exists()
    assert toy.failed_items.get().limit_with_unit == "≤90 mg/kg"


def test_the_same_content_in_another_format_and_encoding_changes_nothing():
    first = run(xlsx(national_sheet()))
    batch = SpotCheckBatch.objects.get()
    assert (first.ok, batch.version, batch.status) == (True, 1, "published")
    before = list(SpotCheckResult.objects.values_list("pk", "version", "sample_key"))

    sheet = load_workbook(io.BytesIO(xlsx(national_sheet()))).active
    text = io.StringIO()
    csv.writer(text).writerows(
        [["" if v is None else v for v in values] for values in sheet.iter_rows(values_only=True)]
    )
    for encoding in ("gb18030", "utf-8-sig"):
        again = run(text.getvalue().encode(encoding), f"结果-{encoding}.csv")
        assert again.same_content and again.duplicate_of and not again.ok
        assert again.version == 1
    batch.refresh_from_db()
    assert (batch.version, batch.status, batch.source_files.count()) == (1, "published", 1)
    assert list(SpotCheckResult.objects.values_list("pk", "version", "sample_key")) == before

    changed = national_sheet()
    changed[0][8] = "1.1 mA"
    corrected = run(xlsx(changed), "更正.xlsx")
    assert (corrected.ok, corrected.updated, corrected.version) == (True, 1, 2)


@pytest.mark.parametrize(
    ("column", "value", "limit"),
    [
        ("检验机构", "国家" + "日用" * 100 + "质量监督检验中心", 200),
        ("不合格项目", "标志" * 101, 200),
        ("检验结果", "0." + "1" * 199 + "mg", 200),
        ("生产日期/批号", "2019/3/2 批号：" + "A" * 150, 100),
    ],
)
def test_over_long_values_are_errors_everywhere_and_nothing_is_written(column, value, limit):
    cells = {**KETTLE, "序号": 1, "抽查结果": "不合格", "不合格项目": "泄漏电流", column: value}
    rows = [row(**cells)]
    report = run(xlsx(rows))
    assert not report.ok
    assert [(e["code"], e["column"], e["reason_en"]) for e in report.errors] == [
        ("too_long", column, f"longer than {limit} characters")
    ]
    assert SpotCheckResult.objects.count() == FailedItem.objects.count() == 0
    assert InspectionAgency.objects.count() == SpotCheckBatch.objects.count() == 0


def test_fidelity_report_in_the_job_page_and_as_csv(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_importjob"])
    )
    verified_login(client, user)
    rows = national_sheet() + [row(序号=n, 公告链接=NOTICE_B) for n in range(7, 161)]
    data = {
        "notice_number": NOTICE.notice_number,
        "title": NOTICE.title,
        "authority": NOTICE.authority,
        "year": "2019",
        "level": "national",
        "published_on": "2019-07-12",
        "file": SimpleUploadedFile("2019年国抽结果.xlsx", xlsx(rows)),
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inspections_import_upload"), data)
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.PREVIEWED

    page = client.get(reverse("inspections_import_detail", args=[job.pk])).content.decode()
    assert "156 empty rows skipped" in page or "跳过 156 个空行" in page, page
    csv_url = reverse("inspections_import_report_csv", args=[job.pk])
    assert csv_url in page

    response = client.get(csv_url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    summary = {line[2]: line[3] for line in lines if line[0] == "summary"}
    assert summary["读取行数 rows read"] == "160"
    assert summary["样品数 samples"] == summary["导入结果数 results landed"] == "4"
    assert summary["跳过行数 rows skipped"] == "156"
    assert [
        "skipped_total",
        "",
        "",
        "156",
        "空行（没有样品数据）",
        "empty row (no sample data)",
    ] in lines
    assert sum(line[0] == "skipped" for line in lines) == 156
    assert ["warning", "8", "生产日期/批号", "2020-01-05"] in [line[:4] for line in lines]
    assert SpotCheckResult.objects.count() == 0  # a preview writes nothing


def test_the_csv_is_refused_to_other_importers_and_before_a_report_exists(client):
    owner, other = UserFactory(), UserFactory()
    job = ImportJob.objects.create(original_name="x.xlsx", batch_details={}, created_by=owner)
    verified_login(client, other)
    assert client.get(reverse("inspections_import_report_csv", args=[job.pk])).status_code in (
        302,
        403,
    )
    owner.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_importjob"])
    )
    verified_login(client, owner)
    assert client.get(reverse("inspections_import_report_csv", args=[job.pk])).status_code == 404


def test_the_command_reports_skipped_rows_and_same_content(tmp_path, capsys):
    path = tmp_path / "2019年国抽结果.xlsx"
    path.write_bytes(xlsx(national_sheet()))
    notice = ["--notice", NOTICE.notice_number, "--authority", NOTICE.authority, "--year", "2019"]
    call_command("import_spotchecks", str(path), *notice, verbosity=0)
    assert "2 rows skipped: 2 empty row (no sample data)." in capsys.readouterr().out
    again = tmp_path / "结果.csv"
    sheet = load_workbook(path).active
    with again.open("w", encoding="gb18030", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["" if v is None else v for v in values]
                for values in sheet.iter_rows(values_only=True)
            ]
        )
    call_command("import_spotchecks", str(again), *notice, verbosity=0)
    assert "Same content as" in capsys.readouterr().out
    assert SpotCheckBatch.objects.get().version == 1
