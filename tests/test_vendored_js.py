"""The browser libraries under portal/static/vendor/ are the versions package-lock.json pins,
copied by scripts/vendor_js.py (docs/decisions/0018): no CDN, and no hand-edited copy."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "portal" / "static" / "vendor"


def vendor_js():
    spec = importlib.util.spec_from_file_location("vendor_js", ROOT / "scripts" / "vendor_js.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_vendored_file_is_the_pinned_version_with_its_licence():
    script = vendor_js()
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    assert set(pinned) == set(script.FILES)
    for package, (_source, target) in script.FILES.items():
        version = pinned[package]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{package} is not pinned exactly"
        assert locked[f"node_modules/{package}"]["version"] == version
        built = (VENDOR / target).read_text(encoding="utf-8")
        assert built.startswith(script.banner(package, version))
        assert "sourceMappingURL" not in built  # collectstatic's manifest would want the map
        licence = VENDOR / target.replace(".min.js", ".LICENSE.txt")
        assert "Apache License" in licence.read_text(encoding="utf-8")


def test_the_scanner_loads_the_decoder_from_the_portal_itself():
    scanner = (ROOT / "portal" / "static" / "js" / "trace-scanner.js").read_text()
    assert "decoderSrc" in scanner
    assert not re.search(r"https?://", scanner)
