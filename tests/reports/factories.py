"""factory_boy factories for consumer reports, and photo files made with Pillow."""

from __future__ import annotations

import io
import secrets

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from portal.reports.models import ConsumerReport, ReportPhoto, ReportStatusChange
from portal.reports.storage import private_storage

GPS_IFD = 0x8825


def photo_bytes(fmt="JPEG", size=(640, 480), mode="RGB", gps=False, **save) -> bytes:
    """An image file; with `gps`, EXIF that places it on the Bund (31.24 N, 121.49 E)."""
    color = {"RGBA": (200, 30, 30, 128), "1": 0}.get(mode, (200, 30, 30))
    image = Image.new(mode, size, color)
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # make
        exif[0x0112] = 1  # orientation
        exif[GPS_IFD] = {1: "N", 2: (31.0, 14.0, 24.0), 3: "E", 4: (121.0, 29.0, 24.0)}
        save["exif"] = exif
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


class ReportStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportStatusChange

    status = ConsumerReport.Status.RECEIVED


class ConsumerReportFactory(factory.django.DjangoModelFactory):
    """A report of a children's vacuum cup whose lid came off; pass `token` to know its link."""

    class Meta:
        model = ConsumerReport
        skip_postgeneration_save = True

    class Params:
        token = factory.LazyFunction(lambda: secrets.token_urlsafe(24))

    product_text = "贝乐儿童保温杯 350ml"
    problem = ConsumerReport.Problem.HAZARD
    description = "杯盖的硅胶密封圈使用一周后脱落，孩子差点误吞。"
    purchase_place = "上海市闵行区七宝万科广场某母婴店"
    contact_name = "王小明"
    contact_phone = "13812345678"
    contact_email = "wang.xiaoming@example.invalid"
    token_digest = factory.LazyAttribute(lambda o: ConsumerReport.digest_of(o.token))
    created_at = factory.LazyFunction(timezone.now)
    received = factory.RelatedFactory(
        ReportStatusChangeFactory,
        factory_related_name="report",
        changed_at=factory.SelfAttribute("..created_at"),
    )


class ReportPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportPhoto

    report = factory.SubFactory(ConsumerReportFactory)
    file = factory.LazyFunction(
        lambda: private_storage.save(
            f"photos/{secrets.token_hex(16)}.jpg", ContentFile(photo_bytes())
        )
    )
    content_type = "image/jpeg"
    width = 640
    height = 480
