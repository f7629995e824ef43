"""Parsing of published spot-check result tables (监督抽查结果表): CSV, XLSX, .xls, the tables
of a Word .docx and text-layer PDF tables.

Pure Python, no database: `parse_spreadsheet` finds the header, and `ParsedSheet.samples()`
streams one `ParsedSample` per sampled batch with its row-level `CellError`s. The import
service decides what to store; exports use `escape_formula`.
"""

from .errors import CellError, SpreadsheetError
from .item_lists import FailedItemData
from .parse import ParsedSheet, parse_spreadsheet
from .safety import escape_formula, has_formula, is_formula
from .samples import ParsedSample
from .schema import FIELDS, REQUIRED_FIELDS

__all__ = [
    "FIELDS",
    "REQUIRED_FIELDS",
    "CellError",
    "FailedItemData",
    "ParsedSample",
    "ParsedSheet",
    "SpreadsheetError",
    "escape_formula",
    "has_formula",
    "is_formula",
    "parse_spreadsheet",
]
