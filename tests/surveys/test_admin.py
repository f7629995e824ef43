"""Editors build surveys in the Wagtail admin: ordered questions with nested answers, one of
them correct; an answered survey's questions and answers are frozen."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import RestrictedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.admin.panels import get_edit_handler

from portal.surveys.models import Answer, Option, Question, Survey, SurveyResponse
from tests.conftest import verified_login
from tests.factories import UserFactory

from .conftest import SurveyFactory, submit

pytestmark = pytest.mark.django_db


def form_data(form) -> dict:
    """What the browser posts back for an unchanged form, nested formsets included."""
    data = {form.add_prefix(name): form[name].value() for name in form.fields}
    for formset in getattr(form, "formsets", {}).values():
        management = formset.management_form
        data.update({management.add_prefix(k): management[k].value() for k in management.fields})
        for child in formset.forms:
            data.update(form_data(child))
    return {k: "" if v is None else v for k, v in data.items() if v is not False}


def bound_form(survey: Survey, user, **changes):
    form_class = get_edit_handler(Survey).get_form_class()
    data = {**form_data(form_class(instance=survey, for_user=user)), **changes}
    return form_class(data, instance=survey, for_user=user)


def new_survey_data(*questions) -> dict:
    """POST data of the admin's add form: each question is (text, [(answer, correct)])."""
    data = {
        "title": "电器安全常识调查",
        "slug": "appliance-safety",
        "intro": "共两题。",
        "opens_on": "2026-01-01",
        "closes_on": "",
        "published": "on",
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "1",
        "questions-MAX_NUM_FORMS": "20",
    }
    for q, (text, options) in enumerate(questions):
        prefix = f"questions-{q}"
        data.update(
            {
                f"{prefix}-text": text,
                f"{prefix}-explanation": "说明。",
                f"{prefix}-ORDER": str(q + 1),
                f"{prefix}-options-TOTAL_FORMS": str(len(options)),
                f"{prefix}-options-INITIAL_FORMS": "0",
                f"{prefix}-options-MIN_NUM_FORMS": "2",
                f"{prefix}-options-MAX_NUM_FORMS": "6",
            }
        )
        for o, (answer, correct) in enumerate(options):
            data[f"{prefix}-options-{o}-text"] = answer
            data[f"{prefix}-options-{o}-ORDER"] = str(o + 1)
            if correct:
                data[f"{prefix}-options-{o}-is_correct"] = "on"
    return data


@pytest.fixture
def editor(client):
    user = UserFactory(username="survey-editor", is_superuser=True, is_staff=True)
    verified_login(client, user)
    return user


def test_an_editor_builds_a_survey_with_ordered_questions_and_answers(client, editor):
    data = new_survey_data(
        ("电热水器最重要的安全措施是？", [("调到最高温", False), ("可靠接地并装漏电保护", True)]),
        ("CCC标志表示什么？", [("强制性产品认证", True), ("进口商品", False), ("质量奖", False)]),
    )
    response = client.post(reverse("wagtailsnippets_surveys_survey:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    survey = Survey.objects.get(slug="appliance-safety")
    assert [q.text for q in survey.questions.all()] == [
        "电热水器最重要的安全措施是？",
        "CCC标志表示什么？",
    ]
    assert [(o.text, o.is_correct) for o in survey.questions.first().options.all()] == [
        ("调到最高温", False),
        ("可靠接地并装漏电保护", True),
    ]


@pytest.mark.parametrize("correct", [(False, False), (True, True)])
def test_a_question_needs_exactly_one_correct_answer(client, editor, correct):
    data = new_survey_data(
        ("CCC标志表示什么？", [("强制性产品认证", correct[0]), ("进口商品", correct[1])])
    )
    response = client.post(reverse("wagtailsnippets_surveys_survey:add"), data)
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors().as_data()
    assert error.code == "one_correct_answer"
    assert "CCC标志表示什么？" in error.message % error.params
    assert "请且只能将一个选项标为正确答案" in response.content.decode()
    assert not Survey.objects.exists() and not Option.objects.exists()


def test_a_survey_cannot_close_before_it_opens(editor, survey):
    form = bound_form(survey, editor, opens_on="2026-05-01", closes_on="2026-04-30")
    assert not form.is_valid()
    assert "closes_on" in form.errors


def test_an_unanswered_survey_may_change_its_questions(editor, survey):
    assert bound_form(survey, editor, **{"questions-0-text": "改过的问题？"}).is_valid()


def test_an_answered_survey_keeps_its_questions_and_answers(editor, survey):
    submit(survey, [1, 0, 1])
    for change in (
        {"questions-0-text": "改过的问题？"},
        {"questions-0-options-0-is_correct": "on", "questions-0-options-1-is_correct": ""},
        {"questions-1-DELETE": "on"},
    ):
        form = bound_form(survey, editor, **change)
        assert not form.is_valid()
        assert form.non_field_errors().as_data()[0].code == "survey_answered"
    assert bound_form(
        survey, editor, title="新标题", published="", closes_on="2030-01-01"
    ).is_valid()


def test_deleting_a_survey_deletes_its_answers_but_an_answered_option_cannot_go_alone(survey):
    submit(survey, [1, 0, 1])
    with pytest.raises(RestrictedError):
        Option.objects.filter(answers__isnull=False).first().delete()
    survey.delete()
    assert not SurveyResponse.objects.exists() and not Answer.objects.exists()
    assert not Question.objects.exists()


def test_the_admin_list_counts_responses_without_a_query_per_survey(client, editor):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("wagtailsnippets_surveys_survey:list"))
        assert page.status_code == 200
        return len(queries)

    submit(SurveyFactory(), [0, 0, 1])
    one = count()
    for n in range(3):
        submit(SurveyFactory(), [n % 3, 0, 1])
    assert count() == one


def test_the_edit_page_shows_nested_questions_and_answers(client, editor, survey):
    edit = client.get(reverse("wagtailsnippets_surveys_survey:edit", args=[survey.pk]))
    assert edit.status_code == 200
    html = edit.content.decode()
    assert "7岁以下儿童服装的头颈部可以有绳带吗？" in html
    assert "只有冬装可以" in html
