"""Charts drawn on the server as inline SVG: no JavaScript library, nothing to load, and
readable by screen readers. Each chart has a `<title>` and a `<desc>` that says what it
shows in words, and the page puts the same figures in a table beside it.

This module computes the geometry (in the SVG's own units, `WIDTH` wide); the templates
`surveys/_bar_chart.html` and `surveys/_column_chart.html` draw it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .results import MonthFigure, QuestionFigure

WIDTH = 640
LABEL_CHARS = 36  # longer option texts are cut in the chart; the table has them whole


def share_text(share: float | None) -> str:
    return "—" if share is None else f"{share:.1f}%"


# --- One question: a horizontal bar per option -------------------------------------------------

ROW = 46  # height of one option: its label, then its bar
BAR_HEIGHT = 18
BAR_MAX = WIDTH - 120  # room on the right for the value


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    label_y: float
    bar_y: float
    width: float
    value_x: float
    value_y: float
    correct: bool


@dataclass(frozen=True)
class BarChart:
    id: str  # unique in the page: the title and desc are named by it
    title: str
    desc: str
    height: int
    bars: list[Bar]
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT


def options_chart(figure: QuestionFigure) -> BarChart:
    bars = []
    for i, option in enumerate(figure.options):
        top = i * ROW
        width = round(BAR_MAX * (option.share or 0) / 100, 1)
        label = Truncator(option.option.text).chars(LABEL_CHARS)
        if option.option.is_correct:
            label = _("✓ %(answer)s (correct answer)") % {"answer": label}
        bars.append(
            Bar(
                label=label,
                value=f"{share_text(option.share)} ({option.answers})",
                label_y=top + 16,
                bar_y=top + 22,
                width=width,
                value_x=width + 8,
                value_y=top + 22 + BAR_HEIGHT - 4,
                correct=option.option.is_correct,
            )
        )
    correct = figure.correct_option
    desc = _("%(answers)d answers. %(share)s chose the correct answer, “%(correct)s”.") % {
        "answers": figure.answers,
        "share": share_text(figure.share_correct),
        "correct": correct.text if correct else "—",
    }
    return BarChart(
        id=f"question-{figure.question.pk}-chart",
        title=figure.question.text,
        desc=desc,
        height=len(bars) * ROW + 4,
        bars=bars,
    )


# --- Over time: a column per month ------------------------------------------------------------

HEIGHT = 240
LEFT, RIGHT, TOP, BASELINE = 48, WIDTH - 8, 16, HEIGHT - 36
MONTH_LABELS = 8  # at most this many month names under the axis
VALUE_LABELS = 12  # values above the columns only up to this many months


@dataclass(frozen=True)
class Column:
    label: str  # the month, or "" where labels would crowd
    value: str  # above the column, or ""
    x: float
    width: float
    y: float
    height: float
    centre: float


@dataclass(frozen=True)
class ColumnChart:
    id: str
    title: str
    desc: str
    columns: list[Column]
    gridlines: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    baseline: int = BASELINE
    axis_x: int = LEFT - 6  # right edge of the percentages
    label_y: int = BASELINE + 18  # month names


def monthly_chart(months: list[MonthFigure]) -> ColumnChart:
    plot = BASELINE - TOP
    slot = (RIGHT - LEFT) / max(len(months), 1)
    width = round(min(36, slot * 0.7), 1)
    every = math.ceil(len(months) / MONTH_LABELS) or 1
    columns = []
    for i, month in enumerate(months):
        height = round(plot * (month.share_correct or 0) / 100, 1)
        x = round(LEFT + i * slot + (slot - width) / 2, 1)
        columns.append(
            Column(
                label=date_format(month.month, "YEAR_MONTH_FORMAT") if i % every == 0 else "",
                value=share_text(month.share_correct)
                if month.answers and len(months) <= VALUE_LABELS
                else "",
                x=x,
                width=width,
                y=round(BASELINE - height, 1),
                height=height,
                centre=round(x + width / 2, 1),
            )
        )
    gridlines = [(round(BASELINE - plot * p / 100, 1), f"{p}%") for p in (0, 25, 50, 75, 100)]
    answered = [m for m in months if m.answers]
    desc = ""
    if answered:
        shares = [m.share_correct for m in answered]
        desc = _(
            "From %(first)s to %(last)s the share of correct answers was between %(low)s and "
            "%(high)s; in %(last)s it was %(latest)s."
        ) % {
            "first": date_format(answered[0].month, "YEAR_MONTH_FORMAT"),
            "last": date_format(answered[-1].month, "YEAR_MONTH_FORMAT"),
            "low": share_text(min(shares)),
            "high": share_text(max(shares)),
            "latest": share_text(shares[-1]),
        }
    return ColumnChart(
        id="months-chart",
        title=_("Share of correct answers per month"),
        desc=desc,
        columns=columns,
        gridlines=gridlines,
    )
