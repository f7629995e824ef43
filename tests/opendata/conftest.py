"""Open data: the demo site (pages in every language) and, for the API tests, rows of every
dataset, published and not, built once per module."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from content.models import (
    AffectedProduct,
    NoticeIndexPage,
    RiskWarningPage,
    SpotCheckNoticePage,
    WarningHazard,
    WarningIndexPage,
    WarningRelatedResult,
)
from portal.grading.models import Submission
from portal.inspections.models import FailedItem, Outcome, SpotCheckBatch
from portal.registry.models import CreditFlag, District, LicenceStatus
from tests.content.conftest import demo_pages  # noqa: F401 (a fixture)
from tests.factories import (
    EnterpriseFactory,
    LicenceFactory,
    ProductBarcodeFactory,
    ProductCategoryFactory,
    ProductFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
    SubmissionFactory,
    valid_gtin,
)
from tests.pages import original

Status = SpotCheckBatch.Status


def publish(parent_model, page):
    original(parent_model).add_child(instance=page)
    page.save_revision().publish()
    return page


def _build_api_rows() -> SimpleNamespace:
    """Two of everything citizens may see, and one of each kind they may not."""
    rows = SimpleNamespace()
    pudong = District.objects.get(code="pudong")
    rows.children = ProductCategoryFactory(code="API-01", name="儿童用品")
    rows.clothing = ProductCategoryFactory(code="API-0101", name="儿童服装", parent=rows.children)
    rows.appliances = ProductCategoryFactory(code="API-02", name="家用电器", is_key=False)

    rows.tongle = EnterpriseFactory(name="上海童乐服饰有限公司")
    rows.dianqi = EnterpriseFactory(name="上海浦江电器有限公司", district=pudong)
    CreditFlag.objects.create(
        enterprise=rows.dianqi,
        kind=CreditFlag.Kind.PENALTY,
        since=datetime.date(2020, 3, 1),
        source="上海市浦东新区市场监督管理局",
    )
    rows.licence = LicenceFactory(
        enterprise=rows.tongle, issued_on=datetime.date(2018, 5, 1), product_unit="童装"
    )
    rows.revoked = LicenceFactory(enterprise=rows.dianqi, issued_on=datetime.date(2016, 1, 4))
    rows.revoked.change_status(LicenceStatus.REVOKED, datetime.date(2020, 4, 1), "抽查不合格")

    rows.dress = ProductFactory(name="女童连衣裙", manufacturer=rows.tongle, category=rows.clothing)
    rows.kettle = ProductFactory(
        name="电热水壶", brand="浦江", manufacturer=rows.dianqi, category=rows.appliances
    )
    rows.kettle_barcode = ProductBarcodeFactory(product=rows.kettle, gtin=valid_gtin(4242))

    rows.published = SpotCheckBatchFactory(
        title="2019年上海市儿童服装产品质量监督抽查",
        category=rows.clothing,
        published_on=datetime.date(2019, 6, 12),
    )
    rows.corrected = SpotCheckBatchFactory(
        title="2020年上海市电热水壶产品质量监督抽查",
        category=rows.appliances,
        year=2020,
        published_on=datetime.date(2020, 9, 1),
        status=Status.CORRECTED,
        version=2,
        district=pudong,
        level=SpotCheckBatch.Level.DISTRICT,
    )
    rows.draft = SpotCheckBatchFactory(title="草稿：尚未发布的抽查", status=Status.DRAFT)
    rows.withdrawn = SpotCheckBatchFactory(title="已撤回的抽查", status=Status.WITHDRAWN)

    rows.failed = SpotCheckResultFactory(
        batch=rows.published,
        sample_name="女童连衣裙",
        producer=rows.tongle,
        product=rows.dress,
        category=rows.clothing,
        outcome=Outcome.FAIL,
    )
    FailedItem.objects.create(
        result=rows.failed,
        item="绳带要求",
        measured="有自由端",
        limit="不允许",
        is_safety_item=True,
    )
    FailedItem.objects.create(result=rows.failed, position=1, item="纤维含量", measured="65%")
    rows.passed = SpotCheckResultFactory(
        batch=rows.corrected,
        sample_name="电热水壶",
        producer=rows.dianqi,
        product=rows.kettle,
        category=rows.appliances,
    )
    rows.removed = SpotCheckResultFactory(
        batch=rows.corrected, sample_name="被更正删除的样品", removed_in_version=2
    )
    rows.draft_result = SpotCheckResultFactory(batch=rows.draft, sample_name="草稿样品")
    rows.withdrawn_result = SpotCheckResultFactory(batch=rows.withdrawn, sample_name="撤回样品")

    rows.notice = publish(
        NoticeIndexPage,
        SpotCheckNoticePage(
            title=rows.published.title, slug="api-notice", batch=rows.published, summary="通告"
        ),
    )

    warning = RiskWarningPage(
        title="关于浦江电热水壶漏电风险的警示",
        slug="api-kettle",
        summary="部分批次电热水壶存在漏电风险。",
        category=rows.appliances,
        risk_level="high",
    )
    warning.hazards = [WarningHazard(hazard="electric_shock")]
    warning.affected_products = [
        AffectedProduct(name="电热水壶", brand="浦江", gtin="0" + rows.kettle_barcode.gtin)
    ]
    warning.related_results = [
        WarningRelatedResult(result=rows.passed),
        WarningRelatedResult(result=rows.draft_result),
    ]
    rows.warning = publish(WarningIndexPage, warning)
    rows.unpublished_warning = publish(
        WarningIndexPage,
        RiskWarningPage(title="已撤下的警示", slug="api-unpublished", summary="撤下"),
    )
    rows.unpublished_warning.unpublish()
    draft = RiskWarningPage(title="草稿警示", slug="api-draft", summary="草稿", live=False)
    original(WarningIndexPage).add_child(instance=draft)
    rows.draft_warning = draft

    approved = {"status": Submission.Status.APPROVED, "decided_at": timezone.now()}
    rows.grade = SubmissionFactory(product=rows.kettle, **approved)
    rows.other_grade = SubmissionFactory(product=rows.kettle, grade="A", **approved)
    rows.pending_grade = SubmissionFactory(product=rows.kettle)
    rows.withdrawn_grade = SubmissionFactory(
        product=rows.kettle, status=Submission.Status.WITHDRAWN
    )
    rows.rejected_grade = SubmissionFactory(
        product=rows.kettle, status=Submission.Status.REJECTED, decision_reason="分数不符"
    )
    return rows


@pytest.fixture(scope="module")
def api_rows_module(demo_pages, django_db_blocker):  # noqa: F811
    """The rows of `_build_api_rows`, in a transaction rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_api_rows()
        transaction.set_rollback(True)


@pytest.fixture
def api_rows(api_rows_module, db):
    """Rows of every dataset, published and not; each test's own changes are rolled back."""
    return api_rows_module


@pytest.fixture
def api_get(client):
    """GET an API address and return the response, decoded JSON in `.data` when there is one."""

    def get(path: str, **params):
        headers = params.pop("headers", {})
        response = client.get(path, params, headers=headers)
        response.data = response.json() if response.content else None
        return response

    return get
