"""factory_boy factories for inspectors, draws and capability assessments."""

from datetime import date

import factory

from portal.registry.models import District
from portal.supervision import models
from tests.factories import EnterpriseFactory, ProductCategoryFactory


class InspectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Inspector
        django_get_or_create = ("code",)

    name = factory.Iterator(["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆"])
    code = factory.Sequence(lambda n: f"310119{n:05d}")
    district = factory.LazyFunction(lambda: District.objects.get(code="pudong"))


class DrawFactory(factory.django.DjangoModelFactory):
    """A draft; pass `categories=[…]` and `inspectors=[…]` to set its scope and pool."""

    class Meta:
        model = models.Draw
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"沪市监质双随机〔2019〕{n + 1}号")
    title = "2019年儿童用品生产企业“双随机”监督检查"

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create:
            self.categories.set(extracted or [ProductCategoryFactory()])

    @factory.post_generation
    def inspectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.inspectors.set(extracted)


class CapabilityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CapabilityAssessment

    enterprise = factory.SubFactory(EnterpriseFactory)
    body = "上海市质量协会"
    assessed_on = date(2025, 4, 15)
    scope = "儿童服装生产过程质量安全控制能力"
    score = "88.5"
    level = "良好"
    summary = "质量安全管理制度健全，关键工序记录完整。"
    valid_until = date(2028, 4, 14)
