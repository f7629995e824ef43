#!/usr/bin/env python3
"""Rebuild (or check) the browser libraries committed under portal/static/vendor/.

    python scripts/vendor_js.py          # npm ci from package-lock.json, copy the files
    python scripts/vendor_js.py --check  # the same into a scratch folder; fail if they differ

The portal serves no file from a CDN and `make run` needs no Node: the built files are
committed, and this script is how they were made (docs/decisions/0018). It installs exactly
the versions pinned in package.json and package-lock.json (`npm ci --ignore-scripts`, in
.cache/vendor-js, never in the repository root), then copies each library's browser build with
a first line naming the package and version, and its licence.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".cache" / "vendor-js"
VENDOR = ROOT / "portal" / "static" / "vendor"
NPM_TIMEOUT = 600

#: package → (its browser build, the name it is served under)
FILES = {
    "@zxing/library": ("umd/index.min.js", "zxing-library.min.js"),
}


def banner(package: str, version: str) -> str:
    return (
        f"/*! {package} {version} — vendored by scripts/vendor_js.py from package-lock.json; "
        "do not edit */\n"
    )


def install() -> Path:
    """The pinned packages, installed from the lock file into .cache/vendor-js."""
    WORK.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(ROOT / name, WORK / name)
    command = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run(command, cwd=WORK, check=True, timeout=NPM_TIMEOUT)
    return WORK / "node_modules"


def built(modules: Path) -> dict[str, bytes]:
    """Each vendored file's content: the banner, then the package's own build; its licence."""
    files = {}
    for package, (source, target) in FILES.items():
        folder = modules / package
        version = json.loads((folder / "package.json").read_text())["version"]
        files[target] = banner(package, version).encode() + (folder / source).read_bytes()
        files[target.replace(".min.js", ".LICENSE.txt")] = (folder / "LICENSE").read_bytes()
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    if shutil.which("npm") is None:
        print("vendor_js: npm is missing (apt-get install npm)", file=sys.stderr)
        return 2
    files = built(install())
    if args.check:
        stale = [name for name, data in files.items() if _read(VENDOR / name) != data]
        for name in stale:
            print(f"vendor_js: {VENDOR / name} differs from package-lock.json's build")
        return 1 if stale else 0
    VENDOR.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (VENDOR / name).write_bytes(data)
        print(f"vendor_js: wrote {(VENDOR / name).relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
