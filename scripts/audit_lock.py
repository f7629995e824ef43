"""Audit requirements.lock with pip-audit; fail only on vulnerabilities that have a fix.

A known vulnerability with no fixed release cannot be acted on by upgrading, so it is
reported but does not break CI; one with a fix means `make lock` after raising the pin.
A package pip-audit could not look up (no network, unknown to the advisory service) fails
the audit too: an audit that silently checked nothing must not pass.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"


def main(lock: Path = LOCK) -> int:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
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
                "-f",
                "json",
                "-o",
                report.name,
            ],
            check=False,
        )
        try:
            found = json.loads(Path(report.name).read_text())
        except json.JSONDecodeError:
            print("pip-audit gave no report (see its error above)", file=sys.stderr)
            return 2
    unaudited = [p["name"] for p in found["dependencies"] if p.get("skip_reason")]
    if unaudited:
        print(f"Not audited ({len(unaudited)}): {', '.join(unaudited)}", file=sys.stderr)
        return 2
    fixable = 0
    for package in found["dependencies"]:
        for vuln in package.get("vulns", []):
            fixes = ", ".join(vuln["fix_versions"]) or "no fix released"
            print(f"{package['name']} {package['version']}: {vuln['id']} (fix: {fixes})")
            fixable += bool(vuln["fix_versions"])
    if fixable:
        print(f"{fixable} vulnerabilities with a fix: raise the pins and run `make lock`.")
        return 1
    print(f"Audited {len(found['dependencies'])} locked packages: nothing fixable found.")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else LOCK))
