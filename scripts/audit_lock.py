"""Audit requirements.lock with pip-audit; fail only on vulnerabilities that have a fix.

A known vulnerability with no fixed release cannot be acted on by upgrading, so it is
reported but does not break CI; one with a fix means `make lock` after raising the pin.
When the advisory service cannot be reached at all (CI without network), the audit says so
in one line and passes: it checked nothing, and failing would only block unrelated work
(decision 0029). Some packages unaudited while others were looked up still fails.
"""

import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"
# A per-release JSON page, the kind pip-audit reads: a mirror may serve project pages only.
SERVICE = "https://pypi.org/pypi/pip/24.0/json"

COULD_NOT_RUN = "Audit could not run: pypi.org's vulnerability API is unreachable from here."


def verdict(report: dict | None, service_reachable: bool, error: str = "") -> tuple[int, list[str]]:
    """Exit status and lines to print for pip-audit's JSON report (None: it wrote none,
    and `error` is what it printed instead)."""
    if report is None:
        if service_reachable:
            return 2, [f"pip-audit gave no report: {error.strip()}"]
        return 0, [COULD_NOT_RUN]
    packages = report["dependencies"]
    unaudited = [p["name"] for p in packages if p.get("skip_reason")]
    if packages and len(unaudited) == len(packages) and not service_reachable:
        return 0, [COULD_NOT_RUN]
    if unaudited:
        return 2, [f"Not audited ({len(unaudited)}): {', '.join(unaudited)}"]
    lines, fixable = [], 0
    for package in packages:
        for vuln in package.get("vulns", []):
            fixes = ", ".join(vuln["fix_versions"]) or "no fix released"
            lines.append(f"{package['name']} {package['version']}: {vuln['id']} (fix: {fixes})")
            fixable += bool(vuln["fix_versions"])
    if fixable:
        lines.append(f"{fixable} vulnerabilities with a fix: raise the pins and run `make lock`.")
        return 1, lines
    lines.append(f"Audited {len(packages)} locked packages: nothing fixable found.")
    return 0, lines


def reachable(url: str = SERVICE) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=10):
            return True
    except OSError:
        return False


def run_pip_audit(lock: Path) -> tuple[dict | None, str]:
    """The JSON report, or None and pip-audit's error output when it wrote none."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip_audit",
                "-r",
                str(lock),
                "--require-hashes",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--timeout",
                "10",
                "-f",
                "json",
                "-o",
                report.name,
            ],
            check=False,
            capture_output=True,
            text=True,
        )
        try:
            return json.loads(Path(report.name).read_text()), ""
        except json.JSONDecodeError:
            return None, done.stderr


def main(lock: Path = LOCK) -> int:
    report, error = run_pip_audit(lock)
    status, lines = verdict(report, reachable(), error)
    for line in lines:
        print(line, file=sys.stderr if status else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else LOCK))
