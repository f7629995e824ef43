"""factory_boy factories for the registry and spot checks, with valid identifiers."""

import hashlib

import factory
from django.contrib.auth import get_user_model
from stdnum import ean
from stdnum.cn import uscc

from portal.grading import models as grading
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


# --- Third-party grading --------------------------------------------------------------------


def valid_gtin(n: int) -> str:
    base = f"690{n:09d}"  # 12 digits, GS1 China prefix
    return base + ean.calc_check_digit(base)


class ProductBarcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = registry.ProductBarcode

    product = factory.SubFactory(ProductFactory, name="电热水壶", model_spec="SWF17E")
    gtin = factory.Sequence(valid_gtin)


class GraderOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = grading.GraderOrganisation
        django_get_or_create = ("name",)

    name = "上海市消费者权益保护委员会"
    cma_number = factory.Sequence(lambda n: f"2109{n:08d}")
    cnas_number = factory.Sequence(lambda n: f"CNAS L{n:04d}")
    contact_name = "王敏"
    contact_email = "grading@example.invalid"


class GradingSchemeFactory(factory.django.DjangoModelFactory):
    """小家电 scheme: safety 40 % (a safety item), performance 30 %, energy 20 %, labels 10 %;
    A+ ≥ 90, A ≥ 80, B ≥ 70, C ≥ 60, D; any safety item below 60 caps the grade at C."""

    class Meta:
        model = grading.GradingScheme
        django_get_or_create = ("code", "version")
        skip_postgeneration_save = True

    code = "small-appliance"
    version = 1
    name = "小家电综合质量评价"
    status = grading.GradingScheme.Status.ACTIVE
    method = "市场随机购样，依据GB 4706系列标准检测，四项加权计分。"

    @factory.post_generation
    def parts(self, create, extracted, **kwargs):
        if not create or self.criteria.exists():
            return
        for code, name, weight, safety in [
            ("safety", "电气安全", 40, True),
            ("performance", "使用性能", 30, False),
            ("energy", "能效", 20, False),
            ("labelling", "标识说明", 10, False),
        ]:
            grading.Criterion.objects.create(
                scheme=self, code=code, name=name, weight=weight, is_safety_item=safety
            )
        for label, minimum in [("A+", 90), ("A", 80), ("B", 70), ("C", 60), ("D", 0)]:
            grading.GradeBand.objects.create(scheme=self, label=label, min_score=minimum)
        grading.DowngradeRule.objects.create(scheme=self, below=60, cap="C")


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = grading.Submission

    organisation = factory.SubFactory(GraderOrganisationFactory)
    scheme = factory.SubFactory(GradingSchemeFactory)
    product = factory.SubFactory(ProductFactory, name="电热水壶")
    reference = factory.Sequence(lambda n: f"SH-CPC-2026-{n:04d}")
    tested_on = "2026-10-12"
    scores = {"safety": 95, "performance": 88, "energy": 90, "labelling": 80}
    overall_score = "90.4"
    grade = "A+"
    source = grading.Submission.Source.API
