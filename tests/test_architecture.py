"""The layers of docs/architecture.md hold: no app imports an app above it, no package has
an import cycle. The contracts are in pyproject.toml ([tool.importlinter])."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "content", "search")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the tree at `where`, with the contracts of its pyproject.toml."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "complaint"),
    [
        (
            "portal/registry/upward.py",
            "from portal.profiles import views\n",
            "portal.registry is not allowed to import portal.profiles",
        ),
        (
            "portal/core/upward.py",
            "import search.engine\n",
            "portal.core is not allowed to import search",
        ),
        (
            "portal/inspections/sideways.py",
            "from portal.surveys import models\n",
            "portal.inspections is not allowed to import portal.surveys",
        ),
        (
            "search/engine_loop.py",
            "from search import queries\n",
            "No cycles are allowed in search",
        ),
    ],
)
def test_a_broken_layer_fails(tmp_path, module, line, complaint):
    """The same contracts on a copy of the code with one bad import added must fail."""
    keep_python = shutil.ignore_patterns("__pycache__", "templates", "static", "devnode", "locale")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=keep_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    assert lint_imports(tmp_path).returncode == 0  # the copy alone is clean

    (tmp_path / module).write_text(line)
    if module.startswith("search/"):  # close the loop: engine imports the new module
        engine = tmp_path / "search" / "engine.py"
        engine.write_text(engine.read_text() + "\nfrom search import engine_loop  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert complaint in result.stdout, result.stdout
