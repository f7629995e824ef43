"""The demo's data files: JSON that the generator reads, so lists of names and testing
knowledge can be edited without touching code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).parent


def _frozen(value: Any) -> Any:
    """JSON arrays as tuples: the generator keeps its data immutable and hashable."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def load(name: str) -> Any:
    """The data file `name` of this folder, with arrays as tuples."""
    return _frozen(json.loads((FOLDER / name).read_text(encoding="utf-8")))
