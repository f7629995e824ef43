"""Surveys made in code, and helpers to answer them as a browser would."""

from __future__ import annotations

import datetime
import re

import factory
import pytest
from django.core.cache import cache
from django.utils import translation

from portal.surveys.models import Answer, Option, Question, Survey, SurveyResponse

QUESTIONS = [
    (
        "7岁以下儿童服装的头颈部可以有绳带吗？",
        ["可以，只要绳带够短", "不可以", "只有冬装可以"],
        1,
        "GB 31701-2015规定，7岁以下儿童服装头颈部不得有绳带。",
    ),
    (
        "产品上的“CCC”标志表示什么？",
        ["通过了国家强制性产品认证", "是进口商品", "获得了质量奖"],
        0,
        "列入目录的产品必须经过强制性认证并标注CCC标志后方可销售。",
    ),
    (
        "电动自行车应当在哪里充电？",
        ["楼道里", "室外集中充电点", "卧室里"],
        1,
        "在室内和楼道充电是电动自行车火灾的主要原因。",
    ),
]


class SurveyFactory(factory.django.DjangoModelFactory):
    """A published, open survey with the three questions above."""

    class Meta:
        model = Survey
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"产品安全知识知晓度调查（第{n}期）")
    slug = factory.Sequence(lambda n: f"awareness-{n}")
    intro = "匿名作答，约需1分钟。"
    opens_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    published = True

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if not create:
            return
        for position, (text, options, correct, explanation) in enumerate(extracted or QUESTIONS):
            question = Question.objects.create(
                survey=self, sort_order=position, text=text, explanation=explanation
            )
            for i, option in enumerate(options):
                Option.objects.create(
                    question=question, sort_order=i, text=option, is_correct=i == correct
                )


def options_of(survey: Survey) -> list[list[Option]]:
    return [list(q.options.all()) for q in survey.questions.prefetch_related("options")]


def submit(
    survey: Survey, chosen: list[int], when: datetime.datetime | None = None
) -> SurveyResponse:
    """Store a submission directly: option position per question."""
    submission = SurveyResponse.objects.create(
        survey=survey, token=f"t{SurveyResponse.objects.count()}-{survey.pk}"
    )
    if when:
        SurveyResponse.objects.filter(pk=submission.pk).update(submitted_at=when)
    for options, position in zip(options_of(survey), chosen, strict=True):
        Answer.objects.create(
            response=submission, question=options[0].question, option=options[position]
        )
    return submission


@pytest.fixture(autouse=True)
def clear_rate_limits():
    """The rate limit counts in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey(db):
    return SurveyFactory()


@pytest.fixture
def answer_form():
    """The answer form's fields as a browser would send them, read from the page."""

    def read(client, survey: Survey, positions: list[int] | None = None) -> dict[str, str]:
        with translation.override("zh-hans"):
            url = survey.get_absolute_url()
        html = client.get(url).content.decode()
        data = {"token": re.search(r'name="token" value="([^"]+)"', html)[1]}
        for options, position in zip(options_of(survey), positions or [], strict=False):
            data[f"question-{options[0].question_id}"] = str(options[position].pk)
        return data

    return read


def correct_positions() -> list[int]:
    return [correct for _text, _options, correct, _explanation in QUESTIONS]
