"""Review in the Wagtail admin, the public grades, the selectors and the re-index signal."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal.grading import review, selectors
from portal.grading.models import ApiToken, Submission
from portal.grading.signals import grade_changed
from tests.conftest import verified_login
from tests.factories import (
    ProductFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer():
    user = UserFactory(username="reviewer")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="grading", codename="change_submission"),
    )
    return user


@pytest.fixture
def record(council, scheme, kettle):
    return SubmissionFactory(
        organisation=council, scheme=scheme, product=kettle.product, comment="<b>样品</b>"
    )


@pytest.fixture
def changes():
    received = []

    def receiver(sender, product_ids, **kwargs):
        received.append(product_ids)

    grade_changed.connect(receiver)
    yield received
    grade_changed.disconnect(receiver)


def test_approval_publishes_the_grade_and_signals_reindexing(
    client, reviewer, record, changes, django_capture_on_commit_callbacks
):
    verified_login(client, reviewer)
    queue = client.get(reverse("grading_queue")).content.decode()
    assert record.reference in queue and "上海市消费者权益保护委员会" in queue
    page = client.get(reverse("grading_review", args=[record.pk])).content.decode()
    assert "90.4" in page and "&lt;b&gt;样品&lt;/b&gt;" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grading_review", args=[record.pk]), {"action": "approve"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.decided_by) == (Submission.Status.APPROVED, reviewer)
    assert changes == [[record.product_id]]
    assert selectors.current_grade(record.product) == record
    assert ModelLogEntry.objects.filter(action="grading.approve", user=reviewer).count() == 1


def test_rejection_needs_a_reason_the_grader_then_sees(client, reviewer, record, council_token):
    verified_login(client, reviewer)
    url = reverse("grading_review", args=[record.pk])
    client.post(url, {"action": "reject", "reason": "  "})
    record.refresh_from_db()
    assert record.status == Submission.Status.PENDING

    client.post(url, {"action": "reject", "reason": "检测报告\x00编号与CMA证书不符"})
    record.refresh_from_db()
    assert (record.status, record.decision_reason) == ("rejected", "检测报告编号与CMA证书不符")
    seen = client.get(
        f"/api/grading/v1/submissions/{record.pk}/",
        HTTP_AUTHORIZATION=f"Bearer {council_token}",
    ).json()
    assert seen["decision_reason"] == "检测报告编号与CMA证书不符"
    assert selectors.current_grade(record.product) is None


def test_review_needs_the_permission(client, record):
    user = UserFactory(username="no-review")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    verified_login(client, user)
    client.post(reverse("grading_review", args=[record.pk]), {"action": "approve"})
    record.refresh_from_db()
    assert record.status == Submission.Status.PENDING


def test_withdrawing_an_approved_grade_removes_it_and_signals(
    record, reviewer, changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review.approve(record, reviewer)
        review.withdraw(record, token_prefix="axg_test")
    assert changes == [[record.product_id], [record.product_id]]
    assert selectors.current_grade(record.product) is None


def test_manufacturer_response_is_shown_beside_the_grade(client, reviewer, record):
    review.approve(record, reviewer)
    verified_login(client, reviewer)
    client.post(
        reverse("grading_review", args=[record.pk]),
        {"action": "respond", "response": "我司已改进温控器<script>alert(1)</script>"},
    )
    page = client.get(reverse("grading:report", args=[record.scheme.code, 1])).content.decode()
    assert "电气安全" in page and "市场随机购样" in page  # criteria and method
    assert "A+" in page and "上海市消费者权益保护委员会" in page
    assert "我司已改进温控器&lt;script&gt;" in page and "<script>alert" not in page


def test_pending_grades_are_not_public(client, record):
    page = client.get(reverse("grading:report", args=[record.scheme.code, 1])).content.decode()
    assert record.reference not in page and "暂无审核通过的分级结果。" in page


def test_approved_grades_for_many_products_is_one_query(
    django_assert_num_queries, council, scheme, reviewer
):
    products = [ProductFactory(name="电热水壶") for _ in range(5)]
    for product in products:
        review.approve(SubmissionFactory(organisation=council, product=product), reviewer)
    ungraded = ProductFactory(name="儿童安全座椅")
    with django_assert_num_queries(1):
        grades = selectors.approved_grades_for([*products, ungraded])
        labels = {
            pk: [(g.grade, g.organisation.name, g.scheme.code) for g in v]
            for pk, v in grades.items()
        }
    assert labels[ungraded.pk] == []
    assert labels[products[0].pk] == [("A+", "上海市消费者权益保护委员会", "small-appliance")]
    assert list(selectors.grade_facets(product_id__in=[products[0].pk])) == [
        (products[0].pk, "small-appliance:A+", "A+")
    ]


def test_admin_tokens_issue_shows_the_secret_once_and_stores_a_hash(client, council):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    verified_login(client, admin)
    response = client.post(
        reverse("grading_tokens"), {"organisation": council.pk, "name": "年度批量"}
    )
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    page = response.content.decode()
    token = ApiToken.objects.get()
    secret = page.split("<code>")[1].split("</code>")[0]
    assert secret.startswith(token.prefix) and token.digest == ApiToken.digest_of(secret)
    assert secret not in client.get(reverse("grading_tokens")).content.decode()

    client.post(reverse("grading_tokens"), {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ModelLogEntry.objects.filter(action__startswith="grading.token_").count() == 2
