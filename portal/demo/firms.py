"""Enterprises of the demo: manufacturers with licences and classes, and the shops samples
are bought from.

Enterprises are written in chunks as they are made; what later phases need of each (id,
name, address, brands …) is kept in a slim `Firm`, not in model instances.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import reset_queries

from portal.core.text import fold
from portal.registry.models import (
    CreditFlag,
    District,
    Enterprise,
    Licence,
    LicenceStatus,
    LicenceStatusChange,
)

from . import names
from .categories import Profile
from .identifiers import credit_code, licence_number

CHUNK = 2000
DEMO_TODAY = date(2020, 12, 31)
CHILDREN_CODES = ("0101", "0102", "0103", "0104", "0105", "0106", "0107")

CLASS_WEIGHTS = {"A": 20, "B": 45, "C": 25, "D": 10}
CLASS_BASIS = {
    "A": ("近三年监督抽查均合格，质量管理体系运行有效，无不良信用记录。",),
    "B": ("近三年监督抽查合格，质量管理制度基本健全。", "首次评定，近两年无监督抽查不合格记录。"),
    "C": (
        "近三年监督抽查有1批次不合格，已完成整改。",
        "质量管理制度不健全，关键工序控制记录缺失。",
    ),
    "D": (
        "近两年监督抽查多次不合格，列为重点监管对象。",
        "被列入经营异常名录，且监督抽查不合格，列为重点监管对象。",
    ),
}


@dataclass(slots=True)
class Firm:
    """What results need to know of an enterprise, once it has been written."""

    id: int
    name: str
    address: str
    district: str
    trade: str
    kind: str
    brands: tuple[str, ...] = ()
    cls: str = ""
    licensed: bool = True


@dataclass
class Firms:
    makers: list[Firm] = field(default_factory=list)
    shops: dict[str, list[Firm]] = field(default_factory=dict)
    licences: int = 0
    flags: int = 0


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def years_later(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights`, exactly (largest remainder)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


class FirmBuilder:
    """Makes `makers` manufacturers spread over `profiles` and `shops` sellers."""

    def __init__(self, rng: random.Random, districts: list[District], progress: Callable):
        self.rng = rng
        self.districts = districts
        self.progress = progress
        self.used_names: set[str] = set()
        self.used_codes: set[str] = set()
        self.licence_serials: dict[str, int] = {}
        self.pending: list[tuple[Enterprise, Firm, list, list]] = []
        self.firms = Firms()

    def build(self, makers: int, shops: int, profiles: tuple[Profile, ...]) -> Firms:
        rng = self.rng
        maker_weights = [names.DISTRICTS[d.code][3] for d in self.districts]
        shop_weights = [names.DISTRICTS[d.code][4] for d in self.districts]
        per_profile = self._makers_per_profile(makers, profiles)
        for profile, count in zip(profiles, per_profile, strict=True):
            for _ in range(count):
                district = rng.choices(self.districts, maker_weights)[0]
                enterprise, firm = self._maker(profile, district)
                self._add(enterprise, firm, self._licences(firm, profile))
        per_trade = apportion(shops, list(names.RETAIL_SHARE.values()))
        for trade, count in zip(names.RETAIL_SHARE, per_trade, strict=True):
            for _ in range(count):
                district = rng.choices(self.districts, shop_weights)[0]
                self._add(*self._shop(trade, district), [])
        self._flush()
        return self.firms

    @staticmethod
    def _makers_per_profile(makers: int, profiles: tuple[Profile, ...]) -> list[int]:
        """Every category gets a maker before any gets a second, then by weight."""
        if makers < len(profiles):
            ranked = sorted(range(len(profiles)), key=lambda i: -profiles[i].weight)[:makers]
            return [1 if i in ranked else 0 for i in range(len(profiles))]
        rest = apportion(makers - len(profiles), [p.weight for p in profiles])
        return [1 + n for n in rest]

    # -- one enterprise -------------------------------------------------------------------

    def _name(self, pattern: Callable[[str], str]) -> tuple[str, str]:
        """A company name not used yet, and its trade name (字号)."""
        rng = self.rng
        for attempt in range(60):
            size = 2 if attempt < 30 else 3
            trade = "".join(rng.sample(names.TRADE_CHARS, size))
            name = pattern(trade)
            if name not in self.used_names:
                self.used_names.add(name)
                return name, trade
        raise RuntimeError("ran out of company names; add characters to names.TRADE_CHARS")

    def _address(self, district: District) -> str:
        rng = self.rng
        road = rng.choice(names.DISTRICTS[district.code][2])
        number = min(int(rng.expovariate(1 / 300)) + 1, 3999)
        building = rng.choices(("", "{}幢", "{}层"), (6, 2, 2))[0].format(rng.randint(1, 12))
        return f"上海市{district.name}{road}{number}号{building}"

    def _enterprise(self, name: str, district: District) -> Enterprise:
        while (code := credit_code(self.rng, names.DISTRICTS[district.code][0])) in self.used_codes:
            pass
        self.used_codes.add(code)
        return Enterprise(
            uscc=code,
            name=name,
            name_folded=fold(name),
            district=district,
            address=self._address(district),
        )

    def _maker(self, profile: Profile, district: District) -> tuple[Enterprise, Firm]:
        rng = self.rng
        industry = rng.choice(profile.industry) if rng.random() > 0.08 else "实业"
        form = rng.choice(names.COMPANY_FORMS)
        name, trade = self._name(lambda t: f"上海{t}{industry}{form}")
        enterprise = self._enterprise(name, district)
        cls = rng.choices(list(CLASS_WEIGHTS), list(CLASS_WEIGHTS.values()))[0]
        enterprise.supervision_class = cls
        enterprise.class_assessed_on = random_date(rng, date(2019, 3, 1), date(2020, 11, 30))
        year = enterprise.class_assessed_on.year
        enterprise.class_basis = f"{year}年度分类监管评定：{rng.choice(CLASS_BASIS[cls])}"
        if rng.random() < 0.05:
            enterprise.former_names = [
                f"上海{''.join(rng.sample(names.TRADE_CHARS, 2))}{industry}有限公司"
            ]
        firm = Firm(
            id=0,
            name=name,
            address=enterprise.address,
            district=district.code,
            trade=trade,
            kind=profile.code,
            brands=self._brands(trade, profile.code),
            cls=cls,
            licensed=profile.licence is None or rng.random() > 0.06,
        )
        return enterprise, firm

    def _brands(self, trade: str, code: str) -> tuple[str, ...]:
        rng = self.rng
        options = [trade, names.pinyin(trade).capitalize(), f"{trade}牌"]
        if code in CHILDREN_CODES:
            options.append(rng.choice(names.CUTE_BRAND_HEADS) + rng.choice(names.CUTE_BRAND_TAILS))
        return tuple(rng.sample(options, 2 if rng.random() < 0.3 else 1))

    def _shop(self, trade: str, district: District) -> tuple[Enterprise, Firm]:
        word = self.rng.choice(names.RETAIL_WORDS[trade])
        name, trade_name = self._name(lambda t: f"上海{t}{word}有限公司")
        enterprise = self._enterprise(name, district)
        return enterprise, Firm(
            id=0,
            name=name,
            address=enterprise.address,
            district=district.code,
            trade=trade_name,
            kind=trade,
        )

    # -- what hangs off an enterprise -----------------------------------------------------

    def _add(self, enterprise: Enterprise, firm: Firm, licences: list) -> None:
        self.pending.append((enterprise, firm, licences, self._flags(firm)))
        if len(self.pending) >= CHUNK:
            self._flush()

    def _licences(self, firm: Firm, profile: Profile) -> list[tuple[Licence, list]]:
        """A licence with its status history, for makers of licensed products."""
        if profile.licence is None or not firm.licensed:
            return []
        rng = self.rng
        prefix, unit = profile.licence
        if prefix not in self.licence_serials:
            self.licence_serials[prefix] = rng.randint(0, 80)
        serial = self.licence_serials[prefix] = self.licence_serials[prefix] + rng.randint(1, 7)
        provincial = rng.random() < 0.6
        # Most holders renew in time; a few licences from 2014–2015 have lapsed.
        if rng.random() < 0.1:
            issued = random_date(rng, date(2014, 1, 1), date(2015, 12, 31))
        else:
            issued = random_date(rng, date(2016, 1, 1), date(2020, 6, 30))
        expires = years_later(issued, 5) - timedelta(days=1)
        licence = Licence(
            number=licence_number(prefix, serial, provincial),
            product_unit=unit,
            issuer_level=Licence.IssuerLevel.PROVINCIAL
            if provincial
            else Licence.IssuerLevel.NATIONAL,
            issued_on=issued,
            expires_on=expires,
        )
        return [(licence, self._history(licence, firm.cls))]

    def _history(self, licence: Licence, cls: str) -> list[LicenceStatusChange]:
        """Status changes as `Licence.change_status` records them; the last one is current."""
        rng = self.rng
        changes: list[tuple[str, date, str]] = []
        if licence.expires_on < DEMO_TODAY:
            changes.append(
                (LicenceStatus.EXPIRED, licence.expires_on, "有效期届满，企业未申请延续。")
            )
        else:
            roll = rng.random() * (2.5 if cls == "D" else 1)
            start = max(licence.issued_on, date(2017, 1, 1))
            when = random_date(rng, start, DEMO_TODAY - timedelta(days=120))
            if roll < 0.03:
                changes.append((LicenceStatus.CANCELLED, when, "企业申请注销。"))
            elif roll < 0.06:
                changes.append((LicenceStatus.SUSPENDED, when, "监督抽查不合格，责令停产整改。"))
                changes.append(
                    (
                        LicenceStatus.REVOKED,
                        when + timedelta(days=90),
                        "整改复查仍不合格，依法吊销。",
                    )
                )
            elif roll < 0.14:
                changes.append((LicenceStatus.SUSPENDED, when, "监督抽查不合格，责令停产整改。"))
                if rng.random() < 0.6:
                    changes.append(
                        (
                            LicenceStatus.VALID,
                            when + timedelta(days=rng.randint(30, 110)),
                            "整改复查合格，恢复生产。",
                        )
                    )
        licence.status = changes[-1][0] if changes else LicenceStatus.VALID
        return [LicenceStatusChange(status=s, changed_on=d, reason=r) for s, d, r in changes]

    def _flags(self, firm: Firm) -> list[CreditFlag]:
        rng = self.rng
        odds = {"A": 0.12, "B": 0.03, "C": 0.12, "D": 0.35}.get(firm.cls, 0.04)
        if rng.random() >= odds:
            return []
        if firm.cls == "A":
            kind, source = (
                CreditFlag.Kind.COMMENDED,
                rng.choice(("上海市质量金奖", "上海市守合同重信用企业")),
            )
        else:
            kind = rng.choice(
                (CreditFlag.Kind.ABNORMAL, CreditFlag.Kind.PENALTY, CreditFlag.Kind.DISHONEST)
            )
            source = {
                CreditFlag.Kind.ABNORMAL: "国家企业信用信息公示系统：列入经营异常名录",
                CreditFlag.Kind.DISHONEST: "上海市市场监督管理局：严重违法失信企业名单",
                CreditFlag.Kind.PENALTY: "行政处罚决定书 沪市监{}处〔{}〕{}号",
            }[kind]
        since = random_date(rng, date(2016, 1, 1), DEMO_TODAY - timedelta(days=30))
        if kind == CreditFlag.Kind.PENALTY:
            short = names.DISTRICTS[firm.district][1]
            source = source.format(short, since.year, f"{rng.randrange(10**11):011d}")
        return [CreditFlag(kind=kind, since=since, source=source)]

    def _flush(self) -> None:
        if not self.pending:
            return
        Enterprise.objects.bulk_create([enterprise for enterprise, *_ in self.pending])
        licences, changes, flags = [], [], []
        for enterprise, firm, firm_licences, firm_flags in self.pending:
            firm.id = enterprise.pk
            if firm.kind in names.RETAIL_SHARE:
                self.firms.shops.setdefault(firm.kind, []).append(firm)
            else:
                self.firms.makers.append(firm)
            for licence, history in firm_licences:
                licence.enterprise_id = enterprise.pk
                licences.append(licence)
                changes.append(history)
            for flag in firm_flags:
                flag.enterprise_id = enterprise.pk
                flags.append(flag)
        Licence.objects.bulk_create(licences)
        for licence, history in zip(licences, changes, strict=True):
            for change in history:
                change.licence_id = licence.pk
        LicenceStatusChange.objects.bulk_create(change for history in changes for change in history)
        CreditFlag.objects.bulk_create(flags)
        self.firms.licences += len(licences)
        self.firms.flags += len(flags)
        self.pending.clear()
        reset_queries()  # under DEBUG, Django would keep every insert's SQL
        self.progress(
            f"  enterprises: {len(self.firms.makers) + sum(map(len, self.firms.shops.values())):,}"
        )
