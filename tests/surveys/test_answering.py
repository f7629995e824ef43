"""Answering a survey anonymously at /surveys/<slug>/: once per browser session, every bad
input refused with a clear message and nothing stored, the correct answers shown after."""

import datetime
import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import translation

from portal.surveys import forms, views
from portal.surveys.models import Answer, SurveyResponse

from .conftest import QUESTIONS, SurveyFactory, correct_positions, options_of

pytestmark = pytest.mark.django_db


def en(survey) -> str:
    with translation.override("en"):
        return survey.get_absolute_url()


def zh(survey) -> str:
    with translation.override("zh-hans"):
        return survey.get_absolute_url()


def stored() -> tuple[int, int]:
    return SurveyResponse.objects.count(), Answer.objects.count()


def test_the_form_is_one_labelled_radio_group_per_question(client, survey):
    page = client.get(zh(survey))
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")  # depends on this browser's cookie
    html = page.content.decode()
    assert html.count("<fieldset") == len(QUESTIONS)
    assert f"<legend>1. {QUESTIONS[0][0]}</legend>" in html
    option = options_of(survey)[0][1]
    radio = f'id="id_question-{option.question_id}_1"'
    assert radio in html
    assert f'<label for="id_question-{option.question_id}_1">{option.text}</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="token" value="' in html
    assert "answer-correct" not in html  # not before answering


def test_answers_are_stored_once_and_the_correct_ones_shown(client, survey, answer_form):
    data = answer_form(client, survey, [0, 0, 1])  # the first is wrong, the others right
    response = client.post(en(survey), data)
    assert response.status_code == 303
    assert response["Location"] == en(survey)
    assert stored() == (1, 3)
    submission = SurveyResponse.objects.get()
    assert {f.name for f in SurveyResponse._meta.concrete_fields} == {
        "id",
        "survey",
        "token",
        "submitted_at",
    }  # nothing personal
    cookie = response.cookies[views.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # gone with the browser session
    html = client.get(en(survey)).content.decode()
    assert "You answered 2 of 3 questions correctly." in html
    for _text, options, correct, explanation in QUESTIONS:
        assert f'<li class="answer-correct">{options[correct]} ' in html
        assert explanation in html
    assert f"<li>{QUESTIONS[0][1][0]} <strong>(your answer)</strong></li>" in html
    assert html.count("<strong>(correct answer)</strong>") == 3
    assert "<fieldset" not in html
    assert submission.token not in html  # the token stays in the signed cookie


def test_a_second_submission_in_the_same_browser_session_is_refused(client, survey, answer_form):
    data = answer_form(client, survey, correct_positions())
    client.post(en(survey), data)
    again = client.post(en(survey), {**data, "token": forms.new_token()})
    assert again.status_code == 409
    assert (
        "already answered in this browser session; it was not stored again"
        in again.content.decode()
    )
    assert stored() == (1, 3)


def test_the_same_form_sent_twice_is_stored_once_even_without_the_cookie(
    client, survey, answer_form
):
    data = answer_form(client, survey, correct_positions())
    assert client.post(en(survey), data).status_code == 303
    other_browser = Client()
    again = other_browser.post(en(survey), data)
    assert again.status_code == 409
    assert stored() == (1, 3)


def test_a_missing_answer_is_named_and_nothing_is_stored(client, survey, answer_form):
    data = answer_form(client, survey, [1, 0])  # no answer to the third question
    response = client.post(en(survey), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your answers were not sent" in html
    third = options_of(survey)[2][0].question_id
    link = f'<a href="#id_question-{third}_0">{QUESTIONS[2][0]}</a>'
    assert f"{link}: Choose an answer to this question." in html
    assert f'aria-describedby="id_question-{third}-error"' in html
    first = options_of(survey)[0][1]
    assert f'value="{first.pk}" id="id_question-{first.question_id}_1" checked' in html  # kept
    assert stored() == (0, 0)


@pytest.mark.parametrize(
    "wrong", ["other_question", "other_survey", "not_a_number", "huge", "script"]
)
def test_an_option_not_offered_for_the_question_is_refused(client, survey, answer_form, wrong):
    data = answer_form(client, survey, correct_positions())
    first = options_of(survey)[0][0].question_id
    data[f"question-{first}"] = {
        "other_question": str(options_of(survey)[1][0].pk),
        "other_survey": str(options_of(SurveyFactory())[0][1].pk),
        "not_a_number": "abc",
        "huge": "9" * 5000,
        "script": "<script>alert(1)</script>",
    }[wrong]
    response = client.post(en(survey), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose one of the answers offered for this question." in html
    assert "<script>alert(1)</script>" not in html
    assert "9" * 5000 not in html
    assert stored() == (0, 0)


def test_answers_to_another_surveys_questions_are_refused(client, survey, answer_form):
    data = answer_form(client, survey, correct_positions())
    other = options_of(SurveyFactory())[0][1]
    data[f"question-{other.question_id}"] = str(other.pk)
    response = client.post(en(survey), data)
    assert response.status_code == 400
    assert (
        "Some answers are for questions that are not in this survey." in response.content.decode()
    )
    assert stored() == (0, 0)


def test_a_changed_or_missing_token_is_refused_and_a_fresh_form_offered(
    client, survey, answer_form
):
    data = answer_form(client, survey, correct_positions())
    for token, message in [
        (data["token"] + "x", "This form was changed or does not come from this site."),
        (
            signing.dumps("abc", salt="another.salt"),
            "This form was changed or does not come from this site.",
        ),
        ("", "This form is incomplete. Reload the page."),
    ]:
        response = client.post(en(survey), {**data, "token": token})
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html
        fresh = re.search(r'name="token" value="([^"]+)"', html)[1]
        assert signing.loads(fresh, salt=forms.TOKEN_SALT)
    assert stored() == (0, 0)


def test_an_expired_form_is_refused(client, survey, answer_form, monkeypatch):
    data = answer_form(client, survey, correct_positions())
    later = time.time() + forms.TOKEN_MAX_AGE + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(en(survey), data)
    assert response.status_code == 400
    assert "This form is more than a day old." in response.content.decode()
    assert stored() == (0, 0)


def test_an_oversized_body_is_refused_before_it_is_read(client, survey, answer_form):
    data = answer_form(client, survey, correct_positions())
    data["padding"] = "x" * (views.MAX_BODY_BYTES + 1)
    response = client.post(en(survey), data)
    assert response.status_code == 413
    assert "far larger than this form" in response.content.decode()
    assert stored() == (0, 0)


def test_a_closed_survey_shows_why_and_stores_nothing(client, answer_form):
    survey = SurveyFactory()
    data = answer_form(client, survey, correct_positions())
    survey.closes_on = datetime.date.today() - datetime.timedelta(days=1)
    survey.save()
    html = client.get(en(survey)).content.decode()
    assert "This survey is closed: answers are no longer accepted." in html
    assert "<fieldset" not in html
    response = client.post(en(survey), data)
    assert response.status_code == 403
    assert "This survey is not open for answers." in response.content.decode()
    assert stored() == (0, 0)


def test_a_survey_not_yet_open_says_when_it_opens(client):
    survey = SurveyFactory(opens_on=datetime.date.today() + datetime.timedelta(days=3))
    html = client.get(en(survey)).content.decode()
    assert f"This survey opens on {survey.opens_on:%Y-%m-%d}." in html
    assert "<fieldset" not in html


def test_an_unpublished_survey_is_not_there(client, answer_form):
    survey = SurveyFactory(published=False)
    assert client.get(zh(survey)).status_code == 404
    assert client.post(zh(survey), {}).status_code == 404
    assert client.get(f"{zh(survey)}results/").status_code == 404


def test_submissions_are_rate_limited_per_address(survey, answer_form, settings):
    settings.SURVEY_RATE_LIMIT = "2/hour"
    for _ in range(2):
        browser = Client(REMOTE_ADDR="203.0.113.7")
        assert (
            browser.post(en(survey), answer_form(browser, survey, correct_positions())).status_code
            == 303
        )
    browser = Client(REMOTE_ADDR="203.0.113.7")
    limited = browser.post(en(survey), answer_form(browser, survey, correct_positions()))
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert "Too many answers were sent from your network." in limited.content.decode()
    assert SurveyResponse.objects.count() == 2
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert (
        elsewhere.post(en(survey), answer_form(elsewhere, survey, correct_positions())).status_code
        == 303
    )


def test_a_tampered_cookie_counts_as_no_cookie(client, survey, answer_form):
    client.cookies[views.COOKIE] = f"{survey.pk}:forged"
    page = client.get(en(survey)).content.decode()
    assert "<fieldset" in page
    assert (
        client.post(en(survey), answer_form(client, survey, correct_positions())).status_code == 303
    )


def test_the_page_is_in_chinese_by_default(client, survey, answer_form):
    html = client.get(zh(survey)).content.decode()
    assert "提交答案" in html
    client.post(zh(survey), answer_form(client, survey, correct_positions()))
    html = client.get(zh(survey)).content.decode()
    assert "（正确答案）" in html or "(正确答案)" in html


def test_the_list_shows_published_surveys_only(client, survey):
    hidden = SurveyFactory(published=False)
    html = client.get("/en/surveys/").content.decode()
    assert survey.title in html
    assert hidden.title not in html
    assert "Open" in html
