"""Results counted by the database, drawn as accessible inline SVG with a table beside."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from portal.surveys import charts, results
from portal.surveys.models import Survey

from .conftest import SurveyFactory, submit

pytestmark = pytest.mark.django_db


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day} {time}"))


def results_url(survey: Survey, language: str = "en") -> str:
    with translation.override(language):
        return f"{survey.get_absolute_url()}results/"


@pytest.fixture
def answered(survey):
    """Four submissions: the first question right 3 of 4 times; two months with a gap."""
    submit(survey, [1, 0, 1], at("2019-05-10"))
    submit(survey, [1, 1, 1], at("2019-05-31", "23:30"))  # still May in Shanghai
    submit(survey, [0, 0, 0], at("2019-07-01", "00:30"))  # July in Shanghai, June in UTC
    submit(survey, [1, 0, 2], at("2019-07-20"))
    return survey


def test_each_option_is_counted_and_the_correct_share_computed(answered):
    questions = list(answered.questions.prefetch_related("options"))
    first, second, third = results.by_question(answered, questions)
    assert [(f.option.text, f.answers, f.share) for f in first.options] == [
        ("可以，只要绳带够短", 1, 25.0),
        ("不可以", 3, 75.0),
        ("只有冬装可以", 0, 0.0),
    ]
    assert (first.answers, first.correct, first.share_correct) == (4, 3, 75.0)
    assert first.correct_option.text == "不可以"
    assert (second.correct, second.share_correct) == (3, 75.0)
    assert (third.correct, third.share_correct) == (2, 50.0)


def test_months_are_local_calendar_months_with_gaps_kept(answered):
    months = results.by_month(answered)
    assert [(m.month, m.answers, m.correct, m.share_correct) for m in months] == [
        (datetime.date(2019, 5, 1), 6, 5, 83.3),
        (datetime.date(2019, 6, 1), 0, 0, None),
        (datetime.date(2019, 7, 1), 6, 3, 50.0),
    ]


def test_no_answers_no_months(survey):
    assert results.by_month(survey) == []
    questions = list(survey.questions.prefetch_related("options"))
    assert all(
        f.answers == 0 and f.share_correct is None for f in results.by_question(survey, questions)
    )


def test_a_bar_per_option_sized_by_its_share_and_the_correct_one_marked(answered):
    questions = list(answered.questions.prefetch_related("options"))
    with translation.override("en"):
        chart = charts.options_chart(results.by_question(answered, questions)[0])
    assert [bar.width for bar in chart.bars] == [
        round(charts.BAR_MAX * 0.25, 1),
        round(charts.BAR_MAX * 0.75, 1),
        0,
    ]
    assert [bar.correct for bar in chart.bars] == [False, True, False]
    assert chart.bars[1].label == "✓ 不可以 (correct answer)"
    assert chart.bars[1].value == "75.0% (3)"
    assert chart.desc == "4 answers. 75.0% chose the correct answer, “不可以”."
    assert chart.id == f"question-{questions[0].pk}-chart"


def test_long_option_texts_are_cut_in_the_chart_only():
    figure = results.QuestionFigure(
        question=type("Q", (), {"pk": 1, "text": "问"})(),
        options=[
            results.OptionFigure(type("O", (), {"text": "长" * 80, "is_correct": True})(), 1, 100.0)
        ],
        answers=1,
        correct=1,
    )
    assert len(charts.options_chart(figure).bars[0].label) < 60


def test_a_column_per_month_and_labels_thinned_when_crowded():
    months = [
        results.MonthFigure(datetime.date(2018 + (m // 12), m % 12 + 1, 1), 10, m % 10)
        for m in range(24)
    ]
    with translation.override("en"):
        chart = charts.monthly_chart(months)
    assert len(chart.columns) == 24
    assert sum(1 for column in chart.columns if column.label) == charts.MONTH_LABELS
    assert not any(column.value for column in chart.columns)  # too many: the table has them
    assert chart.columns[0].height == 0
    full = charts.BASELINE - charts.TOP
    assert chart.columns[9].height == round(full * 0.9, 1)
    assert chart.columns[9].y == round(charts.BASELINE - full * 0.9, 1)
    assert [text for _y, text in chart.gridlines] == ["0%", "25%", "50%", "75%", "100%"]
    assert "between 0.0% and 90.0%" in chart.desc


def test_the_results_page_draws_accessible_charts_and_tables(client, answered):
    page = client.get(results_url(answered))
    assert page.status_code == 200
    html = page.content.decode()
    svgs = re.findall(r"<svg [^>]*>", html)
    assert len(svgs) == 4  # three questions and the months
    for svg in svgs:
        assert 'role="img"' in svg
        labelled = re.search(r'aria-labelledby="([^ "]+) ([^"]+)"', svg)
        assert f'<title id="{labelled[1]}">' in html
        assert f'<desc id="{labelled[2]}">' in html
    assert '<title id="months-chart-title">Share of correct answers per month</title>' in html
    assert html.count("<table>") == 4
    assert '<th scope="row">2019-06</th><td>0</td><td>0</td><td>—</td>' in html
    assert '<th scope="row">不可以 (correct answer)</th><td>3</td><td>75.0%</td>' in html
    assert "<script" not in html.split("<main")[1]  # no chart library
    assert "<dd>4</dd>" in html


def test_the_results_page_says_when_no_one_answered(client, survey):
    html = client.get(results_url(survey)).content.decode()
    assert "No one has answered this survey yet." in html
    assert "<svg" not in html


def test_the_results_page_takes_the_same_queries_for_any_number_of_answers(client):
    """Six for the survey and its figures, the rest for the site (its navigation is cached)."""
    survey = SurveyFactory()
    submit(survey, [0, 0, 0], at("2019-05-10"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(results_url(survey)).status_code == 200
        return len(queries)

    count()  # the main navigation is read once, then cached
    few = count()
    for n in range(30):
        submit(survey, [n % 3, 1, 2], at(f"2019-{n % 12 + 1:02d}-10"))
    assert count() == few <= 8


def test_the_results_page_is_in_chinese_by_default(client, answered):
    html = client.get(results_url(answered, "zh-hans")).content.decode()
    assert "每月答对的比例" in html
