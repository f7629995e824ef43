"""Grading fixtures: 上海市消费者权益保护委员会 grades 电热水壶 under the 小家电 scheme;
中国质量认证中心 is the other organisation whose records must stay out of reach."""

from __future__ import annotations

import pytest

from portal.grading.models import ApiToken
from tests.factories import (
    GraderOrganisationFactory,
    GradingSchemeFactory,
    ProductBarcodeFactory,
    UserFactory,
)


@pytest.fixture
def scheme():
    return GradingSchemeFactory()


@pytest.fixture
def council():
    return GraderOrganisationFactory(name="上海市消费者权益保护委员会")


@pytest.fixture
def cqc():
    return GraderOrganisationFactory(name="中国质量认证中心")


@pytest.fixture
def council_token(council) -> str:
    return ApiToken.issue(council, "批量接口")[1]


@pytest.fixture
def cqc_token(cqc) -> str:
    return ApiToken.issue(cqc, "认证中心接口")[1]


# Manufacturers without a district: the live-server tests flush the database, and grading
# does not depend on the districts that a data migration creates.
@pytest.fixture
def kettle():
    """电热水壶 with a barcode; its manufacturer has a credit code."""
    return ProductBarcodeFactory(
        product__brand="苏泊尔",
        product__model_spec="SWF17E",
        product__manufacturer__district=None,
    )


@pytest.fixture
def car_seat():
    return ProductBarcodeFactory(
        product__name="儿童安全座椅",
        product__brand="好孩子",
        product__model_spec="CS888",
        product__manufacturer__district=None,
    )


@pytest.fixture
def make_record(scheme, kettle):
    """An API record for the kettle that the scheme grades A+ (90.4), with overrides."""

    def make(**overrides) -> dict:
        return {
            "reference": "SH-CPC-2026-0001",
            "product": {"gtin": kettle.gtin},
            "scheme": scheme.code,
            "scheme_version": scheme.version,
            "tested_on": "2026-10-12",
            "report_number": "CPC-2026-电器-017",
            "scores": {"safety": 95, "performance": 88, "energy": 90, "labelling": 80},
            "overall_score": 90.4,
            "grade": "A+",
            "comment": "样品购自某电商平台旗舰店。",
            **overrides,
        }

    return make


@pytest.fixture
def grader_user(council):
    user = UserFactory(username="council-grader")
    council.users.add(user)
    return user
