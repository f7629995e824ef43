"""Import of published spot-check result spreadsheets into the registry.

One code path does both the preview and the commit: `run_import` applies the whole file
inside one transaction and, for a preview (or when any row is wrong), rolls it back. What
the preview reports is therefore exactly what the commit does, and a file with a single bad
row writes nothing.

Rows are streamed from the parser and applied in chunks with bulk queries, so memory stays
flat and a 100,000-row file needs a few hundred queries, not hundreds of thousands. `run`
passes each chunk through `matching`, `results` (diff and revision) and `products` (and
barcodes), then flushes it; `report` holds what goes in and what comes out.
"""

from .report import BatchDetails, ImportReport
from .run import run_import

__all__ = ["BatchDetails", "ImportReport", "run_import"]
