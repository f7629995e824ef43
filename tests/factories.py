"""factory_boy factories for the registry and spot checks, with valid identifiers."""

import hashlib

import factory
from django.contrib.auth import get_user_model
from stdnum.cn import uscc

from portal.inspections import models as inspections
from portal.registry import models as registry


def valid_uscc(n: int) -> str:
    base = f"9131011{n:010d}"  # 17 characters: registration authority, type, region, number
    return base + uscc.calc_check_digit(base)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"editor{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("secret-password")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = registry.Enterprise

    name = factory.Sequence(lambda n: f"上海第{n}服饰有限公司")
    uscc = factory.Sequence(valid_uscc)
    district = factory.LazyFunction(lambda: registry.District.objects.get(code="minhang"))
    address = "上海市闵行区莘庄工业区申富路88号"
    supervision_class = registry.SupervisionClass.B


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = registry.Licence

    number = factory.Sequence(lambda n: f"XK16-204-{n:05d}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    product_unit = "电线电缆"
    issuer_level = registry.Licence.IssuerLevel.PROVINCIAL
    issued_on = factory.Faker("date_between", start_date="-5y", end_date="-1y")
    expires_on = factory.Faker("date_between", start_date="+1y", end_date="+5y")


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = registry.ProductCategory
        django_get_or_create = ("edition", "code")

    edition = "shanghai-2020"
    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"产品类别{n}")
    is_key = True


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = registry.Product

    name = "儿童连衣裙"
    brand = factory.Sequence(lambda n: f"童乐{n}")
    model_spec = "110cm"
    manufacturer = factory.SubFactory(EnterpriseFactory)


class InspectionAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = inspections.InspectionAgency

    name = factory.Sequence(lambda n: f"上海市质量监督检验技术研究院第{n}分院")


class SpotCheckBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = inspections.SpotCheckBatch

    notice_number = factory.Sequence(lambda n: f"沪市监质〔2019〕{n}号")
    title = "2019年上海市儿童服装产品质量监督抽查结果"
    authority = "上海市市场监督管理局"
    year = 2019
    status = inspections.SpotCheckBatch.Status.PUBLISHED
    version = 1


class SpotCheckResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = inspections.SpotCheckResult

    batch = factory.SubFactory(SpotCheckBatchFactory)
    sample_key = factory.Sequence(lambda n: hashlib.sha256(str(n).encode()).hexdigest())
    sample_name = "儿童连衣裙"
    producer_name = factory.LazyAttribute(lambda r: r.producer.name if r.producer else "")
    producer = factory.SubFactory(EnterpriseFactory)
    outcome = inspections.Outcome.PASS
    channel = inspections.Channel.RETAIL
