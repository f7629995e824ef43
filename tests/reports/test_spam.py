"""Spam defences without third-party services: honeypot, question, fill time, replays,
duplicates and a per-address rate limit. Each refusal says why and stores nothing."""

from __future__ import annotations

import base64
import json
import time

import pytest
from django.core import signing

from portal.core import ratelimit
from portal.reports import challenge
from portal.reports.models import ConsumerReport

pytestmark = pytest.mark.django_db

NEW = "/reports/new/"


def refused(response, message: str) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert ConsumerReport.objects.count() == 0
    return html


def test_a_filled_honeypot_is_refused(client, report_data):
    refused(client.post(NEW, report_data(website="http://spam.example")), "此栏必须留空。")


def test_a_wrong_answer_is_refused(client, report_data):
    data = report_data()
    data["answer"] = str(challenge.read(data["challenge"]).answer + 1)
    refused(client.post(NEW, data), "答案不正确。")


@pytest.mark.parametrize(("typed", "expected"), [("12", 12), ("１２", 12), (" 十二 ", 12)])
def test_answers_in_full_width_digits_or_chinese_numerals_count(typed, expected):
    assert challenge.parse_answer(typed) == expected
    assert challenge.parse_answer("twelve") is None


def test_a_form_sent_at_once_is_refused_until_people_could_have_read_it(client, report_data):
    question = challenge.issue()  # shown just now
    data = report_data(challenge=question.token, answer=str(question.answer))
    html = refused(client.post(NEW, data), "表单提交得太快了")
    assert question.token in html  # the same question: once time has passed it will do


def test_an_expired_question_is_replaced(client, report_data):
    old = challenge.issue(now=time.time() - challenge.MAX_AGE - 60)
    html = refused(
        client.post(NEW, report_data(challenge=old.token, answer=str(old.answer))),
        "这道题已过期，请回答新的题目。",
    )
    assert old.token not in html


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-token",
        signing.dumps([1, 1, True, "n0nce", int(time.time()) - 60], salt="another-salt"),
        signing.dumps(["x", None], salt=challenge.SALT),
        challenge._cipher().encrypt(b'["x", null]').decode(),
        "句子",
    ],
)
def test_a_missing_forged_or_malformed_question_is_refused(client, report_data, token):
    refused(client.post(NEW, report_data(challenge=token, answer="2")), "无法核对这道题")


def test_the_token_does_not_reveal_the_operands():
    """A signed token is only base64: a bot decodes it and answers. This one is encrypted."""
    question = challenge.issue()
    decoded = base64.urlsafe_b64decode(question.token + "==")
    assert question.nonce.encode() not in decoded
    assert json.dumps([question.a, question.b]).encode()[1:-1] not in decoded
    with pytest.raises(signing.BadSignature):
        signing.loads(question.token, salt=challenge.SALT)
    assert challenge.read(question.token).answer == question.answer


def test_a_solved_question_cannot_be_replayed_with_another_report(client, report_data):
    first = report_data()
    assert client.post(NEW, first).status_code == 303
    replay = {**first, "description": "另一份内容，用同一道题再发一次。"}
    html = client.post(NEW, replay).content.decode()
    assert "这道题已经回答过，请回答新的题目。" in html
    assert first["challenge"] not in html
    assert ConsumerReport.objects.count() == 1


def test_a_double_click_stores_one_report_and_still_shows_its_link(client, report_data):
    data = report_data()
    first = client.post(NEW, data)
    second = client.post(NEW, data)  # the browser never followed the first redirect
    assert first.status_code == second.status_code == 303
    assert ConsumerReport.objects.count() == 1
    html = client.get(second["Location"]).content.decode()
    assert "您已经提交过这份举报，本次未重复保存。" in html
    assert "/reports/status/" in html


def test_the_same_report_sent_again_later_is_not_stored_twice(client, report_data):
    client.post(NEW, report_data())
    client.get("/reports/thanks/")
    again = client.post(NEW, report_data())  # a new question, the same report
    assert again.status_code == 303
    assert ConsumerReport.objects.count() == 1
    html = client.get(again["Location"]).content.decode()
    assert "本次未重复保存" in html and "/reports/status/" not in html


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_a_flood_from_one_address_is_stopped_with_429(
    client, report_data, settings, request, backend
):
    if backend == "redis":  # production's cache: one count for every web process
        request.getfixturevalue("redis_cache")
    settings.REPORTS_RATE_LIMIT = "2/hour"
    for n in range(2):
        response = client.post(NEW, report_data(description=f"第{n}份"), REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 303
    limited = client.post(NEW, report_data(description="第三份"), REMOTE_ADDR="10.0.0.7")
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 3600
    html = limited.content.decode()
    assert "您的网络地址提交举报次数过多" in html
    assert "第三份" in html  # what was typed is kept
    assert ConsumerReport.objects.count() == 2
    other = client.post(NEW, report_data(description="另一地址"), REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 303


def test_one_ipv6_subscriber_counts_as_one_address(client, report_data, settings):
    settings.REPORTS_RATE_LIMIT = "1/hour"
    client.post(NEW, report_data(), REMOTE_ADDR="2001:db8:1:2::10")
    response = client.post(
        NEW, report_data(description="换一个地址"), REMOTE_ADDR="2001:db8:1:2::99"
    )
    assert response.status_code == 429
    assert ConsumerReport.objects.count() == 1


def test_x_forwarded_for_counts_only_behind_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(request) == "10.1.1.1"  # a client may send any header
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_ip(request) == "203.0.113.9"  # what our proxy appended
    settings.TRUSTED_PROXY_COUNT = 3
    assert ratelimit.client_ip(request) == "10.1.1.1"  # fewer hops than proxies: not trusted
