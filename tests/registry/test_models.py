from datetime import date

import pytest

from portal.registry.models import Enterprise, LicenceStatus, Product
from tests.factories import EnterpriseFactory, LicenceFactory

pytestmark = pytest.mark.django_db


def test_licence_status_changes_keep_their_history():
    licence = LicenceFactory()
    licence.change_status(LicenceStatus.SUSPENDED, date(2019, 3, 1), "监督抽查不合格，责令整改")
    licence.change_status(LicenceStatus.REVOKED, date(2019, 6, 1), "整改后复查仍不合格")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    assert [(c.status, c.changed_on, c.reason) for c in licence.status_history.all()] == [
        ("revoked", date(2019, 6, 1), "整改后复查仍不合格"),
        ("suspended", date(2019, 3, 1), "监督抽查不合格，责令整改"),
    ]


def test_enterprise_names_fold_for_matching():
    enterprise = EnterpriseFactory(
        name="上海（童樂）服飾有限公司", uscc="９１３１０１１５ｍａ１ｈ７ｕ４ｃ０ａ"
    )
    enterprise.refresh_from_db()
    assert enterprise.name_folded == "上海(童乐)服饰有限公司"
    assert enterprise.uscc == "91310115MA1H7U4C0A"
    assert Enterprise.objects.get(name_folded="上海(童乐)服饰有限公司") == enterprise


def test_enterprise_without_credit_code_stores_null_so_many_can_lack_one():
    EnterpriseFactory(uscc="")
    EnterpriseFactory(uscc="")
    assert Enterprise.objects.filter(uscc__isnull=True).count() == 2


def test_product_identity_ignores_spelling_variants():
    maker = EnterpriseFactory()
    product = Product.objects.create(
        name="兒童連衣裙", brand="ＴＯＮＧＬＥ", model_spec="110 cm", manufacturer=maker
    )
    assert product.identity == Product.identity_for(maker.pk, "儿童连衣裙", "tongle", "110cm")
