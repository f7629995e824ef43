"""scripts/audit_lock.py decides from pip-audit's JSON report: fixable fails, no fix passes,
unaudited fails, and an unreachable advisory service is reported and passes (decision 0029)."""

import copy
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit_lock", ROOT / "scripts" / "audit_lock.py")
audit_lock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_lock)

FIXTURE = json.loads((ROOT / "tests/fixtures/pip_audit/report.json").read_text())


@pytest.fixture
def report():
    return copy.deepcopy(FIXTURE)


def named(report, *names):
    report["dependencies"] = [p for p in report["dependencies"] if p["name"] in names]
    return report


def test_fixable_vulnerability_fails_and_names_the_fix(report):
    status, lines = audit_lock.verdict(named(report, "django", "wagtail"), True)

    assert status == 1
    assert "django 5.2.1: PYSEC-2025-0001 (fix: 5.2.2)" in lines
    assert "1 vulnerabilities with a fix" in lines[-1]


def test_vulnerability_without_fix_is_reported_and_passes(report):
    status, lines = audit_lock.verdict(named(report, "ecdsa", "wagtail"), True)

    assert status == 0
    assert "ecdsa 0.19.1: GHSA-wj6h-64fc-37mp (fix: no fix released)" in lines
    assert lines[-1] == "Audited 2 locked packages: nothing fixable found."


def test_some_packages_not_audited_fails_naming_them(report):
    status, lines = audit_lock.verdict(named(report, "wagtail", "anxin-private-wheel"), True)

    assert status == 2
    assert lines == ["Not audited (1): anxin-private-wheel"]


def test_unaudited_package_fails_even_beside_a_fixable_one(report):
    assert audit_lock.verdict(report, True)[0] == 2


@pytest.mark.parametrize("all_skipped", [True, False])
def test_unreachable_service_says_so_in_one_line_and_passes(report, all_skipped):
    skipped = named(report, "anxin-private-wheel") if all_skipped else None

    assert audit_lock.verdict(skipped, False) == (0, [audit_lock.COULD_NOT_RUN])


def test_all_skipped_with_service_reachable_still_fails(report):
    assert audit_lock.verdict(named(report, "anxin-private-wheel"), True)[0] == 2


def test_fixable_findings_fail_even_when_reachability_check_fails(report):
    """A report with results proves the service answered; its findings still count."""
    assert audit_lock.verdict(named(report, "django"), False)[0] == 1


def test_unreachable_address_is_detected(closed_port):
    assert not audit_lock.reachable(f"http://127.0.0.1:{closed_port}/")


def test_no_report_with_service_reachable_fails_with_pip_audit_error():
    status, lines = audit_lock.verdict(None, True, "ERROR: invalid requirement line 3\n")

    assert status == 2
    assert lines == ["pip-audit gave no report: ERROR: invalid requirement line 3"]
