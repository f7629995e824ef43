"""Demo supervision data: an inspector pool, a drawn and a committed double-random draw, and
third-party capability assessments of key enterprises.

Each part is created only when it is missing, so a second `load_demo` adds nothing. The draws
go through `portal.supervision.draws` like real ones, with a fresh secret seed; the drawn one
is then dated back to June 2019, so the demo's later spot checks appear on its page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.registry.catalogue import SHANGHAI_2020
from portal.registry.models import District, Enterprise, ProductCategory
from portal.supervision import draws
from portal.supervision.models import CapabilityAssessment, Draw, Inspector

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Two inspectors in each of eight districts: every firm has at least 14 eligible inspectors.
INSPECTORS = (
    ("张伟", "31010119001", "huangpu"),
    ("王芳", "31010119002", "huangpu"),
    ("李娜", "31010419001", "xuhui"),
    ("刘洋", "31010419002", "xuhui"),
    ("陈静", "31010619001", "jingan"),
    ("杨帆", "31010619002", "jingan"),
    ("赵磊", "31011219001", "minhang"),
    ("黄敏", "31011219002", "minhang"),
    ("周杰", "31011519001", "pudong"),
    ("吴婷", "31011519002", "pudong"),
    ("徐斌", "31011719001", "songjiang"),
    ("孙丽", "31011719002", "songjiang"),
    ("马骏", "31011419001", "jiading"),
    ("朱莉", "31011419002", "jiading"),
    ("胡军", "31011319001", "baoshan"),
    ("郭燕", "31011319002", "baoshan"),
)

DRAWN = {
    "reference": "沪市监质双随机〔2019〕1号",
    "title": "2019年儿童和学生用品生产企业“双随机”监督检查",
    "description": (
        "依据《2019年上海市产品质量安全监督管理工作计划》，对本市儿童服装、学生用品、"
        "儿童玩具等重点产品生产企业开展“双随机、一公开”监督检查，按企业分类监管等级"
        "确定抽查比例。"
    ),
}
COMMITTED = {
    "reference": "沪市监质双随机〔2020〕1号",
    "title": "2020年儿童和老年用品生产企业“双随机”监督检查",
    "description": (
        "继续对儿童和学生用品生产企业开展“双随机”检查，并将老年用品纳入范围；"
        "同一检查人员不再检查其在上一轮抽中的企业。"
    ),
}
DRAWN_COMMITTED_AT = datetime(2019, 6, 3, 9, 30, tzinfo=SHANGHAI)
DRAWN_AT = datetime(2019, 6, 10, 10, 0, tzinfo=SHANGHAI)

BODIES = (
    "中国质量认证中心上海分中心",
    "上海市质量协会",
    "上海市标准化研究院",
    "上海质量管理科学研究院",
)
# (assessed on, years valid, score, level, summary)
ASSESSMENTS = (
    (
        date(2019, 9, 18),
        3,
        Decimal("92.5"),
        "A级",
        "企业建立了覆盖原料进货查验、生产过程控制和出厂检验的质量安全管理体系，"
        "关键工序记录完整，可追溯性良好。",
    ),
    (
        date(2020, 5, 26),
        3,
        Decimal("84.0"),
        "B级",
        "质量安全管理制度基本健全；出厂检验项目不全，建议补充安全项目的逐批检验。",
    ),
    (
        date(2025, 4, 15),
        3,
        Decimal("88.5"),
        "良好",
        "质量安全负责人履职到位，风险监测和不合格品处置流程运行有效；"
        "建议加强对外协加工环节的监督。",
    ),
    (
        date(2025, 11, 6),
        3,
        None,
        "优秀",
        "企业质量安全能力达到评估规范的最高等级，产品抽检连续三年合格。",
    ),
)
ASSESSED_FIRMS = 8


@transaction.atomic
def build_supervision(log: Callable[[str], None]) -> None:
    if not Enterprise.objects.exists():
        return
    pool = _inspectors()
    _draws(pool, log)
    _assessments(log)


def _inspectors() -> list[Inspector]:
    districts = {d.code: d for d in District.objects.all()}
    return [
        Inspector.objects.get_or_create(
            code=code, defaults={"name": name, "district": districts[district]}
        )[0]
        for name, code, district in INSPECTORS
    ]


def _draft(details: dict, pool: list[Inspector], flags: list[str], previous=None) -> Draw:
    draw = Draw.objects.create(**details, previous_draw=previous)
    categories = ProductCategory.objects.filter(edition=SHANGHAI_2020)
    for flag in flags:
        draw.categories.add(*categories.filter(**{flag: True}))
    draw.inspectors.set(pool)
    return draw


def _commit(details: dict, pool, flags: list[str], log, previous=None) -> Draw | None:
    """Create and commit a draw; None, and nothing kept, when its scope has no firm."""
    try:
        with transaction.atomic():
            return draws.commit(_draft(details, pool, flags, previous))
    except ValidationError as error:  # a very small --scale may leave a scope empty
        log(f"Demo draw {details['reference']} skipped: {' '.join(error.messages)}")
        return None


def _draws(pool: list[Inspector], log: Callable[[str], None]) -> None:
    drawn = Draw.objects.filter(reference=DRAWN["reference"]).first()
    if drawn is None and (committed := _commit(DRAWN, pool, ["for_children"], log)):
        drawn = draws.run(committed)
        Draw.objects.filter(pk=drawn.pk).update(committed_at=DRAWN_COMMITTED_AT, drawn_at=DRAWN_AT)
        log(f"Demo draw {drawn.reference}: {len(drawn.result['selected'])} firms drawn.")
    if drawn and not Draw.objects.filter(reference=COMMITTED["reference"]).exists():
        flags = ["for_children", "for_elderly"]
        if _commit(COMMITTED, pool, flags, log, previous=drawn):
            log(f"Demo draw {COMMITTED['reference']}: committed, to be drawn.")


def _assessments(log: Callable[[str], None]) -> None:
    if CapabilityAssessment.objects.exists():
        return
    firms = (
        Enterprise.objects.filter(supervision_class__in=["A", "B"], products__category__is_key=True)
        .distinct()
        .order_by("uscc")[:ASSESSED_FIRMS]
    )
    created = []
    for n, firm in enumerate(firms):
        category = firm.products.filter(category__isnull=False).values_list(
            "category__name", flat=True
        )[0]
        assessed_on, years, score, level, summary = ASSESSMENTS[n % len(ASSESSMENTS)]
        created.append(
            CapabilityAssessment(
                enterprise=firm,
                body=BODIES[n % len(BODIES)],
                assessed_on=assessed_on,
                scope=f"{category}生产过程质量安全控制能力",
                score=score,
                level=level,
                summary=summary,
                valid_until=assessed_on.replace(year=assessed_on.year + years) - timedelta(days=1),
            )
        )
    CapabilityAssessment.objects.bulk_create(created)
    log(f"Demo capability assessments: {len(created)}.")
