"""The import of result spreadsheets into the registry, against PostgreSQL."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portal.inspections.importing import BatchDetails, run_import
from portal.inspections.models import (
    FailedItem,
    InspectionAgency,
    ProducerMatch,
    SourceFile,
    SpotCheckBatch,
    SpotCheckResult,
)
from portal.registry.models import Enterprise, Product
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "spreadsheets"
NOTICE = BatchDetails(
    notice_number="沪市监质〔2019〕12号",
    title="2019年上海市儿童用品产品质量监督抽查结果",
    authority="上海市市场监督管理局",
    year=2019,
    published_on=date(2019, 4, 15),
)


def import_file(name: str, *, commit: bool = True, details: BatchDetails = NOTICE):
    with (FIXTURES / name).open("rb") as handle:
        return run_import(handle, name, details, commit=commit)


def table_counts() -> dict[str, int]:
    models = (
        SpotCheckBatch,
        SpotCheckResult,
        FailedItem,
        Enterprise,
        Product,
        InspectionAgency,
        SourceFile,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_a_clean_file_lands_whole():
    report = import_file("import_v1.csv")
    assert report.ok
    assert (report.rows, report.samples, report.created) == (5, 5, 5)
    assert (report.enterprises_created, report.agencies_created) == (3, 2)
    batch = SpotCheckBatch.objects.get()
    assert (batch.version, batch.status, batch.year) == (1, "published", 2019)
    source = batch.source_files.get()
    assert source.version == 1 and len(source.sha256) == 64
    assert source.file.read().decode("utf-8").startswith("序号,产品名称")

    dress = SpotCheckResult.objects.get(sample_name="儿童连衣裙")
    assert dress.outcome == "fail"
    assert [(i.item, i.measured, i.limit, i.is_safety_item) for i in dress.failed_items.all()] == [
        ("纤维含量", "棉65.2%", "棉≥70%", False),
        ("绳带要求", "有绳带", "不允许有绳带", True),
    ]
    assert dress.producer.uscc == "91310115MA1H7U4C0A"
    assert dress.producer_match == ProducerMatch.CREATED
    assert dress.producer.district.code == "minhang"
    assert dress.initial_agency.name == "上海市质量监督检验技术研究院"
    assert dress.retest_agency.name == "国家纺织品质量监督检验中心"
    assert dress.product.manufacturer == dress.producer

    bag = SpotCheckResult.objects.get(sample_name="学生书包")
    assert (bag.outcome, bag.production_date, bag.lot_number) == (
        "pass",
        date(2018, 5, 28),
        "18052803",
    )
    assert bag.lot_raw == "2018.05.2818052803"

    power_bank = SpotCheckResult.objects.get(sample_name="移动电源")
    assert (power_bank.channel, power_bank.listing_url) == (
        "ecommerce",
        "https://xunchong.tmall.com",
    )
    assert power_bank.sampled_unit_address == ""
    assert power_bank.production_date == date(2017, 10, 6)

    kettle = SpotCheckResult.objects.get(sample_name="电热水壶")
    assert kettle.producer_disputed and kettle.producer is None
    assert not Enterprise.objects.filter(name="上海美厨电器有限公司").exists()

    # Both samples of the same firm share one enterprise, found again by credit code.
    assert Enterprise.objects.filter(uscc="91310115MA1H7U4C0A").count() == 1


def test_preview_reports_the_same_and_writes_nothing():
    before = table_counts()
    preview = import_file("import_v1.csv", commit=False)
    assert table_counts() == before
    assert preview.ok
    assert (preview.created, preview.enterprises_created, preview.agencies_created) == (5, 3, 2)
    assert preview.batch_id is None  # the batch would be new
    committed = import_file("import_v1.csv")
    assert (committed.created, committed.enterprises_created) == (preview.created, 3)


def test_the_same_file_twice_creates_nothing_new():
    import_file("import_v1.csv")
    before = table_counts()
    again = import_file("import_v1.csv")
    assert again.duplicate_of.startswith("沪市监质〔2019〕12号 v1")
    assert not again.ok
    assert table_counts() == before


def test_a_corrected_file_updates_the_batch_and_keeps_the_earlier_version():
    import_file("import_v1.csv")
    first_dress = SpotCheckResult.objects.get(sample_name="儿童连衣裙")
    report = import_file("import_v2.csv")
    assert report.ok
    assert (report.created, report.updated, report.unchanged, report.removed) == (1, 1, 3, 1)
    batch = SpotCheckBatch.objects.get()
    assert (batch.version, batch.status) == (2, "corrected")
    assert list(batch.source_files.values_list("version", flat=True)) == [2, 1]

    dress = SpotCheckResult.objects.get(pk=first_dress.pk)
    assert dress.version == 2
    assert dress.failed_items.first().measured == "棉64.8%"
    revision = dress.revisions.get()
    assert revision.version == 1
    assert revision.data["failed_items"][0]["measured"] == "棉65.2%"

    removed = SpotCheckResult.objects.get(sample_name="移动电源")
    assert removed.removed_in_version == 2
    assert removed.revisions.get().version == 1
    assert SpotCheckResult.current.filter(batch=batch).count() == 5
    cable = SpotCheckResult.objects.get(sample_name="电线电缆")
    assert (cable.version, cable.production_date, cable.lot_raw) == (2, None, "2019年3月")


def test_errors_are_listed_by_row_and_column_and_nothing_is_written():
    before = table_counts()
    report = import_file("import_bad.csv")
    assert not report.ok
    assert table_counts() == before
    assert [(e["row"], e["column"], e["code"]) for e in report.errors] == [
        (3, "标称生产企业统一社会信用代码", "invalid_uscc"),
        (4, "产品名称", "formula"),
    ]
    assert report.errors[0]["value"] == "91310115MA1H7U4C0B"
    assert "校验位" in report.errors[0]["reason_zh"]
    assert "check character" in report.errors[0]["reason_en"]


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("notice.pdf", "not_a_spreadsheet"),
        ("missing_column.csv", "missing_column"),
        ("mixed_encoding.csv", "encoding"),
        ("empty.csv", "empty"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_reason(fixture, code):
    before = table_counts()
    report = import_file(fixture)
    assert report.file_error["code"] == code
    assert report.file_error["reason_zh"] and report.file_error["reason_en"]
    assert table_counts() == before


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 100
    report = import_file("import_v1.csv")
    assert report.file_error["code"] == "too_large"
    assert table_counts()["SpotCheckResult"] == 0


def test_traditional_headers_match_existing_enterprises_and_keep_repeated_samples_apart():
    existing = EnterpriseFactory(name="上海童乐服饰有限公司", uscc=None)
    twin_a = EnterpriseFactory(name="上海(双星)服装有限公司", uscc=None)
    twin_b = EnterpriseFactory(name="上海双星服装有限公司".replace("双星", "(双星)"), uscc=None)
    report = import_file("import_traditional.csv")
    assert report.ok
    assert report.enterprises_created == 0
    # Rows 2 and 4 name the same sample, but not adjacent: two results, nothing merged out of
    # sight, and a warning for the editor.
    assert (report.samples, report.created) == (3, 3)
    assert [(w["row"], w["code"]) for w in report.warnings] == [(4, "listed_again")]
    dresses = SpotCheckResult.objects.filter(sample_name="兒童連衣裙").order_by("pk")
    assert [d.row_numbers for d in dresses] == [[2], [4]]
    assert [[i.item for i in d.failed_items.all()] for d in dresses] == [["纖維含量"], ["繩帶要求"]]
    assert {(d.producer, d.producer_match) for d in dresses} == {(existing, ProducerMatch.NAME)}
    # Two enterprises fold to the same name: listed for the editor, never merged.
    coat = SpotCheckResult.objects.get(sample_name="兒童外套")
    assert coat.producer is None and coat.producer_match == ProducerMatch.AMBIGUOUS
    assert sorted(coat.producer_candidates) == sorted([twin_a.pk, twin_b.pk])
    assert report.ambiguous == [
        {
            "rows": [3],
            "name": "上海（雙星）服裝有限公司",
            "candidates": sorted([twin_a.pk, twin_b.pk]),
        }
    ]


def test_command_dry_run_and_import(capsys):
    path = str(FIXTURES / "import_v1.csv")
    call_command(
        "import_spotchecks", path, "--notice", "沪市监质〔2019〕12号", "--dry-run", verbosity=0
    )
    assert "5 would be created" in capsys.readouterr().out
    assert SpotCheckResult.objects.count() == 0
    call_command(
        "import_spotchecks", path, "--notice", "沪市监质〔2019〕12号", "--year", "2019", verbosity=0
    )
    out = capsys.readouterr().out
    assert "5 were created" in out and "Imported as version 1." in out
    assert SpotCheckBatch.objects.get().title == "import_v1"


def test_command_reports_errors_and_fails():
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "import_spotchecks", str(FIXTURES / "import_bad.csv"), "--notice", "X1", verbosity=0
        )
    assert SpotCheckResult.objects.count() == 0


@pytest.mark.parametrize(
    ("fixture", "code"),
    [
        ("duplicate_rows.csv", "duplicate_row"),
        ("invalid_uscc.csv", "invalid_uscc"),
        ("formulas.xlsx", "formula"),
    ],
)
def test_row_errors_from_published_files_write_nothing(fixture, code):
    before = table_counts()
    report = import_file(fixture)
    assert code in {error["code"] for error in report.errors}
    assert all(
        error["row"] and error["reason_zh"] and error["reason_en"] for error in report.errors
    )
    assert table_counts() == before
