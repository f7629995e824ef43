"""What the demo knows about each product type: what is made, tested against what, and how
it fails.

The test items, limits and standards are the ones real notices cite for these products, so
the demo's failures read like real ones; measured values are drawn beyond the limit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

YEARS = (2017, 2018, 2019, 2020)


@dataclass(frozen=True)
class TestItem:
    """A test item and how a failing measurement of it looks.

    kind "max"/"min": `limit` is a number and a failing value lies beyond it; "range":
    `limit` is (low, high); "text": `limit` is the requirement and `outcomes` the findings.
    """

    item: str
    kind: str
    limit: float | tuple[float, float] | str
    unit: str = ""
    safety: bool = False
    decimals: int = 1
    outcomes: tuple[str, ...] = ()
    applies_to: str = ""
    years: tuple[int, int] = (2017, 2020)

    def applies(self, product: str, year: int) -> bool:
        """Whether the item is tested on `product` (its name and model) in `year`."""
        return self.applies_to in product and self.years[0] <= year <= self.years[1]

    def failing(self, rng: random.Random) -> tuple[str, str]:
        """A failing (measured, required) pair."""
        if self.kind == "text":
            return rng.choice(self.outcomes), str(self.limit)
        if self.kind == "range":
            low, high = self.limit
            value = (
                low - rng.uniform(0.3, 1.2) if rng.random() < 0.3 else high + rng.uniform(0.2, 1.6)
            )
            return self._number(value), f"{self._number(low)}～{self._number(high)}"
        if self.kind == "max":
            # Most failures are near the limit, a few far beyond it.
            factor = min(1.05 + rng.expovariate(1 / 0.35), 6)
            return self._number(self.limit * factor), f"≤{self._number(self.limit)}"
        return self._number(self.limit * rng.uniform(0.5, 0.95)), f"≥{self._number(self.limit)}"

    def _number(self, value: float) -> str:
        return f"{value:.{self.decimals}f}"


@dataclass(frozen=True)
class Profile:
    """A leaf of the catalogue as the demo fills it.

    `products` pairs a product name with its specifications; `template` builds the model
    from one of them and the maker's code. `weight` sets the category's share of products,
    batches and results; `base_rate` its non-conformity rate before year and channel.
    `channels` weighs production, retail and e-commerce sampling.
    """

    code: str
    weight: int
    base_rate: float
    lab: str
    industry: tuple[str, ...]
    products: tuple[tuple[str, tuple[str, ...]], ...]
    template: str
    standards: tuple[tuple[str, int, int], ...]
    items: tuple[TestItem, ...]
    regions: tuple[tuple[str, str, str], ...]
    channels: tuple[float, float, float] = (0.4, 0.35, 0.25)
    retail_trade: str = "商超"
    licence: tuple[str, str] | None = None

    def standards_for(self, year: int) -> list[str]:
        return [text for text, first, last in self.standards if first <= year <= last]


def _std(text: str, first: int = 2017, last: int = 2020) -> tuple[str, int, int]:
    return (text, first, last)


CHILD_SIZES = ("100/52", "110/56", "120/60", "130/64", "140/68", "150/72", "160/76")
BABY_SIZES = ("59/44", "66/44", "73/48", "80/48", "90/52")
TEXTILE_REGIONS = (
    ("浙江省", "湖州市", "吴兴区织里镇"),
    ("广东省", "佛山市", "南海区"),
    ("福建省", "泉州市", "石狮市"),
    ("江苏省", "苏州市", "常熟市"),
)
ELECTRONICS_REGIONS = (
    ("广东省", "深圳市", "宝安区"),
    ("广东省", "深圳市", "龙岗区"),
    ("广东省", "东莞市", "长安镇"),
)
APPLIANCE_REGIONS = (
    ("广东省", "佛山市", "顺德区"),
    ("浙江省", "宁波市", "慈溪市"),
    ("广东省", "中山市", "小榄镇"),
)
FOOD_CONTACT_REGIONS = (
    ("浙江省", "台州市", "黄岩区"),
    ("浙江省", "温州市", "苍南县"),
    ("江苏省", "苏州市", "吴中区"),
)

GB_18401 = _std("GB 18401-2010《国家纺织产品基本安全技术规范》")
GB_31701 = _std("GB 31701-2015《婴幼儿及儿童纺织产品安全技术规范》")
GB_5296_4 = _std("GB/T 5296.4-2012《消费品使用说明 第4部分：纺织品和服装》")
GB_21027 = _std("GB 21027-2007《学生用品的安全通用要求》")
GB_6675 = _std("GB 6675.1～6675.4-2014《玩具安全》")
GB_4706_1 = _std("GB 4706.1-2005《家用和类似用途电器的安全 第1部分：通用要求》")
GB_4343_1 = _std("GB 4343.1-2018《家用电器、电动工具和类似器具的电磁兼容要求 第1部分：发射》")
GB_4806_7 = _std("GB 4806.7-2016《食品安全国家标准 食品接触用塑料材料及制品》")
GB_4943_1 = _std("GB 4943.1-2011《信息技术设备 安全 第1部分：通用要求》")

# GB/T 3956-2008 maximum resistance at 20 °C of the conductors the demo's cables use.
CONDUCTOR_RESISTANCE = (
    ("1×1.5mm²", 12.1),
    ("1×2.5mm²", 7.41),
    ("1×4mm²", 4.61),
    ("1×6mm²", 3.08),
    ("2×1.0mm²", 19.5),
    ("3×1.5mm²", 13.3),
    ("3×2.5mm²", 7.98),
    ("3×25+1×16mm²", 0.727),
    ("4×35mm²", 0.524),
)

PH_CHILD = TestItem("pH值", "range", (4.0, 8.5))
PH_BABY = TestItem("pH值", "range", (4.0, 7.5))
FIBRE = TestItem(
    "纤维含量",
    "text",
    "棉100%（标注值）",
    outcomes=(
        "棉82.4% 聚酯纤维17.6%",
        "棉76.1% 粘纤23.9%",
        "聚酯纤维100%",
        "棉61.3% 聚酯纤维38.7%",
    ),
)
CORDS = TestItem(
    "绳带要求",
    "text",
    "7岁及以下儿童服装头部和颈部不应有任何绳带",
    safety=True,
    outcomes=("头部有可调节绳带", "颈部有装饰性绳带", "帽子有自由端绳带"),
)
AZO = TestItem("可分解致癌芳香胺染料", "max", 20, "mg/kg", safety=True, decimals=0)
LABEL_TEXTILE = TestItem(
    "使用说明",
    "text",
    "符合GB/T 5296.4-2012要求",
    outcomes=("未标注安全技术类别", "纤维含量标注不规范", "未标注产品标准编号", "未标注号型规格"),
)
LEAD = TestItem("可迁移元素（铅）", "max", 90, "mg/kg", safety=True, decimals=0)
PHTHALATES = TestItem("邻苯二甲酸酯（DEHP+DBP+BBP）", "max", 0.1, "%", safety=True, decimals=2)
FORMALDEHYDE_BOARD = TestItem("甲醛释放量", "max", 1.5, "mg/L", safety=True)
ELECTRIC_STRENGTH = TestItem(
    "泄漏电流和电气强度",
    "text",
    "试验期间不应出现击穿",
    safety=True,
    outcomes=("电气强度试验中发生击穿", "泄漏电流超过限值"),
)
EARTHING = TestItem(
    "接地措施",
    "text",
    "接地端子与易触及金属部件之间的电阻不应超过0.1 Ω",
    safety=True,
    outcomes=("接地电阻为0.23 Ω", "接地电阻为0.35 Ω", "易触及金属部件未可靠接地"),
)
POWER_INPUT = TestItem(
    "输入功率和电流",
    "text",
    "偏差+5%～-10%",
    outcomes=("偏差+11.2%", "偏差-14.6%", "偏差+8.3%", "偏差-18.9%"),
)
MARKING_APPLIANCE = TestItem(
    "标志和说明",
    "text",
    "符合GB 4706.1-2005第7章要求",
    outcomes=("未标注额定功率", "警示语不符合要求", "未标注制造商名称"),
)
EMC_POWER = TestItem(
    "骚扰功率",
    "text",
    "不超过GB 4343.1-2018规定的限值",
    outcomes=("超出准峰值限值3.2 dB", "超出平均值限值5.8 dB"),
)
HEATING = TestItem(
    "发热",
    "text",
    "温升不超过GB 4706.1-2005表3规定的限值",
    safety=True,
    outcomes=("手柄温升超过限值", "电源线温升超过限值", "外壳温升超过限值"),
)
MIGRATION = TestItem("总迁移量", "max", 10, "mg/dm²", safety=True)
KMNO4 = TestItem("高锰酸钾消耗量", "max", 10, "mg/kg")
DECOLOUR = TestItem("脱色试验", "text", "阴性", safety=True, outcomes=("阳性",))

PROFILES: tuple[Profile, ...] = (
    Profile(
        code="0101",
        weight=9,
        base_rate=0.12,
        lab="textile",
        industry=("服饰", "服装", "制衣", "童装", "针织"),
        products=tuple(
            (name, CHILD_SIZES)
            for name in (
                "儿童T恤",
                "儿童连衣裙",
                "儿童卫衣",
                "儿童羽绒服",
                "儿童牛仔裤",
                "儿童针织开衫",
                "儿童棉服",
                "儿童运动裤",
                "儿童衬衫",
                "儿童套装",
            )
        ),
        template="{variant} 货号：{code}",
        standards=(GB_31701, GB_18401, GB_5296_4),
        items=(
            FIBRE,
            CORDS,
            PH_CHILD,
            TestItem("甲醛含量", "max", 75, "mg/kg", safety=True, decimals=0),
            AZO,
            TestItem("耐水色牢度", "text", "≥3", "级", outcomes=("2-3", "2")),
            TestItem("耐汗渍色牢度", "text", "≥3", "级", outcomes=("2-3", "2")),
            LABEL_TEXTILE,
        ),
        regions=TEXTILE_REGIONS,
        channels=(0.3, 0.4, 0.3),
    ),
    Profile(
        code="0102",
        weight=5,
        base_rate=0.08,
        lab="textile",
        industry=("服饰", "婴童用品", "针织", "服装"),
        products=tuple(
            (name, BABY_SIZES)
            for name in ("婴儿连体衣", "婴儿爬服", "婴幼儿内衣套装", "婴儿睡袋", "婴幼儿外套")
        ),
        template="{variant} 货号：{code}",
        standards=(GB_31701, GB_18401),
        items=(
            FIBRE,
            CORDS,
            PH_BABY,
            TestItem("甲醛含量", "max", 20, "mg/kg", safety=True, decimals=0),
            TestItem("耐唾液色牢度", "text", "≥4", "级", outcomes=("3-4", "3")),
            TestItem("附件抗拉强力", "min", 70, "N", safety=True, decimals=0),
            LABEL_TEXTILE,
        ),
        regions=TEXTILE_REGIONS,
        channels=(0.25, 0.45, 0.3),
    ),
    Profile(
        code="0103",
        weight=4,
        base_rate=0.10,
        lab="light",
        industry=("箱包", "皮具", "包袋"),
        products=(
            ("学生书包", ("小号", "中号", "大号")),
            ("双肩书包", ("33×25×13cm", "40×30×18cm")),
            ("拉杆书包", ("中号", "大号")),
        ),
        template="{code} {variant}",
        standards=(GB_21027, _std("QB/T 1333-2018《背提包》")),
        items=(
            TestItem("脱色性", "text", "干擦≥3级，湿擦≥2级", outcomes=("干擦2级", "湿擦1-2级")),
            TestItem("缝合强度", "min", 120, "N", decimals=0),
            LEAD,
            PHTHALATES,
            TestItem("背带抗拉强力", "min", 400, "N", decimals=0),
        ),
        regions=(("广东省", "广州市", "白云区"), ("河北省", "保定市", "白沟新城")),
        channels=(0.25, 0.4, 0.35),
    ),
    Profile(
        code="0104",
        weight=5,
        base_rate=0.07,
        lab="light",
        industry=("文具", "文化用品", "办公用品"),
        products=(
            ("铅笔", ("HB", "2B")),
            ("中性笔", ("0.5mm", "0.38mm")),
            ("橡皮擦", ("4B", "2B")),
            ("修正带", ("5mm×6m",)),
            ("学生胶水", ("50mL",)),
            ("水彩笔", ("12色", "24色", "36色")),
            ("作业本", ("36K", "32K")),
        ),
        template="{code} {variant}",
        standards=(GB_21027, _std("GB 8771-2007《铅笔涂层中可溶性元素最大限量》")),
        items=(
            LEAD,
            PHTHALATES,
            TestItem("游离甲醛", "max", 1000, "mg/kg", safety=True, decimals=0),
            TestItem("亮度（白度）", "max", 85, "%"),
            TestItem("书写性能", "text", "书写流畅，无断线", outcomes=("书写断线", "起笔不出水")),
        ),
        regions=(("浙江省", "宁波市", "宁海县"), ("浙江省", "金华市", "义乌市")),
        channels=(0.3, 0.45, 0.25),
    ),
    Profile(
        code="0105",
        weight=6,
        base_rate=0.09,
        lab="toys",
        industry=("玩具", "塑胶制品", "工艺品"),
        products=(
            ("毛绒玩具", ("25cm", "40cm", "60cm")),
            ("塑胶玩具车", ("1:24", "1:32")),
            ("积木", ("120粒", "300粒")),
            ("遥控车", ("1:16",)),
            ("玩具娃娃", ("30cm",)),
            ("磁性积木", ("64件",)),
        ),
        template="{code} {variant}",
        standards=(GB_6675, _std("GB 5296.5-2006《消费品使用说明 第5部分：玩具》")),
        items=(
            TestItem(
                "小零件",
                "text",
                "供36个月以下儿童使用的玩具不应含有小零件",
                safety=True,
                outcomes=("眼睛脱落后为小零件", "轮子脱落后为小零件"),
            ),
            TestItem(
                "锐利边缘",
                "text",
                "不应有危险锐利边缘",
                safety=True,
                outcomes=("存在危险锐利边缘",),
            ),
            PHTHALATES,
            LEAD,
            TestItem("玩具磁体（磁通量指数）", "max", 50, "kG²mm²", safety=True),
            TestItem(
                "标识和使用说明",
                "text",
                "符合GB 5296.5-2006要求",
                outcomes=("未标注适用年龄", "缺少警告语"),
            ),
        ),
        regions=(("广东省", "汕头市", "澄海区"), ("浙江省", "金华市", "义乌市")),
        channels=(0.25, 0.4, 0.35),
    ),
    Profile(
        code="0106",
        weight=3,
        base_rate=0.11,
        lab="toys",
        industry=("童车", "儿童用品", "婴童用品"),
        products=(
            ("儿童推车", ("伞车", "高景观")),
            ("儿童自行车", ("12英寸", "14英寸", "16英寸")),
            ("儿童三轮车", ("",)),
            ("儿童滑板车", ("三轮",)),
        ),
        template="{code} {variant}",
        standards=(
            _std("GB 14748-2006《儿童推车安全要求》"),
            _std("GB 14746-2006《儿童自行车安全要求》"),
        ),
        items=(
            TestItem("制动性能", "text", "制动装置应有效", safety=True, outcomes=("驻车制动失效",)),
            TestItem("稳定性", "text", "在12°斜面上不应倾翻", safety=True, outcomes=("倾翻",)),
            TestItem(
                "剪切和挤压点",
                "text",
                "可触及的孔和间隙应小于5mm或大于12mm",
                safety=True,
                outcomes=("折叠机构存在挤压点", "间隙为8mm"),
            ),
            PHTHALATES,
            TestItem("束缚系统", "text", "应配备五点式束缚系统", safety=True, outcomes=("未配备",)),
        ),
        regions=(("河北省", "邢台市", "平乡县"), ("江苏省", "苏州市", "昆山市")),
    ),
    Profile(
        code="0107",
        weight=3,
        base_rate=0.13,
        lab="furniture",
        industry=("家具", "木业", "家居用品"),
        products=(
            ("儿童床", ("1200×600mm", "1500×800mm")),
            ("儿童书桌", ("1000×600mm",)),
            ("儿童椅", ("",)),
            ("儿童双层床", ("1900×1000mm",)),
            ("儿童衣柜", ("800×500×1600mm",)),
        ),
        template="{code} {variant}",
        standards=(_std("GB 28007-2011《儿童家具通用技术条件》"),),
        items=(
            FORMALDEHYDE_BOARD,
            LEAD,
            TestItem("稳定性", "text", "不应倾翻", safety=True, outcomes=("倾翻",)),
            TestItem(
                "孔和间隙",
                "text",
                "孔和间隙应小于6mm或大于12mm",
                safety=True,
                outcomes=("床栏间隙为9mm", "孔径为8mm"),
            ),
            TestItem(
                "外角", "text", "外角半径应不小于10mm", safety=True, outcomes=("外角半径为4mm",)
            ),
            TestItem("警示标识", "text", "应有警示标识", outcomes=("未标注警示标识",)),
        ),
        regions=(("广东省", "佛山市", "顺德区"), ("浙江省", "湖州市", "安吉县")),
    ),
    Profile(
        code="0108",
        weight=2,
        base_rate=0.09,
        lab="light",
        industry=("康复器材", "卫生用品", "日用品"),
        products=(
            ("手杖", ("铝合金四脚", "单脚")),
            ("助行器", ("折叠式",)),
            ("成人纸尿裤", ("M码 10片", "L码 10片", "XL码 8片")),
            ("护理垫", ("60×90cm 10片",)),
        ),
        template="{code} {variant}",
        standards=(
            _std("GB/T 19545.4-2008《单臂操作助行器 技术要求和试验方法 第4部分：三脚或多脚手杖》"),
            _std("GB/T 28004-2011《纸尿裤（片、垫）》"),
        ),
        items=(
            TestItem(
                "静态强度",
                "text",
                "试验后无断裂",
                safety=True,
                outcomes=("支撑管断裂",),
                applies_to="手杖",
            ),
            TestItem(
                "静态强度",
                "text",
                "试验后无断裂",
                safety=True,
                outcomes=("折叠锁定失效",),
                applies_to="助行器",
            ),
            TestItem("回渗量", "max", 20, "g", applies_to="纸尿裤"),
            TestItem("滑渗量", "max", 20, "mL", applies_to="纸尿裤"),
            TestItem("渗透性能（回渗量）", "max", 10, "g", applies_to="护理垫"),
        ),
        regions=(("浙江省", "金华市", "永康市"), ("江苏省", "苏州市", "相城区")),
    ),
    Profile(
        code="0109",
        weight=5,
        base_rate=0.15,
        lab="vehicle",
        industry=("电动车", "车业", "助力车"),
        products=(("电动自行车", ("48V12Ah", "48V20Ah", "36V10Ah")),),
        template="TDT{code}Z {variant}",
        standards=(
            _std("GB 17761-1999《电动自行车通用技术条件》", 2017, 2018),
            _std("GB 17761-2018《电动自行车安全技术规范》", 2019, 2020),
        ),
        items=(
            TestItem("整车质量", "max", 40, "kg", decimals=1, years=(2017, 2018)),
            TestItem("整车质量", "max", 55, "kg", decimals=1, years=(2019, 2020)),
            TestItem("最高车速", "max", 20, "km/h", safety=True, years=(2017, 2018)),
            TestItem("最高车速", "max", 25, "km/h", safety=True, years=(2019, 2020)),
            TestItem(
                "电气强度",
                "text",
                "试验中不应发生击穿或闪络",
                safety=True,
                outcomes=("控制器与车架之间发生击穿",),
            ),
            TestItem(
                "制动性能", "text", "干态制动距离≤7m", safety=True, outcomes=("干态制动距离9.6m",)
            ),
            TestItem("脚踏骑行能力（30min骑行距离）", "min", 7, "km", years=(2019, 2020)),
            TestItem(
                "阻燃性能",
                "text",
                "非金属材料燃烧速率不大于75mm/min",
                safety=True,
                outcomes=("燃烧速率为112mm/min",),
                years=(2019, 2020),
            ),
        ),
        regions=(
            ("江苏省", "无锡市", "锡山区"),
            ("天津市", "", "静海区"),
            ("浙江省", "台州市", "路桥区"),
        ),
        channels=(0.35, 0.55, 0.10),
    ),
    Profile(
        code="0110",
        weight=4,
        base_rate=0.16,
        lab="electronic",
        industry=("电子科技", "数码科技", "电源科技"),
        products=(("移动电源", ("5000mAh", "10000mAh", "20000mAh")),),
        template="{code} {variant}",
        standards=(
            GB_4943_1,
            _std("GB/T 35590-2017《信息技术 便携式数字设备用移动电源通用规范》"),
        ),
        items=(
            TestItem(
                "过充电保护", "text", "不起火、不爆炸", safety=True, outcomes=("电芯鼓胀起火",)
            ),
            TestItem("过放电保护", "text", "保护电路应动作", safety=True, outcomes=("未动作",)),
            TestItem(
                "短路保护", "text", "输出短路时应切断输出", safety=True, outcomes=("未切断输出",)
            ),
            TestItem("额定容量（实测/标称）", "min", 90, "%"),
            TestItem("标志和说明", "text", "应标注额定能量", outcomes=("未标注额定能量",)),
        ),
        regions=ELECTRONICS_REGIONS,
        channels=(0.15, 0.35, 0.5),
    ),
    Profile(
        code="011101",
        weight=3,
        base_rate=0.06,
        lab="appliance",
        industry=("电器", "家用电器", "电器科技"),
        products=(
            ("储水式电热水器", ("50L 1500W", "60L 2000W", "80L 2100W")),
            ("即热式电热水器", ("5500W", "7000W")),
        ),
        template="DSZF-{code} {variant}",
        standards=(GB_4706_1, _std("GB 4706.12-2006《储水式热水器的特殊要求》")),
        items=(ELECTRIC_STRENGTH, EARTHING, POWER_INPUT, HEATING, MARKING_APPLIANCE),
        regions=APPLIANCE_REGIONS,
    ),
    Profile(
        code="011102",
        weight=3,
        base_rate=0.07,
        lab="appliance",
        industry=("电器", "家用电器", "厨房电器"),
        products=(("电饭锅", ("3L 500W", "4L 700W", "5L 860W")), ("电饭煲", ("4L 770W",))),
        template="MB-{code} {variant}",
        standards=(GB_4706_1, _std("GB 4706.19-2008《液体加热器的特殊要求》"), GB_4343_1),
        items=(POWER_INPUT, HEATING, ELECTRIC_STRENGTH, EARTHING, MARKING_APPLIANCE, EMC_POWER),
        regions=APPLIANCE_REGIONS,
    ),
    Profile(
        code="011103",
        weight=3,
        base_rate=0.12,
        lab="appliance",
        industry=("电器", "家用电器", "电器科技"),
        products=(("电吹风", ("1200W", "1800W", "2000W")), ("负离子电吹风", ("1600W",))),
        template="RCY-{code} {variant}",
        standards=(GB_4706_1, _std("GB 4706.15-2008《皮肤及毛发护理器具的特殊要求》"), GB_4343_1),
        items=(
            POWER_INPUT,
            TestItem(
                "对触及带电部件的防护",
                "text",
                "试验指不应触及带电部件",
                safety=True,
                outcomes=("试验指可触及带电部件",),
            ),
            HEATING,
            TestItem("非正常工作", "text", "不应起火", safety=True, outcomes=("外壳起火",)),
            TestItem(
                "电源连接和外部软线",
                "text",
                "软线截面积不小于0.75mm²",
                safety=True,
                outcomes=("软线截面积为0.5mm²",),
            ),
            EMC_POWER,
        ),
        regions=APPLIANCE_REGIONS,
        channels=(0.25, 0.35, 0.4),
    ),
    Profile(
        code="0112",
        weight=3,
        base_rate=0.14,
        lab="gas",
        industry=("燃气具", "厨房设备", "厨具"),
        products=(
            ("家用燃气灶", ("嵌入式 天然气", "台式 液化石油气")),
            ("燃气灶", ("嵌入式 天然气 双眼",)),
        ),
        template="JZT-{code} {variant}",
        standards=(_std("GB 16410-2007《家用燃气灶具》"),),
        items=(
            TestItem("熄火保护装置（闭阀时间）", "max", 60, "s", safety=True, decimals=0),
            TestItem("热效率", "min", 55, "%"),
            TestItem("干烟气中CO浓度", "max", 0.05, "%", safety=True, decimals=3),
            TestItem("气密性（漏气量）", "max", 0.07, "L/h", safety=True, decimals=2),
            TestItem("标志", "text", "应标注适用气种", outcomes=("未标注适用气种",)),
        ),
        regions=(("广东省", "中山市", "东凤镇"), ("浙江省", "绍兴市", "嵊州市")),
    ),
    Profile(
        code="0113",
        weight=5,
        base_rate=0.12,
        lab="furniture",
        industry=("家具", "木业", "家居"),
        products=(
            ("实木餐桌", ("1400×800mm", "1200×700mm")),
            ("板式衣柜", ("1600×550×2000mm",)),
            ("办公椅", ("",)),
            ("床头柜", ("500×400×500mm",)),
            ("实木床", ("1800×2000mm", "1500×2000mm")),
            ("书柜", ("800×300×1800mm",)),
        ),
        template="{code} {variant}",
        standards=(
            _std("GB 18584-2001《室内装饰装修材料 木家具中有害物质限量》"),
            _std("GB/T 3324-2017《木家具通用技术条件》"),
        ),
        items=(
            FORMALDEHYDE_BOARD,
            TestItem("稳定性", "text", "不应倾翻", safety=True, outcomes=("倾翻",)),
            TestItem("漆膜附着力", "text", "≤3级", outcomes=("4级", "5级")),
            TestItem("耐冷液", "text", "≥3级", outcomes=("2级",)),
            TestItem("重金属（可溶性铅）", "max", 90, "mg/kg", safety=True, decimals=0),
        ),
        regions=(("广东省", "佛山市", "顺德区"), ("江苏省", "苏州市", "吴江区")),
    ),
    Profile(
        code="011401",
        weight=2,
        base_rate=0.17,
        lab="electronic",
        industry=("智能科技", "安防科技", "锁业"),
        products=(("智能门锁", ("推拉式", "直板式")), ("指纹锁", ("全自动",))),
        template="{code} {variant}",
        standards=(
            _std("GA 374-2001《电子防盗锁》"),
            _std("GA 701-2007《指纹防盗锁通用技术条件》"),
        ),
        items=(
            TestItem(
                "防破坏性能",
                "text",
                "规定冲击后锁不应被打开",
                safety=True,
                outcomes=("冲击后锁被打开",),
            ),
            TestItem(
                "防技术开启",
                "text",
                "不应被电磁干扰装置开启",
                safety=True,
                outcomes=("可被电磁干扰装置开启",),
            ),
            TestItem("指纹识别误识率", "max", 0.001, "%", decimals=3),
            TestItem("静电放电抗扰度", "text", "功能正常", outcomes=("试验后锁死",)),
        ),
        regions=(("浙江省", "金华市", "永康市"), ("广东省", "中山市", "小榄镇")),
        channels=(0.2, 0.3, 0.5),
    ),
    Profile(
        code="011402",
        weight=2,
        base_rate=0.15,
        lab="electronic",
        industry=("智能科技", "电子科技", "安防科技"),
        products=(
            ("智能摄像头", ("1080P", "2K")),
            ("家用无线监控摄像头", ("360°云台",)),
        ),
        template="C{code} {variant}",
        standards=(GB_4943_1, _std("GB/T 9254-2008《信息技术设备的无线电骚扰限值和测量方法》")),
        items=(
            TestItem("辐射骚扰", "text", "不超过B级限值", outcomes=("超出B级限值4.1 dB",)),
            TestItem("传导骚扰", "text", "不超过B级限值", outcomes=("超出B级限值6.7 dB",)),
            TestItem("接触电流", "max", 0.25, "mA", safety=True, decimals=2),
            TestItem("标记和说明", "text", "应有中文安全警告", outcomes=("无中文安全警告",)),
        ),
        regions=ELECTRONICS_REGIONS,
        channels=(0.15, 0.25, 0.6),
    ),
    Profile(
        code="0201",
        weight=4,
        base_rate=0.07,
        lab="food_contact",
        industry=("塑料制品", "包装制品", "餐具"),
        products=(
            ("一次性塑料餐盒", ("500mL", "750mL", "1000mL")),
            ("一次性塑料杯", ("400mL", "500mL")),
            ("一次性塑料碗", ("450mL",)),
            ("一次性塑料吸管", ("6×210mm",)),
        ),
        template="{variant} {code}",
        standards=(
            GB_4806_7,
            _std("GB 18006.1-2009《塑料一次性餐饮具通用技术要求》"),
        ),
        items=(
            MIGRATION,
            KMNO4,
            DECOLOUR,
            TestItem("重金属（以Pb计）", "max", 1, "mg/kg", safety=True),
            TestItem("负重性能", "text", "高度变化率≤5%", outcomes=("高度变化率为9.3%",)),
        ),
        regions=FOOD_CONTACT_REGIONS,
        licence=("XK16-204", "食品用塑料包装容器工具等制品"),
    ),
    Profile(
        code="0202",
        weight=3,
        base_rate=0.06,
        lab="food_contact",
        industry=("纸制品", "包装材料", "彩印包装"),
        products=(
            ("纸杯", ("7盎司", "9盎司")),
            ("纸碗", ("750mL",)),
            ("纸餐盒", ("1000mL",)),
            ("食品包装纸袋", ("",)),
        ),
        template="{variant} {code}",
        standards=(_std("GB 4806.8-2016《食品安全国家标准 食品接触用纸和纸板材料及制品》"),),
        items=(
            TestItem("荧光性物质", "text", "阴性", safety=True, outcomes=("阳性",)),
            TestItem("铅（以Pb计）", "max", 3.0, "mg/kg", safety=True),
            TestItem("砷（以As计）", "max", 1.0, "mg/kg", safety=True),
            MIGRATION,
            TestItem("大肠菌群", "text", "不得检出", safety=True, outcomes=("检出",)),
            DECOLOUR,
        ),
        regions=FOOD_CONTACT_REGIONS,
        licence=("XK16-205", "食品用纸包装、容器等制品"),
    ),
    Profile(
        code="0203",
        weight=3,
        base_rate=0.08,
        lab="food_contact",
        industry=("塑料包装", "包装材料", "塑胶"),
        products=(
            ("食品用塑料包装袋", ("PE",)),
            ("复合膜袋", ("PET/PE", "PET/AL/PE", "NY/PE")),
            ("保鲜膜", ("30cm×20m", "30cm×50m")),
        ),
        template="{variant} {code}",
        standards=(GB_4806_7, _std("GB/T 10004-2008《包装用塑料复合膜、袋 干法复合、挤出复合》")),
        items=(
            TestItem("溶剂残留总量", "max", 5.0, "mg/m²"),
            TestItem("苯类溶剂残留量", "text", "不得检出", safety=True, outcomes=("检出0.8mg/m²",)),
            MIGRATION,
            KMNO4,
            TestItem("剥离力", "min", 0.6, "N/15mm"),
            TestItem("热合强度", "min", 12, "N/15mm"),
        ),
        regions=FOOD_CONTACT_REGIONS,
        licence=("XK16-204", "食品用塑料包装容器工具等制品"),
    ),
    Profile(
        code="0204",
        weight=2,
        base_rate=0.10,
        lab="appliance",
        industry=("食品机械", "机械设备", "厨房设备"),
        products=(
            ("商用电热开水器", ("30L 3kW", "60L 6kW")),
            ("商用电磁炉", ("3.5kW", "5kW")),
            ("电热蒸饭柜", ("12盘",)),
            ("和面机", ("25kg",)),
        ),
        template="{code} {variant}",
        standards=(
            _std("GB 16798-1997《食品机械安全卫生》"),
            GB_4706_1,
        ),
        items=(EARTHING, ELECTRIC_STRENGTH, POWER_INPUT, MARKING_APPLIANCE),
        regions=(("广东省", "广州市", "番禺区"), ("浙江省", "温州市", "瑞安市")),
        channels=(0.6, 0.25, 0.15),
    ),
    Profile(
        code="0301",
        weight=5,
        base_rate=0.15,
        lab="cable",
        industry=("电线电缆", "电缆", "线缆"),
        products=(
            (
                "聚氯乙烯绝缘电缆电线",
                (
                    "BV 450/750V 1×1.5mm²",
                    "BV 450/750V 1×2.5mm²",
                    "BV 450/750V 1×4mm²",
                    "BV 450/750V 1×6mm²",
                    "BVR 450/750V 1×2.5mm²",
                    "BVR 450/750V 1×4mm²",
                ),
            ),
            (
                "聚氯乙烯绝缘聚氯乙烯护套软电缆",
                ("RVV 300/500V 2×1.0mm²", "RVV 300/500V 3×1.5mm²", "RVV 300/500V 3×2.5mm²"),
            ),
            ("交联聚乙烯绝缘电力电缆", ("YJV 0.6/1kV 3×25+1×16mm²", "YJV 0.6/1kV 4×35mm²")),
            ("阻燃聚氯乙烯绝缘电线", ("ZR-BV 450/750V 1×2.5mm²", "ZR-BV 450/750V 1×4mm²")),
        ),
        template="{variant}",
        standards=(
            _std("GB/T 5023.3-2008《额定电压450/750V及以下聚氯乙烯绝缘电缆 第3部分》"),
            _std("GB/T 3956-2008《电缆的导体》"),
        ),
        items=(
            *(
                TestItem("导体电阻（20℃）", "max", limit, "Ω/km", True, 3, applies_to=size)
                for size, limit in CONDUCTOR_RESISTANCE
            ),
            TestItem("绝缘平均厚度", "min", 0.8, "mm", decimals=2, applies_to="450/750V"),
            TestItem("绝缘最薄点厚度", "min", 0.62, "mm", decimals=2, applies_to="450/750V"),
            TestItem("护套平均厚度", "min", 0.8, "mm", decimals=2, applies_to="300/500V"),
            TestItem("绝缘平均厚度", "min", 0.9, "mm", decimals=2, applies_to="0.6/1kV"),
            TestItem("绝缘老化前抗张强度", "min", 12.5, "N/mm²"),
            TestItem(
                "单根阻燃试验",
                "text",
                "上夹具下缘与炭化部分起点之间的距离应大于50mm",
                safety=True,
                outcomes=("距离为32mm",),
            ),
        ),
        regions=(
            ("江苏省", "无锡市", "宜兴市"),
            ("浙江省", "杭州市", "临安区"),
            ("安徽省", "合肥市", "肥西县"),
        ),
        channels=(0.5, 0.4, 0.1),
        retail_trade="建材",
        licence=("XK06-001", "电线电缆"),
    ),
    Profile(
        code="0302",
        weight=3,
        base_rate=0.05,
        lab="fuel",
        industry=("石油化工", "能源", "石化"),
        products=(
            ("车用汽油", ("92号（ⅥA）", "95号（ⅥA）", "98号（ⅥA）")),
            ("车用柴油", ("0号（Ⅵ）", "-10号（Ⅵ）")),
        ),
        template="{variant}",
        standards=(
            _std("GB 17930-2016《车用汽油》"),
            _std("GB 19147-2016《车用柴油》"),
        ),
        items=(
            TestItem("硫含量", "max", 10, "mg/kg", decimals=1),
            TestItem("烯烃含量（体积分数）", "max", 18, "%", applies_to="汽油"),
            TestItem("苯含量（体积分数）", "max", 0.8, "%", decimals=2, applies_to="汽油"),
            TestItem("锰含量", "max", 0.002, "g/L", decimals=4, applies_to="汽油"),
            TestItem("闪点（闭口）", "min", 60, "℃", decimals=0, applies_to="柴油"),
            TestItem("十六烷值", "min", 51, "", decimals=1, applies_to="柴油"),
            TestItem("多环芳烃含量（质量分数）", "max", 7, "%", applies_to="柴油"),
        ),
        regions=(("浙江省", "宁波市", "镇海区"), ("江苏省", "南京市", "栖霞区")),
        channels=(0.3, 0.7, 0.0),
        retail_trade="加油站",
    ),
    Profile(
        code="0303",
        weight=2,
        base_rate=0.11,
        lab="ex",
        industry=("防爆电器", "防爆电气", "电气设备"),
        products=(
            ("防爆灯", ("Ex d IIB T4 Gb 100W",)),
            ("防爆电机", ("Ex d IIB T4 Gb 7.5kW",)),
            ("防爆配电箱", ("Ex de IIC T6 Gb",)),
            ("防爆接线盒", ("Ex e IIC T6 Gb",)),
        ),
        template="B{code} {variant}",
        standards=(
            _std("GB 3836.1-2010《爆炸性环境 第1部分：设备 通用要求》"),
            _std("GB 3836.2-2010《爆炸性环境 第2部分：由隔爆外壳“d”保护的设备》"),
        ),
        items=(
            TestItem("隔爆接合面间隙", "max", 0.2, "mm", safety=True, decimals=2),
            TestItem(
                "外壳耐压试验", "text", "无永久变形和损坏", safety=True, outcomes=("外壳开裂",)
            ),
            TestItem("最高表面温度", "max", 135, "℃", safety=True, decimals=0),
            TestItem("防爆标志", "text", "应有完整防爆标志", outcomes=("未标注防爆合格证编号",)),
            TestItem(
                "接地连接件", "text", "应设内外接地端子", safety=True, outcomes=("无外接地端子",)
            ),
        ),
        regions=(("浙江省", "温州市", "乐清市"), ("江苏省", "常州市", "武进区")),
        channels=(0.8, 0.2, 0.0),
        retail_trade="建材",
        licence=("XK06-014", "防爆电气"),
    ),
    Profile(
        code="0304",
        weight=2,
        base_rate=0.07,
        lab="packaging",
        industry=("包装容器", "塑料容器", "金属制品"),
        products=(
            ("塑料桶", ("25L", "200L")),
            ("钢桶", ("200L 闭口", "200L 开口")),
            ("中型散装容器", ("1000L",)),
        ),
        template="{variant} {code}",
        standards=(_std("GB 12463-2009《危险货物运输包装通用技术条件》"),),
        items=(
            TestItem("跌落试验", "text", "无渗漏", safety=True, outcomes=("桶口渗漏",)),
            TestItem("气密试验", "text", "无泄漏", safety=True, outcomes=("焊缝泄漏",)),
            TestItem("液压试验", "text", "无渗漏", safety=True, outcomes=("桶身渗漏",)),
            TestItem("堆码试验", "text", "无变形、无渗漏", safety=True, outcomes=("桶身变形",)),
        ),
        regions=(("江苏省", "苏州市", "太仓市"), ("浙江省", "嘉兴市", "平湖市")),
        channels=(0.9, 0.1, 0.0),
        retail_trade="建材",
        licence=("XK12-001", "危险化学品包装物、容器"),
    ),
)
