"""Parts that Chinese company, shop, brand and address names are assembled from.

Trade names (字号) are invented from auspicious characters on purpose: the demo publishes
failed spot checks, and no real firm or brand should appear to have failed one.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

TRADE_CHARS = (
    "恒华金宏新永丰盛鑫嘉荣信达润康瑞佳腾安宝德东凯隆美明鹏乐启胜泰天伟祥兴旭亚怡益源卓志"
    "中浦申海星立博晨诚创鼎飞福冠广国汇佰融昌铭锦捷骏朗澜茂沃欣雅远泽正致众舜弘迪辉"
)

COMPANY_FORMS = ("有限公司",) * 8 + ("股份有限公司",)

# 商超 sell consumer goods, 建材 wire and industrial goods, 加油站 fuel, 电商 everything online.
RETAIL_WORDS = {
    "商超": ("超市", "百货", "商贸", "母婴用品", "日用品", "贸易"),
    "建材": ("五金建材", "机电设备", "电气设备", "建材贸易"),
    "加油站": ("石油销售", "能源", "加油站"),
    "电商": ("电子商务", "网络科技", "电子商务", "贸易"),
}
RETAIL_SHARE = {"商超": 0.5, "建材": 0.15, "加油站": 0.07, "电商": 0.28}

CUTE_BRAND_HEADS = ("小", "贝贝", "乐乐", "童", "酷", "米米", "嘟嘟", "果果")
CUTE_BRAND_TAILS = ("熊", "兔", "象", "鹿", "星", "豆", "猫", "鸭")

STORE_SUFFIXES = ("旗舰店", "官方旗舰店", "专营店", "专卖店")
PLATFORMS = ("天猫", "京东")

# Shanghai's districts, by the codes of portal.registry.districts: administrative division
# code (digits 3–8 of a credit code), notice-number abbreviation, road names (with the town
# in the suburbs), and how many manufacturers and shops they hold relative to each other.
DISTRICTS: dict[str, tuple[str, str, tuple[str, ...], int, int]] = {
    "huangpu": (
        "310101",
        "黄",
        ("南京东路", "西藏中路", "河南南路", "复兴东路", "中山南路", "陆家浜路", "制造局路"),
        1,
        8,
    ),
    "xuhui": (
        "310104",
        "徐",
        ("漕溪北路", "肇嘉浜路", "宜山路", "桂平路", "钦州北路", "田林路", "龙吴路"),
        3,
        7,
    ),
    "changning": (
        "310105",
        "长",
        ("天山路", "虹桥路", "仙霞路", "延安西路", "淞虹路", "协和路", "金钟路"),
        2,
        5,
    ),
    "jingan": (
        "310106",
        "静",
        ("南京西路", "共和新路", "江场路", "汶水路", "广中西路", "万荣路", "灵石路"),
        2,
        7,
    ),
    "putuo": (
        "310107",
        "普",
        ("真北路", "中山北路", "武宁路", "曹杨路", "金沙江路", "真南路", "桃浦路"),
        3,
        5,
    ),
    "hongkou": (
        "310109",
        "虹",
        ("四平路", "西江湾路", "广粤路", "东大名路", "飞虹路", "水电路", "曲阳路"),
        1,
        5,
    ),
    "yangpu": (
        "310110",
        "杨",
        ("控江路", "长阳路", "国定路", "黄兴路", "军工路", "翔殷路", "平凉路"),
        2,
        5,
    ),
    "minhang": (
        "310112",
        "闵",
        ("莘庄镇莘松路", "七宝镇七莘路", "颛桥镇都市路", "马桥镇北松公路", "浦江镇浦星公路"),
        9,
        7,
    ),
    "baoshan": (
        "310113",
        "宝",
        ("友谊路", "牡丹江路", "同济路", "罗店镇月罗公路", "顾村镇沪太路", "杨行镇富锦路"),
        7,
        5,
    ),
    "jiading": (
        "310114",
        "嘉",
        ("南翔镇沪宜公路", "马陆镇宝安公路", "安亭镇墨玉路", "江桥镇曹安公路", "城北路", "叶城路"),
        11,
        5,
    ),
    "pudong": (
        "310115",
        "浦",
        ("张江镇祖冲之路", "康桥镇秀浦路", "周浦镇沪南公路", "川沙新镇川沙路", "航头镇航都路"),
        12,
        12,
    ),
    "jinshan": (
        "310116",
        "金",
        ("亭林镇亭卫公路", "朱泾镇朱吕公路", "枫泾镇亭枫公路", "卫清西路", "龙皓路"),
        6,
        2,
    ),
    "songjiang": (
        "310117",
        "松",
        ("九亭镇沪亭北路", "泗泾镇泗砖公路", "车墩镇车亭公路", "荣乐东路", "广富林路"),
        12,
        5,
    ),
    "qingpu": (
        "310118",
        "青",
        ("徐泾镇崧泽大道", "华新镇华腾路", "赵巷镇沪青平公路", "外青松公路", "盈港东路"),
        9,
        3,
    ),
    "fengxian": (
        "310120",
        "奉",
        ("南桥镇沪杭公路", "青村镇南奉公路", "金汇镇金海公路", "奉浦大道", "望园路"),
        9,
        3,
    ),
    "chongming": (
        "310151",
        "崇",
        ("城桥镇八一路", "城桥镇东门路", "陈家镇陈海公路", "堡镇北沿公路"),
        2,
        1,
    ),
}

# Roads that exist in nearly every Chinese town, for producers outside Shanghai.
COMMON_ROADS = (
    "人民路",
    "解放路",
    "中山路",
    "建设路",
    "工业路",
    "兴业路",
    "创业路",
    "科技大道",
    "开发区大道",
    "环城北路",
    "新华路",
    "振兴路",
)

# Testing bodies; the names are invented, as are their CMA and CNAS numbers. The labs they
# cover are the `lab` keys of portal.demo.categories.
AGENCIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("上海市纺织服装产品质量监督检验站", ("textile",)),
    ("上海市轻工产品质量监督检验所", ("light", "furniture", "food_contact")),
    ("上海市玩具及儿童用品质量检验中心", ("toys", "textile", "light")),
    ("上海市非机动车质量监督检验站", ("vehicle",)),
    ("上海市电子电器产品质量监督检验所", ("electronic", "appliance")),
    ("上海市家用电器质量监督检验站", ("appliance", "gas")),
    ("上海市燃气具产品质量检验中心", ("gas",)),
    ("上海市家具质量监督检验站", ("furniture",)),
    ("上海市食品接触材料检测中心", ("food_contact", "packaging")),
    ("上海市包装产品质量监督检验站", ("packaging", "food_contact")),
    ("上海市电线电缆质量监督检验站", ("cable",)),
    ("上海市石油产品质量监督检验站", ("fuel",)),
    ("上海市防爆电气产品质量检验中心", ("ex",)),
    ("国家纺织服装产品质量检验检测中心（浙江）", ("textile",)),
    ("国家电动自行车产品质量检验检测中心（江苏）", ("vehicle",)),
    ("国家家用电器产品质量检验检测中心（广东）", ("appliance", "gas", "electronic")),
    ("国家玩具及婴童用品质量检验检测中心（广东）", ("toys", "light")),
    ("国家电线电缆产品质量检验检测中心（江苏）", ("cable", "ex")),
    ("国家包装产品质量检验检测中心（浙江）", ("packaging", "food_contact")),
)
PRIVATE_LAB_PATTERNS = (
    "上海{}检测技术有限公司",
    "{}检验认证（上海）有限公司",
    "上海{}质量检测有限公司",
)


@lru_cache(maxsize=4096)
def initials(text: str) -> str:
    """Pinyin initials, upper case (恒源 → HY): how model codes and store slugs look."""
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).upper()


def pinyin(text: str) -> str:
    """Toneless pinyin run together (恒源 → hengyuan), for shop sub-domains."""
    return "".join(lazy_pinyin(text))
