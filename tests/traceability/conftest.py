"""A minimal site (home, warning and notice listings) and helpers for warnings and barcodes.

Built directly rather than with `load_demo`, which takes seconds: these tests need only the
pages they name.
"""

from __future__ import annotations

import itertools

import pytest
from stdnum import ean
from wagtail.models import Page, Site

from content.models import (
    AffectedProduct,
    HomePage,
    NoticeIndexPage,
    RiskWarningPage,
    WarningHazard,
    WarningIndexPage,
    WarningRelatedResult,
)

_slugs = itertools.count(1)


def gtin13(first12: str) -> str:
    return first12 + ean.calc_check_digit(first12)


@pytest.fixture
def home(db):
    home = Page.get_first_root_node().add_child(instance=HomePage(title="安心", slug="anxin"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "安心"},
    )
    return home


@pytest.fixture
def notices(home):
    return home.add_child(instance=NoticeIndexPage(title="抽查通告", slug="notices"))


@pytest.fixture
def make_warning(home):
    listing = home.add_child(instance=WarningIndexPage(title="风险警示", slug="warnings"))

    def make(title="关于儿童连帽衫绳带风险的消费警示", products=(), cites=(), live=True, **fields):
        page = RiskWarningPage(
            title=title, slug=f"warning-{next(_slugs)}", summary="存在勒颈风险。", **fields
        )
        page.hazards = [WarningHazard(hazard="strangulation")]
        page.affected_products = [AffectedProduct(**product) for product in products]
        page.related_results = [WarningRelatedResult(result=result) for result in cites]
        if not live:
            page.live = False
        listing.add_child(instance=page)
        if live:
            page.save_revision().publish()
        return page

    return make
