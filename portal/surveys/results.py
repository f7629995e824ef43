"""A survey's results, counted by the database: answers per option, and per month the share
of answers that were correct. Python only arranges the grouped rows (one per option or per
month), never the answers themselves."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Answer, Question, Survey


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class OptionFigure:
    option: object  # Option
    answers: int
    share: float | None


@dataclass(frozen=True)
class QuestionFigure:
    question: Question
    options: list[OptionFigure]
    answers: int
    correct: int

    @property
    def share_correct(self) -> float | None:
        return percent(self.correct, self.answers)

    @property
    def correct_option(self):
        return next((f.option for f in self.options if f.option.is_correct), None)


@dataclass(frozen=True)
class MonthFigure:
    month: datetime.date
    answers: int
    correct: int

    @property
    def share_correct(self) -> float | None:
        return percent(self.correct, self.answers)


def by_question(survey: Survey, questions: list[Question]) -> list[QuestionFigure]:
    """Each question (options prefetched) with how often each option was chosen."""
    grouped = (
        Answer.objects.filter(question__survey=survey)
        .values_list("question_id", "option_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(question_id, option_id): n for question_id, option_id, n in grouped}
    figures = []
    for question in questions:
        options = list(question.options.all())
        chosen = {option.pk: counts.get((question.pk, option.pk), 0) for option in options}
        answers = sum(chosen.values())
        figures.append(
            QuestionFigure(
                question=question,
                options=[
                    OptionFigure(o, chosen[o.pk], percent(chosen[o.pk], answers)) for o in options
                ],
                answers=answers,
                correct=sum(chosen[o.pk] for o in options if o.is_correct),
            )
        )
    return figures


def by_month(survey: Survey) -> list[MonthFigure]:
    """Answers and correct answers per calendar month (local time), from the first month
    with answers to the last; a month without answers is there with zero answers."""
    rows = (
        Answer.objects.filter(question__survey=survey)
        .annotate(month=TruncMonth("response__submitted_at"))
        .values("month")
        .annotate(answers=Count("pk"), correct=Count("pk", filter=Q(option__is_correct=True)))
        .order_by("month")
    )
    # TruncMonth gives the first moment of the month in the current time zone.
    found = {timezone.localtime(row["month"]).date(): row for row in rows}
    if not found:
        return []
    months, month = [], min(found)
    while month <= max(found):
        row = found.get(month, {"answers": 0, "correct": 0})
        months.append(MonthFigure(month, row["answers"], row["correct"]))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months
