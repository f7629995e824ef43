"""Free text from graders is stored as plain text: never HTML, escaped when shown.

Control characters (other than newline and tab) are removed because they break CSV exports,
terminals and some browsers' rendering; nothing else is altered, so what the grader wrote is
what the public reads.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def plain_text(value: str | None) -> str:
    """NFC-normalised text without control or bidirectional-override characters."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()
