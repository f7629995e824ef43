"""The demo's awareness survey (知晓度调查, plan item 18): six questions on product safety
and a few hundred anonymous submissions spread over the eight months before the current one,
seeded, so `make run` shows the quiz open and a results page with charts. Created only when
its address is missing, so running `load_demo` again adds nothing."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from portal.surveys.models import Answer, Option, Question, Survey, SurveyResponse

SLUG = "product-safety-awareness"
SEED = 20190415
SUBMISSIONS = 360
MONTHS = 8

# (question, [(answer, correct)], explanation, how often it is answered right at first)
QUESTIONS = [
    (
        "为7岁以下儿童选购外衣时，下列哪种款式存在勒颈风险？",
        [
            ("帽子上有可抽拉绳带的连帽衫", True),
            ("腰带两端已缝合固定的连衣裙", False),
            ("前襟钉纽扣的衬衫", False),
        ],
        "GB 31701-2015《婴幼儿及儿童纺织产品安全技术规范》规定，7岁以下儿童服装头颈部不得"
        "有绳带。帽绳可能在玩滑梯、乘电梯时被挂住，造成勒颈。",
        0.55,
    ),
    (
        "发现孩子误吞了磁力珠，应当怎么做？",
        [
            ("多喝水，等待自然排出", False),
            ("立即就医，不要自行催吐", True),
            ("用手指催吐", False),
        ],
        "两颗以上强磁体在肠道内会隔着肠壁相互吸引，可能造成穿孔。应立即就医，告诉医生误吞"
        "的是磁体；催吐可能造成二次伤害。",
        0.62,
    ),
    (
        "电动自行车充电时，正确的做法是？",
        [
            ("在楼道或家中过夜充电", False),
            ("换用容量更大的电池延长续航", False),
            ("使用原装充电器，在室外集中充电点充电", True),
            ("充满后继续充电，保护电池", False),
        ],
        "非原装充电器、私自改装电池和在室内充电是电动自行车火灾的主要原因。充电时间不宜超过8小时。",
        0.70,
    ),
    (
        "产品上的“CCC”标志表示什么？",
        [
            ("产品通过了国家强制性产品认证", True),
            ("产品是进口商品", False),
            ("产品获得了质量奖", False),
        ],
        "列入《强制性产品认证目录》的产品（如电线电缆、家用电器、儿童用品等），必须经过认证"
        "并标注CCC标志后，方可出厂、销售、进口或使用。",
        0.48,
    ),
    (
        "选购一次性餐具等食品接触用品时，应查看什么？",
        [
            ("颜色是否鲜艳", False),
            ("标识中的“食品接触用”字样或标志", True),
            ("包装是否精美", False),
        ],
        "食品接触用品应标注“食品接触用”“食品包装用”等用语或“勺筷”标志，并标明材质、"
        "执行标准和生产者信息。颜色鲜艳的塑料制品反而可能添加了色素。",
        0.40,
    ),
    (
        "家用电热水器最重要的安全措施是？",
        [
            ("选择容量更大的型号", False),
            ("把水温调到最高", False),
            ("可靠接地，并安装漏电保护装置", True),
        ],
        "电热水器必须可靠接地，并装有漏电保护装置；每月按一次漏电保护器的试验按钮，"
        "确认它仍然有效。",
        0.66,
    ),
]


def build_survey(log: Callable[[str], None]) -> Survey | None:
    """Create the demo survey and its answers unless it exists."""
    if Survey.objects.filter(slug=SLUG).exists():
        return None
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not a secret
    first = _add_months(timezone.localdate().replace(day=1), -MONTHS)
    with transaction.atomic():
        survey = Survey.objects.create(
            title="产品质量安全知识知晓度调查",
            slug=SLUG,
            intro=(
                "按照《2019年上海市产品质量安全监督管理工作计划》，我们开展产品质量安全知识"
                "知晓度调查。共6道题，约需2分钟；匿名作答，提交后即可看到正确答案和解释。"
            ),
            opens_on=first,
            published=True,
        )
        questions = []
        for position, (text, options, explanation, ease) in enumerate(QUESTIONS):
            question = Question.objects.create(
                survey=survey, sort_order=position, text=text, explanation=explanation
            )
            created = [
                Option.objects.create(question=question, sort_order=i, text=t, is_correct=c)
                for i, (t, c) in enumerate(options)
            ]
            questions.append((question, created, ease))
        # More submissions in later months, as the campaign spreads.
        months = [min(MONTHS - 1, int(MONTHS * rng.random() ** 0.8)) for _ in range(SUBMISSIONS)]
        submissions = SurveyResponse.objects.bulk_create(
            SurveyResponse(
                survey=survey, token=f"demo-{n:04d}", submitted_at=_moment(rng, first, m)
            )
            for n, m in enumerate(months)
        )
        answers = []
        for submission, month in zip(submissions, months, strict=True):
            # Awareness grows as the campaign goes on: a little more right each month.
            for question, options, ease in questions:
                right = rng.random() < min(0.95, ease + 0.035 * month)
                wrong = [o for o in options if not o.is_correct]
                option = next(o for o in options if o.is_correct) if right else rng.choice(wrong)
                answers.append(Answer(response=submission, question=question, option=option))
        Answer.objects.bulk_create(answers)
    log(f"Demo survey: {SUBMISSIONS} submissions over {MONTHS} months.")
    return survey


def _moment(rng: random.Random, first: datetime.date, month: int) -> datetime.datetime:
    """A time in month number `month` from `first`, between 08:00 and 22:00."""
    day = datetime.datetime.combine(_add_months(first, month), datetime.time(8))
    offset = datetime.timedelta(days=rng.randrange(28), minutes=rng.randrange(14 * 60))
    return timezone.make_aware(day + offset)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1)
