"""Result rows of the demo's spot checks: what was sampled where, and whether it failed.

Rates of failure follow what notices show: they differ by product type, fall from 2017 to
2020, are higher online than in factories, and higher for poorly classed makers. National
notices list only the failed samples, as the national authority's do.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import reset_queries

from portal.core.text import fold
from portal.inspections.models import (
    Channel,
    FailedItem,
    Outcome,
    ProducerMatch,
    SpotCheckResult,
)

from . import names
from .batches import Level, Plan
from .categories import Profile
from .firms import Firm
from .products import ProductIndex, ProductSpec, combos, describe, format_model

CHUNK = 5000

OUTSIDE_SHARE = {Level.NATIONAL: 0.5, Level.JOINT: 0.4, Level.CITY: 0.15, Level.DISTRICT: 0.05}
YEAR_FACTOR = {2017: 1.15, 2018: 1.05, 2019: 1.0, 2020: 0.85}
CHANNELS = (Channel.PRODUCTION, Channel.RETAIL, Channel.ECOMMERCE)
CHANNEL_FACTOR = {Channel.PRODUCTION: 0.8, Channel.RETAIL: 1.0, Channel.ECOMMERCE: 1.35}
CLASS_FACTOR = {"A": 0.4, "B": 0.8, "C": 1.3, "D": 2.2}
OUTSIDE_FACTOR = 1.2


def sample_key(*fields: str) -> str:
    """The identity of a sample within its batch, computed as the spreadsheet importer does
    (portal.inspections.spreadsheets: folded name, producer, brand, model, lot, sampled
    unit), so importing a corrected file of a demo batch updates its rows."""
    return hashlib.sha256("\x1f".join(fold(value) for value in fields).encode()).hexdigest()


@dataclass
class Sample:
    """Who made what, as a result row names it."""

    spec: ProductSpec
    producer: str
    address: str
    firm: Firm | None = None
    product_id: int | None = None


@dataclass
class ResultWriter:
    """Writes result rows batch by batch, in chunks; keeps counts, not rows."""

    seed: int
    rng: random.Random
    makers: list[Firm]
    shops: dict[str, list[Firm]]
    products: dict[str, ProductIndex]
    agencies: dict[str, list[int]]
    progress: Callable
    total: int
    written: int = 0
    failed: int = 0
    items: int = 0
    pending: list[tuple[SpotCheckResult, list[FailedItem]]] = field(default_factory=list)
    local_products: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    local_shops: dict[tuple[str, str], list[Firm]] = field(default_factory=dict)
    next_report: int = 0

    def __post_init__(self) -> None:
        for code, index in self.products.items():
            for position, maker in enumerate(index.makers):
                key = (code, self.makers[maker].district)
                self.local_products.setdefault(key, []).append(position)
        for trade, firms in self.shops.items():
            for firm in firms:
                self.local_shops.setdefault((trade, firm.district), []).append(firm)
        self.next_report = max(CHUNK, self.total // 10)

    def write(self, plan: Plan) -> None:
        seen: set[str] = set()
        for row in range(1, plan.rows + 1):
            result, items = self._row(plan, row, seen)
            plan.failed += result.outcome == Outcome.FAIL
            self.pending.append((result, items))
            if len(self.pending) >= CHUNK:
                self.flush()
        batch = plan.batch
        batch.declared_failed = plan.failed
        batch.declared_sampled = plan.rows
        if batch.level == Level.NATIONAL and plan.rows:
            rate = plan.profile.base_rate * YEAR_FACTOR[batch.year]
            batch.declared_sampled = max(plan.rows, round(plan.rows / rate))

    def flush(self) -> None:
        if not self.pending:
            return
        SpotCheckResult.objects.bulk_create([result for result, _ in self.pending], batch_size=1000)
        items = []
        for result, result_items in self.pending:
            for item in result_items:
                item.result_id = result.pk
                items.append(item)
        FailedItem.objects.bulk_create(items, batch_size=2000)
        self.written += len(self.pending)
        self.failed += sum(result.outcome == Outcome.FAIL for result, _ in self.pending)
        self.items += len(items)
        self.pending.clear()
        reset_queries()  # under DEBUG, Django would keep every insert's SQL
        if self.written >= self.next_report or self.written == self.total:
            self.progress(f"  results: {self.written:,} / {self.total:,}")
            self.next_report += max(CHUNK, self.total // 10)

    # -- one row --------------------------------------------------------------------------

    def _row(
        self, plan: Plan, row: int, seen: set[str]
    ) -> tuple[SpotCheckResult, list[FailedItem]]:
        rng, batch, profile = self.rng, plan.batch, plan.profile
        sample = self._sample(plan)
        channel = self._channel(profile, sample.firm)
        unit, unit_address, unit_id, url, extra = self._unit(channel, plan, sample)
        outcome = self._outcome(plan, sample.firm, channel)
        spec = sample.spec
        while True:
            lot_raw, produced, lot_number = self._lot(batch.published_on)
            key = sample_key(spec.name, sample.producer, spec.brand, spec.model, lot_raw, unit)
            if key not in seen:
                seen.add(key)
                break
        items = self._failed_items(profile, spec, batch.year) if outcome == Outcome.FAIL else []
        initial = rng.choice(plan.agencies)
        retest = None
        remarks = []
        disputed = outcome == Outcome.FAIL and rng.random() < 0.02
        others = [a for a in self.agencies[profile.lab] if a != initial]
        if outcome == Outcome.FAIL and others and rng.random() < 0.08:
            retest = rng.choice(others)
            remarks.append("企业对检验结论提出异议，经复检，维持初检结论。")
        if disputed:
            remarks.append(f"经核实，该批次产品并非由{sample.producer}生产。")
        if outcome == Outcome.REFERRED:
            remarks.append("该企业涉嫌无证生产，已移交属地市场监管部门依法查处。")
        return (
            SpotCheckResult(
                batch_id=batch.pk,
                sample_key=key,
                row_numbers=[row],
                sample_name=spec.name,
                nominal_brand=spec.brand,
                nominal_model=spec.model,
                lot_raw=lot_raw,
                production_date=produced,
                lot_number=lot_number,
                producer_name=sample.producer,
                producer_address=sample.address,
                producer_id=sample.firm.id if sample.firm else None,
                producer_match=ProducerMatch.NAME if sample.firm else ProducerMatch.NONE,
                producer_disputed=disputed,
                sampled_unit_name=unit,
                sampled_unit_address=unit_address,
                sampled_unit_id=unit_id,
                channel=channel,
                listing_url=url,
                outcome=outcome,
                initial_agency_id=initial,
                retest_agency_id=retest,
                remarks="".join(remarks),
                category_id=batch.category_id,
                product_id=None if disputed else sample.product_id,
                extra=extra,
                version=1,
            ),
            items,
        )

    def _sample(self, plan: Plan) -> Sample:
        """A product of a registered maker, or one from a maker outside Shanghai."""
        rng, profile = self.rng, plan.profile
        index = self.products.get(profile.code)
        if index is None or rng.random() < OUTSIDE_SHARE[plan.batch.level]:
            return self._outside(profile)
        district = plan.batch.district
        local = self.local_products.get((profile.code, district.code)) if district else None
        if local and rng.random() < 0.6:
            position = rng.choice(local)
        else:
            position = rng.randrange(len(index.ids))
        maker = index.makers[position]
        firm = self.makers[maker]
        spec = describe(self.seed, profile, firm, maker, index.slots[position])
        return Sample(spec, firm.name, firm.address, firm, index.ids[position])

    def _outside(self, profile: Profile) -> Sample:
        rng = self.rng
        province, city, county = rng.choice(profile.regions)
        trade = "".join(rng.sample(names.TRADE_CHARS, 2))
        place = (city or province).removesuffix("市")
        producer = f"{place}{trade}{rng.choice(profile.industry)}有限公司"
        road = rng.choice(names.COMMON_ROADS)
        address = f"{province}{city}{county}{road}{rng.randint(1, 999)}号"
        name, variant = rng.choice(combos(profile)[0])
        code = f"{names.initials(trade)}{rng.randint(1000, 9999)}"
        model = format_model(profile, variant, code)
        if "{code}" not in profile.template:
            model = f"{model} {code}"
        brand = rng.choice((trade, names.pinyin(trade).capitalize(), ""))
        return Sample(ProductSpec(name, brand, model, ()), producer, address)

    def _channel(self, profile: Profile, firm: Firm | None) -> str:
        weights = list(profile.channels)
        if firm is None:
            weights[0] = 0
        if not sum(weights):
            weights = [0, 1, 0]
        return self.rng.choices(CHANNELS, weights)[0]

    def _unit(self, channel: str, plan: Plan, sample: Sample):
        """(name, address, id, listing URL, extra columns) of where the sample was taken."""
        if channel == Channel.PRODUCTION:
            firm = sample.firm
            return firm.name, firm.address, firm.id, "", {}
        district = plan.batch.district.code if plan.batch.district else None
        if channel == Channel.RETAIL:
            shop = self._shop(plan.profile.retail_trade, district)
            return shop.name, shop.address, shop.id, "", {}
        rng = self.rng
        shop = self._shop("电商", district)
        platform = rng.choice(names.PLATFORMS)
        label = sample.spec.brand or shop.trade
        store = f"{label}{rng.choice(names.STORE_SUFFIXES)}"
        if platform == "天猫":
            url = f"https://detail.tmall.com/item.htm?id={rng.randrange(10**11, 10**12)}"
            home = f"https://{names.pinyin(label).lower()}.tmall.com"
        else:
            url = f"https://item.jd.com/{rng.randrange(10**10, 10**12)}.html"
            home = f"https://mall.jd.com/index-{rng.randrange(10**5, 10**6)}.html"
        return shop.name, home, shop.id, url, {"电商平台": platform, "网店名称": store}

    def _shop(self, trade: str, district: str | None) -> Firm:
        """A shop of that trade, in the batch's district when it has one; any shop if none."""
        local = self.local_shops.get((trade, district)) if district else None
        if local and self.rng.random() < 0.8:
            return self.rng.choice(local)
        pool = self.shops.get(trade) or [s for shops in self.shops.values() for s in shops]
        return self.rng.choice(pool)

    def _outcome(self, plan: Plan, firm: Firm | None, channel: str) -> str:
        rng, profile, year = self.rng, plan.profile, plan.batch.year
        if plan.batch.level == Level.NATIONAL:
            return Outcome.FAIL
        if profile.licence and firm and not firm.licensed and rng.random() < 0.7:
            return Outcome.REFERRED
        rate = profile.base_rate * YEAR_FACTOR[year] * CHANNEL_FACTOR[channel]
        rate *= CLASS_FACTOR[firm.cls] if firm else OUTSIDE_FACTOR
        return Outcome.FAIL if rng.random() < min(rate, 0.6) else Outcome.PASS

    def _failed_items(self, profile: Profile, spec: ProductSpec, year: int) -> list[FailedItem]:
        product = f"{spec.name} {spec.model}"
        applicable = [i for i in profile.items if i.applies(product, year)] or list(profile.items)
        rng = self.rng
        count = min(len(applicable), rng.choices((1, 2, 3), (68, 24, 8))[0])
        failed = []
        for position, item in enumerate(rng.sample(applicable, count)):
            measured, limit = item.failing(rng)
            failed.append(
                FailedItem(
                    position=position,
                    item=item.item,
                    measured=measured,
                    limit=limit,
                    unit=item.unit,
                    is_safety_item=item.safety,
                )
            )
        return failed

    def _lot(self, published: date) -> tuple[str, date | None, str]:
        """(date or lot as printed, production date, lot number) in the styles notices use."""
        rng = self.rng
        day = published - timedelta(days=rng.randint(20, 330))
        lot = f"{day:%y%m%d}{rng.randint(1, 99):02d}"
        style = rng.choices(range(7), (20, 18, 14, 14, 8, 10, 6))[0]
        if style == 0:
            return f"{day.year}/{day.month}/{day.day}", day, ""
        if style == 1:
            return f"{day:%Y.%m.%d}", day, ""
        if style == 2:
            return f"{day.year}年{day.month:02d}月{day.day:02d}日", day, ""
        if style == 3:
            return f"{day:%Y-%m-%d}", day, ""
        if style == 4:
            return f"{day:%Y.%m.%d}{lot}", day, lot  # date fused with the lot number
        if style == 5:
            return f"{day:%Y-%m-%d}/{lot}", day, lot
        return f"批号：{lot}", None, lot
