"""The grader portal: sign-in, own records only, tokens, CSV upload judged like the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from portal.core.second_factor import issue_recovery_codes
from portal.grading.models import ApiToken, Submission
from tests.conftest import verified_login
from tests.factories import SubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The portal in English (/en/grader/…), so messages are asserted in one language."""
    with translation.override("en"):
        yield


HEADER = (
    "reference,gtin,credit_code,brand,model,scheme,scheme_version,tested_on,report_number,"
    "overall_score,grade,comment,score:safety,score:performance,score:energy,score:labelling\n"
)


def csv_upload(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("分级结果.csv", text.encode(encoding), "text/csv")


@pytest.fixture
def signed_in(client, grader_user):
    verified_login(client, grader_user)
    return client


def test_the_portal_needs_a_grader_account(client):
    assert client.get(reverse("grader:submissions")).url.startswith(reverse("grader:login"))
    verified_login(client, UserFactory(username="citizen"))
    assert client.get(reverse("grader:submissions")).status_code == 403


def test_a_grader_signs_in_with_a_password_and_a_second_factor(client, grader_user):
    code = issue_recovery_codes(grader_user)[0]
    submissions = reverse("grader:submissions")  # /en/grader/; later pages switch the language
    response = client.post(
        reverse("grader:login"), {"username": "council-grader", "password": "secret-password"}
    )
    assert response.url == submissions
    second_step = client.get(submissions).url
    assert second_step.startswith(reverse("second_factor:verify"))
    response = client.post(second_step, {"code": code})
    assert response.url == submissions  # back to the English portal
    assert "上海市消费者权益保护委员会" in client.get(submissions).content.decode()


def test_a_grader_sees_only_its_organisations_records(signed_in, council, cqc, scheme):
    SubmissionFactory(
        organisation=council, reference="SH-CPC-2026-0007", status="rejected",
        decision_reason="缺少检测报告",
    )  # fmt: skip
    SubmissionFactory(organisation=cqc, reference="CQC-2026-0001")
    page = signed_in.get(reverse("grader:submissions")).content.decode()
    assert "SH-CPC-2026-0007" in page and "缺少检测报告" in page
    assert "CQC-2026-0001" not in page


def test_a_grader_cannot_withdraw_another_organisations_record(signed_in, cqc):
    theirs = SubmissionFactory(organisation=cqc, reference="CQC-2026-0002")
    assert signed_in.post(reverse("grader:withdraw", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Submission.Status.PENDING


def test_a_grader_withdraws_its_own_record(signed_in, council):
    own = SubmissionFactory(organisation=council)
    signed_in.post(reverse("grader:withdraw", args=[own.pk]))
    own.refresh_from_db()
    assert own.status == Submission.Status.WITHDRAWN


def test_tokens_are_issued_once_and_revoked_only_within_the_organisation(signed_in, council, cqc):
    response = signed_in.post(reverse("grader:tokens"), {"name": "实验室系统"})
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    page = response.content.decode()
    token = ApiToken.objects.get(organisation=council)
    assert token.prefix in page and "cannot be shown again" in page

    theirs, _ = ApiToken.issue(cqc, "认证中心接口")
    assert signed_in.post(reverse("grader:revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active

    signed_in.post(reverse("grader:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert not token.is_active


def test_csv_upload_accepts_valid_rows_and_lists_invalid_ones(signed_in, scheme, kettle, car_seat):
    maker = car_seat.product.manufacturer.uscc
    text = HEADER + (
        f"SH-CPC-2026-0101,{kettle.gtin},,,,small-appliance,1,2026-10-12,R1,90.4,A+,正常,"
        "95,88,90,80\n"
        f"SH-CPC-2026-0102,,{maker},好孩子,CS888,small-appliance,1,2026-10-12,R2,79.0,B,"
        "安全项不合格,55,95,95,95\n"
        "SH-CPC-2026-0103,6900000000000,,,,small-appliance,1,2026-13-01,R3,90.4,A+,,95,88,90,80\n"
    )
    response = signed_in.post(reverse("grader:upload"), {"file": csv_upload(text, "gb18030")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 accepted, 2 rejected." in page
    assert "grade_mismatch" in page and "expected C" in page  # line 3: safety caps at C
    assert "tested_on" in page  # line 4: no 13th month
    stored = Submission.objects.get()
    assert (stored.reference, stored.source, stored.submitted_by.username) == (
        "SH-CPC-2026-0101",
        "csv",
        "council-grader",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("reference,gtin\nA,1\n", "Missing columns"),
        (HEADER, "The file has no rows."),
        (b"\xff\xfe\x00\x81", "neither UTF-8 nor GB18030"),
    ],
)
def test_a_file_that_is_not_a_grade_table_is_refused_whole(signed_in, content, message):
    upload = SimpleUploadedFile(
        "x.csv", content if isinstance(content, bytes) else content.encode()
    )
    response = signed_in.post(reverse("grader:upload"), {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Submission.objects.count() == 0
