"""Spot-check batches of the demo: which are published, when, by whom, and how many rows
each has; named and numbered as the authorities' notices are."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from portal.inspections.models import SpotCheckBatch
from portal.registry.catalogue import entry
from portal.registry.models import District

from . import names
from .categories import YEARS, Profile
from .firms import apportion, random_date

Level = SpotCheckBatch.Level

LEVEL_WEIGHTS = {Level.NATIONAL: 8, Level.CITY: 45, Level.DISTRICT: 37, Level.JOINT: 10}
YEAR_WEIGHTS = (20, 23, 27, 30)
ROWS = {
    Level.NATIONAL: (5, 30),
    Level.CITY: (80, 300),
    Level.DISTRICT: (30, 150),
    Level.JOINT: (100, 250),
}
ORDINALS = "一二三四五六七八九十"
JOINT_AUTHORITY = (
    "上海市市场监督管理局、江苏省市场监督管理局、浙江省市场监督管理局、安徽省市场监督管理局"
)
FOLLOW_UP = (
    "对抽查不合格产品的生产、销售企业，已责成属地市场监管部门依法处理，督促企业整改，并组织复查。"
)
RULES_OLD = "《产品质量监督抽查管理办法》（国家质检总局令第133号）"
RULES_NEW = "《产品质量监督抽查管理暂行办法》（国家市场监督管理总局令第18号）"


@dataclass
class Plan:
    """A batch to publish and what its rows are drawn from."""

    batch: SpotCheckBatch
    profile: Profile
    rows: int
    agencies: list[int]
    failed: int = 0


def plan_batches(
    rng: random.Random,
    count: int,
    results: int,
    districts: list[District],
    profiles: tuple[Profile, ...],
    agencies: dict[str, list[int]],
    categories: dict[str, int],
) -> list[Plan]:
    """`count` batches in publication order, with `results` rows between them; saved."""
    plans = []
    for _ in range(count):
        year = rng.choices(YEARS, YEAR_WEIGHTS)[0]
        level = rng.choices(list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values()))[0]
        if level == Level.JOINT and year < 2019:  # Yangtze River Delta joint checks began in 2019
            level = Level.CITY
        profile = rng.choices(profiles, [p.weight for p in profiles])[0]
        district = rng.choice(districts) if level == Level.DISTRICT else None
        testers = agencies.get(profile.lab) or [a for ids in agencies.values() for a in ids]
        batch = SpotCheckBatch(
            level=level,
            district=district,
            category_id=categories[profile.code],
            year=year,
            standards_cited="；".join(
                [*profile.standards_for(year), RULES_OLD if year < 2020 else RULES_NEW]
            ),
            refused_count=rng.choices((0, 1, 2, 3), (85, 9, 4, 2))[0],
            published_on=random_date(rng, date(year, 2, 1), date(year, 12, 20)),
            status=SpotCheckBatch.Status.PUBLISHED,
            version=1,
        )
        chosen = rng.sample(testers, min(len(testers), rng.randint(1, 2)))
        plans.append(Plan(batch, profile, 0, chosen))
    plans.sort(key=lambda p: p.batch.published_on)
    weights = [rng.uniform(*ROWS[p.batch.level]) for p in plans]
    for plan, rows in zip(plans, apportion(results, weights), strict=True):
        plan.rows = rows
    _name_batches(rng, plans)
    SpotCheckBatch.objects.bulk_create([p.batch for p in plans], batch_size=1000)
    return plans


def _name_batches(rng: random.Random, plans: list[Plan]) -> None:
    """Authority, notice number and title, numbered in publication order per authority."""
    numbers: dict[tuple[str, int], int] = {}
    rounds: dict[tuple[str, int, str], int] = {}
    for plan in plans:
        batch, year = plan.batch, plan.batch.year
        category = entry(plan.profile.code).name.replace("/", "、")
        authority, notice, title = _wording(batch.level, year, batch.district, category)
        key = (authority, year)
        if key not in numbers:  # notices on other subjects took the first numbers
            numbers[key] = rng.randint(0, 14)
        numbers[key] += rng.randint(1, 4)
        nth = rounds[(authority, year, category)] = rounds.get((authority, year, category), 0) + 1
        batch.authority = authority
        batch.notice_number = notice.format(y=year, n=numbers[key])
        batch.title = title + (f"（第{_ordinal(nth)}批）" if nth > 1 else "")
        batch.follow_up = FOLLOW_UP + (
            f"对拒绝接受抽查的{batch.refused_count}家企业，已依法处理。"
            if batch.refused_count
            else ""
        )


def _ordinal(n: int) -> str:
    return ORDINALS[n - 1] if n <= len(ORDINALS) else str(n)


def _wording(level: str, year: int, district: District | None, category: str):
    """(authority, notice-number pattern, title); names before the 2018 reform differ."""
    if level == Level.NATIONAL and year < 2018:
        return (
            "国家质量监督检验检疫总局",
            "质检总局公告{y}年第{n}号",
            f"质检总局关于公布{year}年{category}产品质量国家监督抽查结果的公告",
        )
    if level == Level.NATIONAL:
        return (
            "国家市场监督管理总局",
            "市场监管总局通告{y}年第{n}号",
            f"市场监管总局关于{year}年{category}产品质量国家监督抽查情况的通告",
        )
    if level == Level.DISTRICT:
        short = names.DISTRICTS[district.code][1]
        return (
            f"上海市{district.name}市场监督管理局",
            short + "市监〔{y}〕{n}号",
            f"{district.name}{year}年{category}产品质量监督抽查结果公告",
        )
    if level == Level.JOINT:
        return (
            JOINT_AUTHORITY,
            "沪苏浙皖市监联〔{y}〕{n}号",
            f"{year}年长三角地区{category}产品质量联动抽查结果",
        )
    if year < 2019:
        return (
            "上海市质量技术监督局",
            "沪质技监质〔{y}〕{n}号",
            f"关于{year}年本市{category}产品质量监督抽查情况的通告",
        )
    return (
        "上海市市场监督管理局",
        "沪市监质〔{y}〕{n}号",
        f"关于{year}年本市{category}产品质量监督抽查情况的通告",
    )
