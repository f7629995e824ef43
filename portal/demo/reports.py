"""Demo consumer reports (社会监督), one in each status, so the triage listing and the status
page have something to show. Created only when there is no report at all, so a second
`load_demo` adds nothing and real reports are never mixed with demo ones."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from content.models import RiskWarningPage
from portal.registry.models import District, ProductBarcode
from portal.reports.models import ConsumerReport, ReportStatusChange

Status = ConsumerReport.Status
Problem = ConsumerReport.Problem

REPORTS = [
    {
        "product_text": "儿童保温杯 350ml（粉色卡通款）",
        "problem": Problem.HAZARD,
        "description": "杯盖的硅胶密封圈使用一周后脱落，孩子差点误吞，希望检查这批产品。",
        "purchase_place": "七宝万科广场某母婴店",
        "district": "minhang",
        "contact_name": "王小明",
        "contact_phone": "13812345678",
        "history": [Status.RECEIVED],
        "barcode": True,
    },
    {
        "product_text": "USB 暖手宝 5000mAh",
        "problem": Problem.HAZARD,
        "description": "充电约半小时后外壳明显变形发烫，有焦味，已停止使用。",
        "purchase_place": "某电商平台旗舰店",
        "contact_email": "li.na@example.invalid",
        "history": [Status.RECEIVED, Status.REVIEWING],
    },
    {
        "product_text": "磁力珠益智玩具（216 粒装）",
        "problem": Problem.LABELLING,
        "description": (
            "包装上没有“含有小零件，不适合3岁以下儿童”的警示语，孩子把两粒磁珠放进了嘴里。"
        ),
        "purchase_place": "松江区某文具玩具店",
        "district": "songjiang",
        "history": [Status.RECEIVED, Status.REVIEWING, Status.ANSWERED],
        "public_answer": (
            "您好，我局已对该店铺在售的磁性玩具开展检查，责令其下架警示标识不全的产品并整改。"
            "相关风险提示见本站风险警示《警惕磁性玩具小零件被儿童误吞》。感谢您的监督。"
        ),
        "warning": "magnetic-toys",
    },
    {
        "product_text": "一次性竹筷",
        "problem": Problem.DEFECT,
        "description": "筷子有明显霉点，同一包里多双如此。",
        "purchase_place": "某超市",
        "contact_name": "陈女士",
        "history": [Status.RECEIVED, Status.REVIEWING, Status.ANSWERED, Status.CLOSED],
        "public_answer": "经核查，该批次产品已由销售者全部下架，并已移交属地监管部门处理。",
    },
    {
        "product_text": "特价名牌手表",
        "problem": Problem.OTHER,
        "description": "点击链接领取优惠券 www.example.invalid",
        "history": [Status.RECEIVED, Status.SPAM],
    },
]


def build_reports(log: Callable[[str], None]) -> int:
    """Create the demo reports unless any report exists; returns how many were created."""
    if ConsumerReport.objects.exists():
        return 0
    barcode = ProductBarcode.objects.select_related("product__manufacturer").order_by("gtin")
    barcode = barcode.first()
    warnings = {
        page.slug: page
        for page in RiskWarningPage.objects.live().filter(
            locale__language_code=settings.LANGUAGE_CODE
        )
    }
    districts = {d.code: d for d in District.objects.all()}
    received = timezone.now() - datetime.timedelta(days=len(REPORTS) + 3)
    link = ""
    for n, spec in enumerate(REPORTS):
        fields = dict(spec)
        history = fields.pop("history")
        district = districts.get(fields.pop("district", ""))
        with_barcode = fields.pop("barcode", False)
        warning = warnings.get(fields.pop("warning", ""))
        report = ConsumerReport(
            **fields,
            district=district,
            status=history[-1],
            created_at=received + datetime.timedelta(days=n),
            warning=warning,
        )
        if with_barcode and barcode:
            report.gtin, report.product = barcode.gtin, barcode.product
            report.enterprise = barcode.product.manufacturer
        token = report.issue_token()
        report.save()
        ReportStatusChange.objects.bulk_create(
            ReportStatusChange(
                report=report,
                status=status,
                changed_at=report.created_at + datetime.timedelta(hours=6 * i),
            )
            for i, status in enumerate(history)
        )
        if report.status == Status.ANSWERED:
            link = reverse("reports:status", args=[token])
    log(f"Demo consumer reports: {len(REPORTS)} created; the answered one's private link: {link}")
    return len(REPORTS)
