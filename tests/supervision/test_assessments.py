"""Third-party capability assessments: entered in the admin with checked input, shown on the
enterprise profile without extra queries per assessment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document

from portal.registry.models import District
from portal.supervision.models import CapabilityAssessment
from tests.conftest import verified_login
from tests.factories import EnterpriseFactory, UserFactory
from tests.supervision.factories import CapabilityAssessmentFactory

pytestmark = pytest.mark.django_db

ASSESSMENTS = "wagtailsnippets_supervision_capabilityassessment"


def editor(districts=()):
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            codename__in=["add_capabilityassessment", "view_capabilityassessment"]
        ),
    )
    for code in districts:
        District.objects.get(code=code).editors.add(user)
    return user


@pytest.fixture
def firm():
    return EnterpriseFactory(name="上海童乐服饰有限公司", supervision_class="A")


def form_data(firm, **changes):
    data = {
        "enterprise": firm.pk,
        "body": "上海市质量协会",
        "assessed_on": "2025-04-15",
        "valid_until": "2028-04-14",
        "scope": "儿童服装生产过程质量安全控制能力",
        "score": "88.5",
        "level": "良好",
        "summary": "质量安全管理制度健全，关键工序记录完整。",
        "report": "",
    }
    return data | changes


def test_an_editor_records_an_assessment(client, firm):
    verified_login(client, editor())
    response = client.post(reverse(f"{ASSESSMENTS}:add"), form_data(firm))
    assert response.status_code == 302
    assessment = CapabilityAssessment.objects.get()
    assert assessment.enterprise == firm and str(assessment.score) == "88.5"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"body": "协" * 201}, "body"),
        ({"scope": "范围" * 251}, "scope"),
        ({"summary": "评估<script>alert(1)</script>"}, "summary"),
        ({"level": '<a href="javascript:alert(1)">A</a>'}, "level"),
        ({"score": "150"}, "score"),
        ({"score": "八十"}, "score"),
        ({"score": "", "level": ""}, "level"),
        ({"assessed_on": "2025-13-45"}, "assessed_on"),
        ({"assessed_on": str(date.today() + timedelta(days=30))}, "assessed_on"),
        ({"valid_until": "2024-01-01"}, "valid_until"),
        ({"enterprise": "abc"}, "enterprise"),
        ({"enterprise": ""}, "enterprise"),
        ({"report": "abc"}, "report"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, firm, changes, field):
    verified_login(client, editor())
    response = client.post(reverse(f"{ASSESSMENTS}:add"), form_data(firm, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert not CapabilityAssessment.objects.exists()


def test_the_profile_shows_assessments_with_their_report(client, firm):
    report = Document.objects.create(
        title="2025年质量安全能力评估报告", file=ContentFile(b"%PDF-1.4", name="report.pdf")
    )
    CapabilityAssessmentFactory(enterprise=firm, report=report)
    CapabilityAssessmentFactory(
        enterprise=firm,
        body="中国质量认证中心上海分中心",
        assessed_on=date(2019, 9, 18),
        valid_until=date(2022, 9, 17),
        score=None,
        level="A级",
    )
    html = client.get(reverse("registry:enterprise", args=[firm.pk])).content.decode()
    assert "上海市质量协会" in html and "88.5" in html and "良好" in html
    assert report.url in html and "2025年质量安全能力评估报告" in html
    assert "中国质量认证中心上海分中心" in html and "A级" in html
    assert html.index("上海市质量协会") < html.index("中国质量认证中心上海分中心")  # newest first
    assert "2022年9月17日" in html and 'id="assessments-title"' in html


def test_the_section_is_left_out_without_assessments(client, firm):
    html = client.get(reverse("registry:enterprise", args=[firm.pk])).content.decode()
    assert 'id="assessments-title"' not in html


def test_an_expired_assessment_says_so(firm):
    yesterday = timezone.localdate() - timedelta(days=1)
    assert CapabilityAssessmentFactory(enterprise=firm, valid_until=yesterday).expired
    assert not CapabilityAssessmentFactory(enterprise=firm, valid_until=None).expired


def test_more_assessments_need_no_more_queries(client, firm):
    url = reverse("registry:enterprise", args=[firm.pk])
    CapabilityAssessmentFactory(enterprise=firm)
    client.get(url)  # the main navigation is read once, then cached
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        report = Document.objects.create(
            title=f"报告{n}", file=ContentFile(b"%PDF-1.4", name=f"r{n}.pdf")
        )
        CapabilityAssessmentFactory(enterprise=firm, report=report)
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(one)


def test_district_editors_see_their_districts_assessments_only(client):
    minhang = CapabilityAssessmentFactory(enterprise=EnterpriseFactory(name="上海闵行童装有限公司"))
    CapabilityAssessmentFactory(
        enterprise=EnterpriseFactory(
            name="上海松江书包有限公司", district=District.objects.get(code="songjiang")
        )
    )
    verified_login(client, editor(districts=["minhang"]))
    html = client.get(reverse(f"{ASSESSMENTS}:list")).content.decode()
    assert minhang.enterprise.name in html and "上海松江书包有限公司" not in html
