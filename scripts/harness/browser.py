"""The browser tests' tools: Debian's Chromium, a CJK font and axe-core."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .base import CACHE, INSTALL_TIMEOUT, ServiceError, apt_install, log, run_quietly

#: Debian packages the browser tests need, by a file each installs: Chromium itself, and a
#: small CJK font so that screenshots show Chinese rather than empty boxes (also the font of the
#: PDF import fixtures, scripts/make_import_fixtures.py).
BROWSER_PACKAGES = {
    "chromium": Path("/usr/bin/chromium"),
    "fonts-wqy-microhei": Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
}
AXE_CORE = CACHE / "npm" / "node_modules" / "axe-core" / "axe.min.js"


def browser_test_tools() -> None:
    """What the browser tests (`-m e2e`) need: Debian's Chromium, never a browser that
    Playwright would download, and axe-core from npm, cached under .cache/npm."""
    missing = [name for name, path in BROWSER_PACKAGES.items() if not path.exists()]
    if missing:
        try:
            apt_install(*missing)
        except ServiceError as error:
            raise ServiceError(f"browser tests: {error}") from error
    if AXE_CORE.exists():
        return
    if shutil.which("npm") is None:
        try:
            apt_install("npm")
        except ServiceError as error:
            raise ServiceError(f"browser tests need npm to fetch axe-core: {error}") from error
    log("installing axe-core@4 from npm into .cache/npm")
    try:
        run_quietly(
            [
                "npm",
                "install",
                "--prefix",
                str(CACHE / "npm"),
                "--no-audit",
                "--no-fund",
                "axe-core@4",
            ],
            INSTALL_TIMEOUT,
        )
    except (ServiceError, subprocess.TimeoutExpired) as error:
        raise ServiceError(f"could not install axe-core from npm: {error}") from error
