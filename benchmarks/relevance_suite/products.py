"""The judged-query kinds about products: brand and name, everyday words, barcodes, models,
verdicts and years."""

from __future__ import annotations

from .data import fold
from .judged import Judged, Rules
from .writing import compact_model, loosen_model, messy

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
VERDICTS = {"fail": ("不合格", "不合格产品", "抽查不合格"), "pass": ("合格",)}


class ProductKinds(Rules):
    """Products looked up by brand with a name, a code, a verdict or a year."""

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
