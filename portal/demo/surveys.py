"""The demo's awareness survey (知晓度调查, plan item 18): six questions on product safety
and a few hundred anonymous submissions spread over the eight months before the current one,
seeded, so `make run` shows the quiz open and a results page with charts. Created only when
its address is missing, so running `load_demo` again adds nothing."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from portal.surveys.models import Answer, Option, Question, Survey, SurveyResponse

from .data import load

SLUG = "product-safety-awareness"
SEED = 20190415
SUBMISSIONS = 360
MONTHS = 8

# (question, [(answer, correct)], explanation, how often it is answered right at first)
QUESTIONS = load("survey.json")


def build_survey(log: Callable[[str], None]) -> Survey | None:
    """Create the demo survey and its answers unless it exists."""
    if Survey.objects.filter(slug=SLUG).exists():
        return None
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not a secret
    first = _add_months(timezone.localdate().replace(day=1), -MONTHS)
    with transaction.atomic():
        survey = Survey.objects.create(
            title="产品质量安全知识知晓度调查",
            slug=SLUG,
            intro=(
                "按照《2019年上海市产品质量安全监督管理工作计划》，我们开展产品质量安全知识"
                "知晓度调查。共6道题，约需2分钟；匿名作答，提交后即可看到正确答案和解释。"
            ),
            opens_on=first,
            published=True,
        )
        questions = []
        for position, (text, options, explanation, ease) in enumerate(QUESTIONS):
            question = Question.objects.create(
                survey=survey, sort_order=position, text=text, explanation=explanation
            )
            created = [
                Option.objects.create(question=question, sort_order=i, text=t, is_correct=c)
                for i, (t, c) in enumerate(options)
            ]
            questions.append((question, created, ease))
        # More submissions in later months, as the campaign spreads.
        months = [min(MONTHS - 1, int(MONTHS * rng.random() ** 0.8)) for _ in range(SUBMISSIONS)]
        submissions = SurveyResponse.objects.bulk_create(
            SurveyResponse(
                survey=survey, token=f"demo-{n:04d}", submitted_at=_moment(rng, first, m)
            )
            for n, m in enumerate(months)
        )
        answers = []
        for submission, month in zip(submissions, months, strict=True):
            # Awareness grows as the campaign goes on: a little more right each month.
            for question, options, ease in questions:
                right = rng.random() < min(0.95, ease + 0.035 * month)
                wrong = [o for o in options if not o.is_correct]
                option = next(o for o in options if o.is_correct) if right else rng.choice(wrong)
                answers.append(Answer(response=submission, question=question, option=option))
        Answer.objects.bulk_create(answers)
    log(f"Demo survey: {SUBMISSIONS} submissions over {MONTHS} months.")
    return survey


def _moment(rng: random.Random, first: datetime.date, month: int) -> datetime.datetime:
    """A time in month number `month` from `first`, between 08:00 and 22:00."""
    day = datetime.datetime.combine(_add_months(first, month), datetime.time(8))
    offset = datetime.timedelta(days=rng.randrange(28), minutes=rng.randrange(14 * 60))
    return timezone.make_aware(day + offset)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1)
