"""Relevance suite: judged citizen queries, scored on the engine and on the database fallback.

    psql -h 127.0.0.1 -U postgres -c "create database anxin_relevance" postgres
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_relevance \\
        .venv/bin/python benchmarks/relevance.py --scale 1 [--reuse] [--failures] [--json]
        # --write-docs: the table in docs/search.md and benchmarks/relevance_baseline.json
        # --record-test (with --scale 0.05): the figure tests/search/test_relevance_suite.py keeps

Data: the seeded demo registry (what `load_demo --reset --scale SCALE` writes, without its
pages) plus the messy fixture sheet
tests/fixtures/spreadsheets/relevance_sheet.csv imported through the real importer, then
`search_rebuild`. `--reuse` skips loading when the database already holds both.

Queries are derived from the data by the rules of each kind below (never from the query code
in search/), written the way citizens type, and sampled with a fixed seed over categories,
districts, enterprises and products. Each has the set of answers a fair judge would accept
(`Judged.accept`); where a short query is ambiguous by nature (pinyin initials, the first
characters) and more than MAX_ACCEPTED objects would qualify, the candidate is skipped: such a
query cannot tell a good ranking from a bad one.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("SEARCH_INDEX_PREFIX", "anxin-relevance")

SHEET = ROOT / "tests/fixtures/spreadsheets/relevance_sheet.csv"
SHEET_NOTICE = "沪市监质〔2019〕88号"
BASELINE = ROOT / "benchmarks/relevance_baseline.json"
DOCS = ROOT / "docs/search.md"
DOCS_START, DOCS_END = "<!-- relevance:start -->", "<!-- relevance:end -->"
SEED = 13
TEST_SCALE = 0.05  # what tests/search/test_relevance_suite.py loads
MAX_ACCEPTED = 5
SHEET_SHARE = 4  # one query in four of the product kinds is about the imported sheet

# Everyday words citizens use → the official product names they mean (a substring of the
# registered name). Kept here, not taken from the project's synonym file, so the suite stays
# an independent judge of it.
EVERYDAY = {
    "充电宝": ("移动电源",),
    "电瓶车": ("电动自行车",),
    "电驴": ("电动自行车",),
    "冰箱": ("电冰箱",),
    "吹风机": ("电吹风",),
    "电饭锅": ("电饭煲", "电饭锅"),
    "煤气灶": ("燃气灶",),
    "热水器": ("电热水器",),
    "饭盒": ("餐盒",),
    "婴儿车": ("儿童推车",),
    "童车": ("儿童推车", "儿童自行车", "儿童三轮车", "儿童滑板车"),
    "拐杖": ("手杖",),
    "尿不湿": ("纸尿裤",),
    "电子锁": ("智能门锁", "指纹锁"),
    "监控": ("摄像头",),
    "水笔": ("中性笔",),
    "橡皮": ("橡皮擦",),
    "改正带": ("修正带",),
    "练习本": ("作业本",),
    "娃娃": ("玩具娃娃", "毛绒玩具"),
    "保鲜袋": ("食品用塑料包装袋",),
    "电线": ("电线", "电缆"),
    "汽油": ("车用汽油",),
    "柴油": ("车用柴油",),
    "吸管": ("吸管",),
    "羽绒衣": ("羽绒服",),
    "开衫": ("开衫",),
    "童装": ("儿童T恤", "儿童连衣裙", "儿童卫衣", "儿童套装", "儿童衬衫"),
    "电磁灶": ("电磁炉",),
    "烧水壶": ("电热水壶", "开水器"),
    "纸杯子": ("纸杯",),
    "书桌": ("书桌",),
    "上下床": ("双层床",),
}
# Modifiers a citizen leaves off the front of a product name: 一次性塑料餐盒 → 塑料餐盒 / 餐盒.
MODIFIERS = ("一次性", "食品用", "婴幼儿", "家用", "商用", "儿童", "婴儿", "学生", "成人", "智能")
# Common characters of firm names and a character read the same (tones aside), for the
# homophone-typo kind; pairs whose readings pypinyin does not confirm are ignored.
HOMOPHONES = dict(
    zip(
        "恒华金宏新永丰盛鑫嘉荣信达润瑞佳腾安宝德东凯隆美明鹏启胜泰天伟祥兴旭亚怡益源卓志中浦申星立博"
        "晨诚鼎飞福冠广汇佰融昌铭锦捷骏澜茂欣雅远泽正致舜弘迪辉光月峰洲绿鸿",
        "衡化今洪心勇峰圣新佳容新大闰锐家藤按保得冬楷龙每名朋起圣太添玮翔星序雅宜亿元桌智忠普深兴力搏"
        "辰成顶非富关光会百容常明今杰俊兰贸新亚元则政志顺宏笛晖广悦丰州律洪",
        strict=True,
    )
)
VERDICTS = {"fail": ("不合格", "不合格产品", "抽查不合格"), "pass": ("合格",)}
PUNCTUATION = ("【{}】", "“{}”", "{}。", "{}！！", "《{}》", "{}？", "·{}·", "（{}）")


# -- what was loaded -------------------------------------------------------------------------


def load_data(scale: float, *, reuse: bool = False, out: Callable[[str], None] = print) -> None:
    """The demo registry at `scale` plus the fixture sheet, imported as an editor would, then
    indexed.

    The registry comes from the generator `load_demo` runs (same seed, same rows), without the
    demo's pages, which lookup does not search and which take longer to write than the registry.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction

    from portal.demo.content import remove_notices
    from portal.demo.generate import DEFAULT_SEED, DemoSize, build_demo, reset_registry
    from portal.inspections.models import SpotCheckBatch
    from portal.registry.catalogue import load_catalogue
    from search import indexing

    if not (reuse and SpotCheckBatch.objects.filter(notice_number=SHEET_NOTICE).exists()):
        started = time.perf_counter()
        with transaction.atomic():
            remove_notices()  # they protect the batches the reset deletes
            load_catalogue()
            reset_registry(progress=lambda line: None)
            build_demo(DEFAULT_SEED, DemoSize.for_scale(scale), progress=lambda line: None)
        call_command(
            "import_spotchecks",
            str(SHEET),
            "--notice",
            SHEET_NOTICE,
            "--title",
            "2019年上海市日用消费品产品质量监督抽查结果",
            "--year",
            "2019",
            "--published-on",
            "2019-11-20",
            verbosity=0,
            stdout=io.StringIO(),
        )
        out(f"demo registry at scale {scale:g} + sheet: {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    indexing.rebuild()
    out(f"search_rebuild: {time.perf_counter() - started:.0f} s")


@dataclass
class Firm:
    id: int
    name: str
    core: str
    uscc: str
    district: str
    former_names: list[str]
    licences: list[str] = field(default_factory=list)


@dataclass
class Item:
    id: int
    name: str
    brand: str
    model: str
    category: str
    maker: int | None
    from_sheet: bool
    gtins: list[str] = field(default_factory=list)
    outcomes: set[tuple[str, int]] = field(default_factory=set)  # (outcome, year)


@dataclass
class Registry:
    firms: list[Firm]
    items: list[Item]

    def __post_init__(self):
        self.firm = {f.id: f for f in self.firms}
        self.by_brand: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            self.by_brand[fold(item.brand)].append(item)


def fold(text: str) -> str:
    from portal.core.text import fold as portal_fold

    return portal_fold(text)


def read_registry() -> Registry:
    """Everything the rules look at, in an order that does not depend on database ids."""
    from portal.core.text import core_name
    from portal.inspections.models import SpotCheckResult
    from portal.registry.models import Enterprise, Licence, Product, ProductBarcode

    firms = {
        pk: Firm(pk, name, core_name(name), uscc or "", district or "", former or [])
        for pk, name, uscc, district, former in Enterprise.objects.values_list(
            "pk", "name", "uscc", "district__code", "former_names"
        )
    }
    for enterprise, number in Licence.objects.values_list("enterprise", "number"):
        firms[enterprise].licences.append(number)
    items = {
        pk: Item(pk, name, brand, model, category or "", maker, False)
        for pk, name, brand, model, category, maker in Product.objects.values_list(
            "pk", "name", "brand", "model_spec", "category__name", "manufacturer"
        )
    }
    for product, gtin in ProductBarcode.objects.values_list("product", "gtin"):
        items[product].gtins.append(gtin)
    public = SpotCheckResult.public.exclude(product=None)
    for product, outcome, year, notice, extra in public.values_list(
        "product", "outcome", "batch__year", "batch__notice_number", "extra"
    ):
        items[product].outcomes.add((outcome, year))
        if notice == SHEET_NOTICE:
            items[product].from_sheet = True
            if barcode := (extra or {}).get("条码"):  # printed on the pack, kept by the importer
                items[product].gtins.append(barcode)
    return Registry(
        sorted(firms.values(), key=lambda f: (f.uscc, f.name)),
        sorted(
            items.values(),
            key=lambda i: (
                i.category,
                i.brand,
                i.name,
                i.model,
                i.maker and firms[i.maker].uscc,
                i.gtins,
            ),
        ),
    )


# -- how citizens write ------------------------------------------------------------------------


def full_width(text: str) -> str:
    """ASCII letters, digits and spaces as a Chinese input method in full-width mode types them."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


def syllables(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [s for s in lazy_pinyin(text) if s.isascii() and s.isalpha()]


def pinyin_written(rng: random.Random, han: str) -> str:
    """The pinyin of `han` as people type it: run together, spaced, capitalised or full width."""
    parts = syllables(han)
    form = rng.randrange(5)
    if form == 0:
        return "".join(parts)
    if form == 1:
        return " ".join(parts)
    if form == 2:
        return "".join(p.capitalize() for p in parts)
    if form == 3:
        return " ".join(parts).upper() if len(parts) <= 3 else "".join(parts).upper()
    return full_width("".join(parts))


def pinyin_typo(rng: random.Random, letters: str) -> str:
    """One slip after the first letter: two letters swapped, one dropped or one doubled."""
    at = rng.randrange(1, len(letters) - 1)
    slip = rng.randrange(3)
    if slip == 0 and letters[at] != letters[at + 1]:
        return letters[:at] + letters[at + 1] + letters[at] + letters[at + 2 :]
    if slip == 1:
        return letters[:at] + letters[at + 1 :]
    return letters[:at] + letters[at] + letters[at:]


def messy(rng: random.Random, text: str) -> str:
    """A stray space, trailing space or full-width space, as pasted or typed in a hurry."""
    roll = rng.randrange(4)
    if roll == 0:
        return f" {text} "
    if roll == 1 and len(text) > 2:
        at = rng.randrange(1, len(text))
        return f"{text[:at]} {text[at:]}"
    if roll == 2:
        return f"{text}\u3000"
    return text


def loosen_code(rng: random.Random, code: str) -> str:
    """An identifier as read off a certificate: spaced in groups, lower case, or both."""
    compact = re.sub(r"[\s\-－]", "", code)
    if rng.random() < 0.5:
        compact = compact.lower()
    if rng.random() < 0.6:
        size = rng.choice((4, 6))
        compact = " ".join(compact[i : i + size] for i in range(0, len(compact), size))
    return compact


def loosen_licence(rng: random.Random, number: str) -> str:
    """(沪)XK16-204-00049 as typed: prefix dropped or in full-width brackets, dashes as spaces
    or gone, lower case."""
    body = re.sub(r"^[(（]沪[)）]", "", number)
    form = rng.randrange(4)
    if form == 0:
        body = body.replace("-", " ")
    elif form == 1:
        body = body.replace("-", "").lower()
    elif form == 2:
        body = body.lower()
    prefix = rng.choice(("", "（沪）", "沪", "(沪)")) if number.startswith("(") else ""
    return prefix + body


def loosen_model(rng: random.Random, model: str) -> str | None:
    """The article code of a model (the token with letters and digits) without its dashes, in
    lower case or with a space: HT-10000 → ht10000, "HT 10000"."""
    tokens = [t for t in re.split(r"[\s：:]+", unicodedata.normalize("NFKC", model)) if t]
    codes = [t for t in tokens if re.search(r"[A-Za-z]", t) and re.search(r"\d", t)]
    if not codes:
        return None
    letters = re.sub(r"[^0-9A-Za-z]", "", max(codes, key=len))
    if len(letters) < 4:
        return None
    if rng.random() < 0.5:
        return letters.lower()
    split = re.search(r"\d", letters).start()
    return f"{letters[:split]} {letters[split:]}".lower() if rng.random() < 0.5 else letters


def compact_model(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", unicodedata.normalize("NFKC", text).lower())


# -- the judged queries ----------------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    kind: str
    text: str
    accept: frozenset[tuple[str, int]]  # ("enterprise" | "product", id)


def spread(rng: random.Random, candidates: list, group: Callable) -> Iterable:
    """Candidates in a seeded order that takes one of each group in turn (categories,
    districts), so a kind is not all about the largest category."""
    groups: dict = defaultdict(list)
    for candidate in candidates:
        groups[group(candidate)].append(candidate)
    queues = [groups[key] for key in sorted(groups)]
    for queue in queues:
        rng.shuffle(queue)
    rng.shuffle(queues)
    while any(queues):
        for queue in queues:
            if queue:
                yield queue.pop()


class Suite:
    """Builds the judged queries of every kind from a `Registry`."""

    def __init__(self, registry: Registry, per_kind: int, seed: int = SEED):
        self.r = registry
        self.per_kind = per_kind
        self.seed = seed
        makers = {item.maker for item in registry.items}
        self.makers = [f for f in registry.firms if f.id in makers]
        self.by_core: dict[str, set[int]] = defaultdict(set)
        self.by_pinyin: dict[str, set[int]] = defaultdict(set)
        self.by_initials: dict[str, set[int]] = defaultdict(set)
        for firm in registry.firms:
            parts = syllables(firm.core)
            self.by_core[fold(firm.core)].add(firm.id)
            self.by_pinyin["".join(parts)].add(firm.id)
            self.by_initials["".join(p[0] for p in parts)].add(firm.id)

    def build(self) -> list[Judged]:
        kinds = [name for name in dir(self) if name.startswith("kind_")]
        judged: list[Judged] = []
        for name in kinds:
            rng = random.Random(f"{self.seed}:{name}")
            made: list[Judged] = []
            for query in getattr(self, name)(rng):
                if query and query.accept and len(query.accept) <= self._limit(name):
                    made.append(query)
                if len(made) == self.per_kind:
                    break
            judged += made
        return judged

    @staticmethod
    def _limit(kind: str) -> int:
        """Ambiguous-by-nature kinds must leave a few acceptable answers; the product kinds
        that filter (verdict, year, brand) may accept every product of a brand."""
        filtering = ("kind_name_verdict", "kind_name_year", "kind_brand_only")
        return 50 if kind in filtering else MAX_ACCEPTED

    # enterprises -----------------------------------------------------------------------

    def _firms(self, rng):
        return spread(rng, self.makers, lambda f: f.district)

    def _same_core(self, firm: Firm) -> frozenset:
        return frozenset(("enterprise", pk) for pk in self.by_core[fold(firm.core)])

    def _same_pinyin(self, firm: Firm) -> frozenset:
        """Homophone names cannot be told apart by their pinyin: a judge accepts them all."""
        return frozenset(("enterprise", pk) for pk in self.by_pinyin["".join(syllables(firm.core))])

    def _same_name(self, firm: Firm) -> frozenset:
        wanted = fold(firm.name)
        return frozenset(("enterprise", f.id) for f in self.r.firms if fold(f.name) == wanted)

    def kind_full_name(self, rng):
        for firm in self._firms(rng):
            yield Judged("full name", messy(rng, firm.name), self._same_name(firm))

    def kind_traditional(self, rng):
        """Half full names, half brand + product, in traditional characters."""
        from portal.core.text import to_traditional

        firms, items = self._firms(rng), self._items(rng)
        while True:
            firm, item = next(firms, None), next(items, None)
            if firm is None or item is None:
                return
            yield Judged("traditional", to_traditional(firm.name), self._same_name(firm))
            text = to_traditional(f"{item.brand} {item.name}")
            yield Judged(
                "traditional", text, self._brand_and(item, lambda i, n=item.name: i.name == n)
            )

    def kind_core_name(self, rng):
        for firm in self._firms(rng):
            if firm.core != firm.name:
                yield Judged("core name", messy(rng, firm.core), self._same_core(firm))

    def kind_first_characters(self, rng):
        """The first characters of the core name: 恒泰电器 → 恒泰电."""
        for firm in self._firms(rng):
            if len(firm.core) >= 4:
                prefix = fold(firm.core)[: max(2, math.ceil(len(firm.core) * 0.6))]
                accept = frozenset(
                    ("enterprise", pk)
                    for core, pks in self.by_core.items()
                    if core.startswith(prefix)
                    for pk in pks
                )
                yield Judged("first characters", prefix, accept)

    def kind_pinyin(self, rng):
        for firm in self._firms(rng):
            yield Judged("pinyin", pinyin_written(rng, firm.core), self._same_pinyin(firm))

    def kind_pinyin_initials(self, rng):
        for firm in self._firms(rng):
            initials = "".join(p[0] for p in syllables(firm.core))
            if len(initials) >= 3:
                accept = frozenset(("enterprise", pk) for pk in self.by_initials[initials])
                text = initials.upper() if rng.random() < 0.3 else initials
                yield Judged("pinyin initials", text, accept)

    def kind_pinyin_typo(self, rng):
        for firm in self._firms(rng):
            letters = "".join(syllables(firm.core))
            if len(letters) >= 6:
                yield Judged("pinyin typo", pinyin_typo(rng, letters), self._same_pinyin(firm))

    def kind_homophone(self, rng):
        """One character of the core name swapped for another read the same; skipped when the
        result is itself an enterprise's name (then it is no typo)."""
        for firm in self._firms(rng):
            swaps = [
                (at, HOMOPHONES[c])
                for at, c in enumerate(firm.core)
                if c in HOMOPHONES and syllables(c) == syllables(HOMOPHONES[c])
            ]
            if swaps:
                at, other = rng.choice(swaps)
                typed = firm.core[:at] + other + firm.core[at + 1 :]
                if fold(typed) not in self.by_core:
                    yield Judged("homophone typo", typed, self._same_pinyin(firm))

    def kind_pinyin_and_characters(self, rng):
        """The first two characters in pinyin, the rest as characters: hengtai电器."""
        for firm in self._firms(rng):
            if len(firm.core) >= 4 and len(syllables(firm.core[:2])) == 2:
                head = "".join(syllables(firm.core[:2]))
                head = head.capitalize() if rng.random() < 0.3 else head
                tail = firm.core[2:]
                accept = frozenset(
                    ("enterprise", pk)
                    for pk in self.by_pinyin["".join(syllables(firm.core))]
                    if self.r.firm[pk].core.endswith(tail)
                )
                yield Judged("pinyin + characters", f"{head}{tail}", accept)

    def kind_credit_code(self, rng):
        for firm in self._firms(rng):
            if firm.uscc:
                yield Judged(
                    "credit code", loosen_code(rng, firm.uscc), frozenset({("enterprise", firm.id)})
                )

    def kind_licence(self, rng):
        for firm in self._firms(rng):
            if firm.licences:
                number = rng.choice(sorted(firm.licences))
                yield Judged(
                    "licence number",
                    loosen_licence(rng, number),
                    frozenset({("enterprise", firm.id)}),
                )

    def kind_former_name(self, rng):
        """The name a firm had before: citizens remember old signs and old receipts. A firm
        that has since taken that name is as good an answer."""
        for firm in self._firms(rng):
            if firm.former_names:
                former = fold(rng.choice(firm.former_names))
                accept = frozenset(
                    ("enterprise", f.id)
                    for f in self.r.firms
                    if former == fold(f.name) or former in map(fold, f.former_names)
                )
                yield Judged("former name", messy(rng, former), accept)

    # products ----------------------------------------------------------------------------

    def _items(self, rng, usable: Callable[[Item], bool] = lambda item: True):
        """Products spread over categories, one in SHEET_SHARE from the imported sheet."""
        usable_items = [i for i in self.r.items if usable(i) and i.brand]
        sheet = list(spread(rng, [i for i in usable_items if i.from_sheet], lambda i: i.maker))
        demo = spread(rng, [i for i in usable_items if not i.from_sheet], lambda i: i.category)
        for count, item in enumerate(demo):
            if count % SHEET_SHARE == 0 and sheet:
                yield sheet.pop(0)
            yield item
        yield from sheet

    def _brand_and(self, item: Item, rule: Callable[[Item], bool]) -> frozenset:
        """Every product of the same brand (any maker: brands are shared) the rule accepts."""
        return frozenset(("product", i.id) for i in self.r.by_brand[fold(item.brand)] if rule(i))

    def kind_brand_and_product(self, rng):
        for item in self._items(rng):
            text = messy(rng, f"{item.brand} {item.name}")
            yield Judged(
                "brand + product",
                text,
                self._brand_and(item, lambda i, n=item.name: fold(i.name) == fold(n)),
            )

    def kind_brand_and_everyday_word(self, rng):
        """恒泰 充电宝: the everyday word for the official name, from EVERYDAY."""
        for item in self._items(
            rng, lambda i: any(o in i.name for w in EVERYDAY.values() for o in w)
        ):
            words = sorted(
                w for w, official in EVERYDAY.items() if any(o in item.name for o in official)
            )
            word = rng.choice(words)
            yield Judged(
                "brand + everyday word",
                f"{item.brand} {word}",
                self._brand_and(item, lambda i, w=word: any(o in i.name for o in EVERYDAY[w])),
            )

    def kind_brand_and_part_of_name(self, rng):
        """宏达 纸杯 for 食品用纸杯: the name without the modifiers in front."""
        for item in self._items(rng):
            part = item.name
            while part.startswith(MODIFIERS):
                part = part[next(len(m) for m in MODIFIERS if part.startswith(m)) :]
            if 2 <= len(part) < len(item.name):
                yield Judged(
                    "brand + part of name",
                    f"{item.brand} {part}",
                    self._brand_and(item, lambda i, p=part: p in i.name),
                )

    def kind_barcode(self, rng):
        """GTIN-13 as printed, or as GTIN-14 with a leading zero, sometimes spaced."""
        for item in self._items(rng, lambda i: bool(i.gtins)):
            gtin = rng.choice(sorted(item.gtins))
            form = rng.randrange(3)
            text = (
                gtin
                if form == 0
                else f"0{gtin}"
                if form == 1
                else f"{gtin[0]} {gtin[1:7]} {gtin[7:]}"
            )
            yield Judged(
                "barcode",
                text,
                frozenset(
                    ("product", i.id)
                    for i in self.r.items
                    if gtin.lstrip("0") in {g.lstrip("0") for g in i.gtins}
                ),
            )

    def kind_model(self, rng):
        for item in self._items(rng, lambda i: bool(i.model)):
            if loose := loosen_model(rng, item.model):
                wanted = compact_model(loose)
                yield Judged(
                    "model",
                    loose,
                    frozenset(
                        ("product", i.id) for i in self.r.items if wanted in compact_model(i.model)
                    ),
                )

    def kind_name_verdict(self, rng):
        """ "绿洲餐具 不合格": a maker's core name or a brand, and the verdict; answers are the
        products with a public result of that verdict."""
        for item in self._items(rng, lambda i: i.maker is not None and bool(i.outcomes)):
            outcome = rng.choice(sorted({o for o, _ in item.outcomes} & set(VERDICTS)))
            word = rng.choice(VERDICTS[outcome])
            if rng.random() < 0.5:
                core = self.r.firm[item.maker].core
                makers = self.by_core[fold(core)]
                accept = frozenset(
                    ("product", i.id)
                    for i in self.r.items
                    if i.maker in makers and any(o == outcome for o, _ in i.outcomes)
                )
                yield Judged("name + verdict", f"{core} {word}", accept)
            else:
                yield Judged(
                    "name + verdict",
                    f"{item.brand}{rng.choice(('', ' '))}{word}",
                    self._brand_and(item, lambda i, o=outcome: any(x == o for x, _ in i.outcomes)),
                )

    def kind_name_year(self, rng):
        """ "海尔 2019年": products of the brand checked that year."""
        for item in self._items(rng, lambda i: bool(i.outcomes)):
            year = rng.choice(sorted({y for _, y in item.outcomes}))
            written = rng.choice((f"{year}年", f"{year}", f" {year} 年"))
            yield Judged(
                "name + year",
                f"{item.brand} {written}",
                self._brand_and(item, lambda i, y=year: any(x == y for _, x in i.outcomes)),
            )

    def kind_brand_only(self, rng):
        """The brand alone: its products, and the makers that put it on them."""
        for item in self._items(rng):
            same = self.r.by_brand[fold(item.brand)]
            accept = {("product", i.id) for i in same} | {
                ("enterprise", i.maker) for i in same if i.maker
            }
            yield Judged("brand only", messy(rng, item.brand), frozenset(accept))

    def kind_punctuation(self, rng):
        """Names in brackets, quotes or with a stop, as copied from a notice or a chat; ASCII
        parts in full width."""
        firms, items = self._firms(rng), self._items(rng)
        while True:
            firm, item = next(firms, None), next(items, None)
            if firm is None or item is None:
                return
            yield Judged(
                "punctuation, full width",
                rng.choice(PUNCTUATION).format(firm.core),
                self._same_core(firm),
            )
            text = rng.choice(PUNCTUATION).format(item.brand) + full_width(item.name)
            yield Judged(
                "punctuation, full width",
                text,
                self._brand_and(item, lambda i, n=item.name: i.name == n),
            )


# -- scoring -----------------------------------------------------------------------------------

Ranking = list[tuple[str, int]]


def engine_ranking(text: str) -> Ranking:
    """The engine's first page for `text`: the one call to change if LookupQuery's API does."""
    from search.queries import LookupQuery

    return [(hit.kind, hit.object_id) for hit in LookupQuery(text).execute().hits]


def fallback_ranking(text: str) -> Ranking:
    """What a citizen gets when the engine is down."""
    from search.fallback import database_lookup

    return [(hit.kind, hit.object_id) for hit in database_lookup(text).hits]


@dataclass
class Scores:
    queries: int = 0
    recall_at_5: float = 0.0
    mrr: float = 0.0
    ndcg_at_10: float = 0.0

    def add(self, ranking: Ranking, accept: frozenset) -> None:
        """Binary relevance: any acceptable answer counts as fully right."""
        ranks = [rank for rank, hit in enumerate(ranking, 1) if hit in accept]
        self.queries += 1
        self.recall_at_5 += bool(ranks and ranks[0] <= 5)
        self.mrr += 1 / ranks[0] if ranks else 0
        gain = sum(1 / math.log2(rank + 1) for rank in ranks if rank <= 10)
        ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(len(accept), 10) + 1))
        self.ndcg_at_10 += gain / ideal

    def means(self) -> dict[str, float]:
        n = max(self.queries, 1)
        return {
            "queries": self.queries,
            "recall_at_5": round(self.recall_at_5 / n, 3),
            "mrr": round(self.mrr / n, 3),
            "ndcg_at_10": round(self.ndcg_at_10 / n, 3),
        }


@dataclass
class Miss:
    kind: str
    text: str
    expected: list[tuple[str, int]]
    first: tuple[str, int] | None


def score(judged: list[Judged], rank: Callable[[str], Ranking]) -> tuple[dict, list[Miss]]:
    """Scores per kind and overall ("all"), and the queries whose answer was not in the top 5."""
    per_kind: dict[str, Scores] = defaultdict(Scores)
    misses = []
    for query in judged:
        ranking = rank(query.text)
        for key in (query.kind, "all"):
            per_kind[key].add(ranking, query.accept)
        if not set(ranking[:5]) & query.accept:
            misses.append(
                Miss(query.kind, query.text, sorted(query.accept), next(iter(ranking), None))
            )
    return {kind: scores.means() for kind, scores in per_kind.items()}, misses


def run_suite(per_kind: int, seed: int = SEED) -> dict:
    """Build the judged queries from what is loaded and score engine and fallback."""
    judged = Suite(read_registry(), per_kind, seed).build()
    engine, engine_misses = score(judged, engine_ranking)
    fallback, fallback_misses = score(judged, fallback_ranking)
    return {
        "queries": len(judged),
        "kinds": sorted({q.kind for q in judged}),
        "engine": engine,
        "fallback": fallback,
        "engine_misses": engine_misses,
        "fallback_misses": fallback_misses,
    }


# -- reporting ---------------------------------------------------------------------------------


def label(kind: str, pk: int) -> str:
    from portal.registry.models import Enterprise, Product

    model = Enterprise if kind == "enterprise" else Product
    found = model.objects.filter(pk=pk).first()
    return f"{kind[0]}{pk} {found}" if found else f"{kind[0]}{pk} (gone)"


def table(result: dict) -> str:
    """A Markdown table, kinds in the order of the suite, overall last."""
    lines = [
        "| kind | queries | recall@5 engine / fallback | MRR engine / fallback "
        "| nDCG@10 engine / fallback |",
        "|---|--:|--:|--:|--:|",
    ]
    for kind in [*result["kinds"], "all"]:
        e, f = result["engine"][kind], result["fallback"][kind]
        cells = [f"{e[m]:.2f} / {f[m]:.2f}" for m in ("recall_at_5", "mrr", "ndcg_at_10")]
        name = "**overall**" if kind == "all" else kind
        lines.append(f"| {name} | {e['queries']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failures(result: dict, side: str) -> str:
    """The misses of one side, per kind: the query, what was expected, what came first."""
    lines = []
    by_kind: dict[str, list[Miss]] = defaultdict(list)
    for miss in result[f"{side}_misses"]:
        by_kind[miss.kind].append(miss)
    for kind in result["kinds"]:
        misses = by_kind.get(kind, [])
        lines.append(f"\n## {side}: {kind} ({len(misses)} missed)")
        for miss in misses:
            more = f" (+{len(miss.expected) - 1} more)" if len(miss.expected) > 1 else ""
            first = label(*miss.first) if miss.first else "nothing"
            lines.append(f"  {miss.text!r}\n    want  {label(*miss.expected[0])}{more}")
            lines.append(f"    first {first}")
    return "\n".join(lines)


def write_docs(result: dict, scale: float, seconds: float) -> None:
    text = DOCS.read_text()
    start, end = text.index(DOCS_START) + len(DOCS_START), text.index(DOCS_END)
    block = (
        "\n`benchmarks/relevance.py` (written by its `--write-docs`) derives judged queries from "
        "the data by rules, one rule per way citizens type, with every answer a fair judge "
        "would accept, and scores the engine (`LookupQuery`) and the database fallback side by "
        "side: recall@5 (an acceptable answer in the top 5), MRR and nDCG@10. "
        "`--failures` lists each miss with what was wanted and what came first; "
        "`tests/search/test_relevance_suite.py` fails when overall engine recall@5 drops more "
        "than 0.02 below the figure in `benchmarks/relevance_baseline.json`.\n\n"
        f"{result['queries']} queries over the demo at scale {scale:g} plus the imported sheet "
        f"`{SHEET.relative_to(ROOT)}`, measured {date.today():%Y-%m-%d} "
        f"({seconds:.0f} s for the queries of `relevance.py --scale {scale:g}`):\n\n"
        f"{table(result)}\n"
    )
    DOCS.write_text(text[:start] + block + text[end:])


def record(result: dict, scale: float, section: str) -> None:
    """Keep the figures in relevance_baseline.json under `section` ("benchmark" or "test")."""
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    baseline[section] = {
        "date": f"{date.today():%Y-%m-%d}",
        "scale": scale,
        "queries": result["queries"],
        "overall": {side: result[side]["all"]["recall_at_5"] for side in ("engine", "fallback")},
        "recall_at_5": {
            kind: {side: result[side][kind]["recall_at_5"] for side in ("engine", "fallback")}
            for kind in result["kinds"]
        },
    }
    BASELINE.write_text(json.dumps(baseline, ensure_ascii=False, indent=2) + "\n")


def per_kind_for(scale: float) -> int:
    """Queries per kind: 24 on the benchmark's data, fewer on the test's small registry."""
    return 24 if scale >= 0.5 else 12


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true", help="keep the data already loaded")
    parser.add_argument("--seed", type=int, default=SEED, help="sampling seed of the queries")
    parser.add_argument("--json", action="store_true", help="machine-readable scores")
    parser.add_argument("--failures", action="store_true", help="list the misses per kind")
    parser.add_argument("--write-docs", action="store_true", help="docs/search.md + baseline")
    parser.add_argument(
        "--record-test",
        action="store_true",
        help=f"record the test's figure (--scale {TEST_SCALE})",
    )
    args = parser.parse_args()
    if args.record_test and args.scale != TEST_SCALE:
        parser.error(f"--record-test needs --scale {TEST_SCALE}, the test's scale")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    say = (lambda line: print(line, file=sys.stderr)) if args.json else print
    load_data(args.scale, reuse=args.reuse, out=say)
    started = time.perf_counter()
    result = run_suite(per_kind_for(args.scale), args.seed)
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps({k: result[k] for k in ("queries", "engine", "fallback")}, indent=2))
    else:
        print(f"{result['queries']} queries, {len(result['kinds'])} kinds, {seconds:.0f} s\n")
        print(table(result))
    if args.failures:
        print(failures(result, "engine"))
        print(failures(result, "fallback"))
    if args.write_docs:
        write_docs(result, args.scale, seconds)
        record(result, args.scale, "benchmark")
    if args.record_test:
        record(result, args.scale, "test")


if __name__ == "__main__":
    main()
