"""Bulk exports: complete, published-only, formula-safe files with a manifest that verifies them,
published atomically, served with their checksum as ETag, described by the data dictionary."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from portal.grading.models import Submission
from portal.inspections.models import Outcome, SpotCheckBatch
from portal.opendata import exports, tasks
from portal.opendata.datasets import DATASETS, Dataset
from tests.factories import SpotCheckBatchFactory, SpotCheckResultFactory, SubmissionFactory

FORMULA = '=HYPERLINK("http://evil.example/","点此领奖")'

pytestmark = pytest.mark.django_db


@pytest.fixture
def export_root(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    return settings.OPEN_DATA_ROOT


@pytest.fixture
def published_and_draft_results():
    """Two results of a published notice (one failed, one with a formula for a name) and one
    of a draft notice, which no export may contain."""
    published = SpotCheckBatchFactory()
    failed = SpotCheckResultFactory(batch=published, sample_name="儿童连衣裙", outcome=Outcome.FAIL)
    formula = SpotCheckResultFactory(batch=published, sample_name=FORMULA)
    draft = SpotCheckResultFactory(
        batch=SpotCheckBatchFactory(status=SpotCheckBatch.Status.DRAFT), sample_name="未发布的样品"
    )
    return {"failed": failed, "formula": formula, "draft": draft}


def files_of(manifest: dict, name: str) -> dict[str, dict]:
    entry = next(entry for entry in manifest["datasets"] if entry["name"] == name)
    return {file["format"]: file for file in entry["files"]}


def read_bytes(manifest: dict, file: dict) -> bytes:
    return exports.file_path(manifest, file["path"]).read_bytes()


def test_every_dataset_is_exported_as_csv_with_bom_and_json_lines(
    export_root, published_and_draft_results
):
    manifest = exports.export_all()

    assert [entry["name"] for entry in manifest["datasets"]] == list(DATASETS)
    results = files_of(manifest, "results")
    raw_csv = read_bytes(manifest, results["csv"])
    assert raw_csv.startswith(b"\xef\xbb\xbf"), "Excel on Chinese Windows needs the BOM"
    table = list(csv.reader(io.StringIO(raw_csv.decode("utf-8-sig"))))
    assert table[0] == list(DATASETS["results"].serializer_class().fields)
    lines = read_bytes(manifest, results["jsonl"]).decode("utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == len(table) - 1 == 2
    names = {row["sample_name"] for row in rows}
    assert "未发布的样品" not in names and "儿童连衣裙" in names
    assert next(e for e in manifest["datasets"] if e["name"] == "results")["rows"] == 2


def test_a_cell_a_spreadsheet_would_run_is_neutralised_in_csv_but_exact_in_json_lines(
    export_root, published_and_draft_results
):
    manifest = exports.export_all()
    results = files_of(manifest, "results")
    text = read_bytes(manifest, results["csv"]).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert {row["sample_name"] for row in table} == {"儿童连衣裙", "'" + FORMULA}
    assert not any(
        cell.startswith(("=", "+", "@")) for row in table for cell in row.values() if cell
    )
    rows = [json.loads(line) for line in read_bytes(manifest, results["jsonl"]).splitlines()]
    assert FORMULA in {row["sample_name"] for row in rows}


def test_exported_rows_are_what_the_api_answers(client, export_root, published_and_draft_results):
    manifest = exports.export_all()
    rows = [
        json.loads(line)
        for line in read_bytes(manifest, files_of(manifest, "results")["jsonl"]).splitlines()
    ]
    failed = published_and_draft_results["failed"]
    exported = next(row for row in rows if row["id"] == failed.pk)
    answered = client.get(f"/api/v1/results/{failed.pk}/").json()

    def without_addresses(row: dict) -> dict:  # absolute URLs differ: testserver vs base URL
        return {key: value for key, value in row.items() if not key.endswith("url")}

    assert without_addresses(exported) == without_addresses(answered)


def test_the_manifest_and_sha256sums_verify_every_file(export_root, published_and_draft_results):
    manifest = exports.export_all()
    assert manifest == exports.read_manifest()
    for entry in manifest["datasets"]:
        for file in entry["files"]:
            body = read_bytes(manifest, file)
            assert hashlib.sha256(body).hexdigest() == file["sha256"]
            assert len(body) == file["bytes"]
    sums = exports.file_path(manifest, manifest["checksums"]).read_text().splitlines()
    assert len(sums) == 2 * len(DATASETS)
    folder = export_root / manifest["generation"]
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest


def test_a_failed_run_leaves_the_last_good_generation_published(
    export_root, published_and_draft_results, monkeypatch
):
    good = exports.export_all()

    def broken(dataset, chunk_size):
        raise RuntimeError("database went away")
        yield  # a generator, as `records` is

    monkeypatch.setattr(Dataset, "records", broken)
    with pytest.raises(RuntimeError):
        exports.export_all()

    assert exports.read_manifest() == good
    assert {path.name for path in export_root.iterdir()} == {good["generation"], exports.MANIFEST}
    assert read_bytes(good, files_of(good, "results")["csv"])


def test_old_generations_are_pruned_but_the_previous_one_stays(export_root):
    first, second, third = (
        exports.export_all(now=datetime.datetime(2026, 11, 26, 3, 15, second, tzinfo=datetime.UTC))
        for second in (1, 2, 3)
    )
    folders = {path.name for path in export_root.iterdir() if path.is_dir()}
    assert folders == {second["generation"], third["generation"]}
    assert first["generation"] not in folders


def test_the_task_runs_one_export_at_a_time(export_root):
    cache.set(tasks.LOCK, "1")
    assert tasks.export_open_data() is None
    assert exports.read_manifest() is None
    cache.delete(tasks.LOCK)
    generation = tasks.export_open_data()
    assert exports.read_manifest()["generation"] == generation
    assert cache.get(tasks.LOCK) is None


def test_downloads_carry_their_checksum_as_etag_and_answer_304(
    client, export_root, published_and_draft_results
):
    manifest = exports.export_all()
    csv_file = files_of(manifest, "results")["csv"]
    url = reverse("opendata_files:download", args=["results", "csv"])

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["ETag"] == f'"{csv_file["sha256"]}"'
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == read_bytes(manifest, csv_file)

    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    listed = client.get(reverse("opendata_files:manifest")).streaming_content
    assert json.loads(b"".join(listed)) == manifest
    sums = b"".join(client.get(reverse("opendata_files:checksums")).streaming_content)
    assert csv_file["sha256"].encode() in sums


@pytest.mark.parametrize("name", ["results.xlsx", "unknown.csv", "..%2Fmanifest.csv"])
def test_unknown_downloads_are_404(client, export_root, name):
    exports.export_all()
    assert client.get(f"/data/files/{name}").status_code == 404


def test_before_the_first_export_the_files_are_404_and_the_page_says_so(client, export_root):
    assert client.get(reverse("opendata_files:manifest")).status_code == 404
    assert (
        client.get(reverse("opendata_files:download", args=["results", "csv"])).status_code == 404
    )
    page = client.get(reverse("opendata:index"))
    assert page.status_code == 200
    assert "尚未生成" in page.content.decode()


def test_the_data_dictionary_lists_every_field_of_every_dataset(client, export_root):
    exports.export_all()
    page = client.get(reverse("opendata:index")).content.decode()
    for name, dataset in DATASETS.items():
        assert f'id="dataset-{name}"' in page
        assert reverse("opendata_files:download", args=[name, "jsonl"]) in page
        for field in dataset.serializer_class().fields:
            assert f"<code>{field}</code>" in page
    with translation.override("en"):
        english = client.get(reverse("opendata:index")).content.decode()
    assert "Open data" in english and "date (YYYY-MM-DD)" in english


@pytest.mark.celery
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_scheduled_export_runs_on_a_real_worker(celery_not_eager, transactional_db, settings):
    """The worker process writes to the default OPEN_DATA_ROOT of the test settings."""
    generation = tasks.export_open_data.delay().get(timeout=120)
    assert exports.read_manifest()["generation"] == generation


def test_the_command_skips_when_asked_and_a_generation_exists(export_root, run_manage_in_process):
    first = run_manage_in_process("export_open_data")
    assert "Published" in first
    assert "skipped" in run_manage_in_process("export_open_data", "--if-missing")
    assert len([path for path in export_root.iterdir() if path.is_dir()]) == 1


@pytest.fixture
def run_manage_in_process():
    def run(*args: str) -> str:
        output = io.StringIO()
        call_command(*args, stdout=output)
        return output.getvalue()

    return run


def test_the_page_shows_the_export_time_in_the_portals_zone_and_date_style(client, export_root):
    """The manifest keeps UTC; 18:30 UTC on 31 December is 1 January, 02:30 in Shanghai."""
    exports.export_all(now=datetime.datetime(2019, 12, 31, 18, 30, tzinfo=datetime.UTC))
    html = client.get("/data/").content.decode()
    assert '<time datetime="2019-12-31T18:30:00+00:00">2020年1月1日 02:30</time>' in html
    english = client.get("/en/data/").content.decode()
    assert ">2020-01-01 02:30</time>" in english


def test_grades_with_fractional_scores_export_as_the_api_answers_them(client, export_root):
    """Sub-scores are decimals (82.5): both files hold the numbers the API gives, no crash."""
    grade = SubmissionFactory(
        scores={"safety": "82.5", "performance": "89.0", "energy": "90", "labelling": "80"},
        overall_score="85.1",
        grade="A",
        status=Submission.Status.APPROVED,
        decided_at=timezone.now(),
    )
    manifest = exports.export_all()
    files = files_of(manifest, "grades")
    exported = json.loads(read_bytes(manifest, files["jsonl"]).splitlines()[0])
    answered = client.get(f"/api/v1/grades/{grade.pk}/").json()
    assert (
        exported["scores"]
        == answered["scores"]
        == {
            "safety": 82.5,
            "performance": 89.0,
            "energy": 90.0,
            "labelling": 80.0,
        }
    )
    assert exported["overall_score"] == answered["overall_score"] == 85.1
    csv_text = read_bytes(manifest, files["csv"]).decode("utf-8-sig")
    assert '""safety"": 82.5' in csv_text  # the nested scores as JSON text in one cell
