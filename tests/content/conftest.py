"""The demo site's pages (no registry rows), and helpers to add notices and warnings."""

import pytest
from django.core.management import call_command
from django.db import transaction

from content.models import (
    HomePage,
    NoticeIndexPage,
    RiskWarningPage,
    SpotCheckNoticePage,
    WarningHazard,
    WarningIndexPage,
)
from portal.inspections.models import FailedItem, Outcome
from tests.factories import SpotCheckBatchFactory, SpotCheckResultFactory
from tests.pages import original


@pytest.fixture(scope="module")
def demo_pages(django_db_setup, django_db_blocker):
    """The demo pages and their translations, built once per module (it takes seconds) in a
    transaction rolled back after the module; each test runs in a savepoint inside it
    (pytest-django's `db`), so every test still starts from the same untouched site."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--scale", "0")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def site(demo_pages, db):
    """Home, the five listings, the campaign, four warnings, three articles and five laws,
    in every language (see `content.locales`)."""
    return original(HomePage)


@pytest.fixture
def make_notice(site):
    def make(failed=2, passed=3, **batch_fields):
        batch = SpotCheckBatchFactory(
            standards_cited="GB 31701-2015《婴幼儿及儿童纺织产品安全技术规范》",
            follow_up="对不合格产品的生产企业，已责令其整改并组织复查。",
            declared_sampled=None,
            **batch_fields,
        )
        for n in range(failed):
            result = SpotCheckResultFactory(
                batch=batch, outcome=Outcome.FAIL, sample_name=f"女童连衣裙{n}"
            )
            FailedItem.objects.create(
                result=result,
                item="绳带要求",
                measured="有自由端",
                limit="不允许",
                is_safety_item=True,
            )
            FailedItem.objects.create(result=result, position=1, item="纤维含量")
        for n in range(passed):
            SpotCheckResultFactory(batch=batch, sample_name=f"男童衬衫{n}")
        page = SpotCheckNoticePage(
            title=batch.title, slug=f"notice-{batch.pk}", batch=batch, summary="抽查结果通告。"
        )
        original(NoticeIndexPage).add_child(instance=page)
        page.save_revision().publish()
        return page

    return make


@pytest.fixture
def make_warning(site):
    def make(title="关于儿童雨衣帽绳勒颈风险的消费提示", hazards=("strangulation",), **fields):
        page = RiskWarningPage(title=title, summary="帽绳过长，存在勒颈风险。", **fields)
        page.hazards = [WarningHazard(hazard=h) for h in hazards]
        original(WarningIndexPage).add_child(instance=page)
        page.save_revision().publish()
        return page

    return make
