"""What the grading templates need beside Django's: scheme text in the reader's script, a
sub-score by criterion code, and the sortable column headers of a comparison."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from portal.core.text import to_traditional

register = template.Library()

ASCENDING_SORTS = {"price", "brand"}  # the others sort best or newest first


@register.filter
def script(text: str) -> str:
    """Scheme and criterion names and method text are written in simplified Chinese; readers
    of the traditional-Chinese site get them converted (OpenCC)."""
    return to_traditional(text) if text and get_language() == "zh-hant" else text


@register.filter
def score(grade, code: str) -> str:
    """The grade's sub-score of criterion `code` as published (92.5, 88), or an em dash."""
    value = grade.scores.get(code)
    return "—" if value is None else f"{Decimal(str(value)).normalize():f}"


@register.inclusion_tag("grading/_sort_th.html", takes_context=True)
def sort_th(context, key: str, label: str):
    query = context["sort_query"]
    return {
        "label": label,
        "url": f"?{query}&sort={key}" if query else f"?sort={key}",
        "current": context["sort"] == key,
        "direction": "ascending" if key in ASCENDING_SORTS else "descending",
    }
