"""The demo survey `load_demo` adds: answered over months, so the results page has charts."""

import io

import pytest
from django.core.management import call_command

from portal.demo import surveys as demo
from portal.surveys import results
from portal.surveys.models import Answer, Survey, SurveyResponse

pytestmark = pytest.mark.django_db


def test_the_demo_survey_has_a_few_hundred_answers_over_months():
    survey = demo.build_survey(lambda line: None)
    assert survey.published and survey.is_open()
    assert SurveyResponse.objects.filter(survey=survey).count() == demo.SUBMISSIONS
    assert Answer.objects.count() == demo.SUBMISSIONS * len(demo.QUESTIONS)
    for question in survey.questions.prefetch_related("options"):
        assert sum(o.is_correct for o in question.options.all()) == 1
    months = results.by_month(survey)
    assert len(months) == demo.MONTHS
    assert all(month.answers for month in months)
    # Awareness grows over the campaign.
    assert months[-1].share_correct > months[0].share_correct


def test_the_demo_survey_is_made_once():
    demo.build_survey(lambda line: None)
    assert demo.build_survey(lambda line: None) is None
    assert Survey.objects.count() == 1


def test_load_demo_adds_it(db):
    out = io.StringIO()
    call_command("load_demo", "--scale", "0", stdout=out)
    assert Survey.objects.filter(slug=demo.SLUG).exists()
    assert f"Demo survey: {demo.SUBMISSIONS} submissions" in out.getvalue()
