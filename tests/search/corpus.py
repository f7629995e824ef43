"""A small registry with the names people really search for, and near neighbours to beat."""

from stdnum import ean
from stdnum.cn import uscc

from portal.registry.models import District, Enterprise, Licence, Product, ProductBarcode


def code(n: int) -> str:
    base = f"9131011{n:010d}"
    return base + uscc.calc_check_digit(base)


def gtin(n: int) -> str:
    base = f"690{n:09d}"
    return base + ean.calc_check_digit(base)


ENTERPRISES = [
    # (key, name, district, class, licence)
    ("haier", "上海海尔电器有限公司", "pudong", "A", "XK16-204-00001"),
    ("midea", "上海美的厨房电器有限公司", "minhang", "B", "XK16-204-00002"),
    ("tongle", "上海童乐服饰有限公司", "minhang", "C", ""),
    ("haoxue", "上海好学箱包有限公司", "songjiang", "B", ""),
    ("xunchong", "上海迅充科技有限公司", "jiading", "D", ""),
    ("shenlan", "上海申缆电线有限公司", "fengxian", "B", "(沪)XK06-001-00085"),
    ("yadi", "上海雅迪电动车有限公司", "qingpu", "A", "XK21-001-00123"),
    ("lekou", "上海乐扣塑料制品有限公司", "jinshan", "B", "SC10831011500123"),
    ("swan", "上海小天鹅洗衣机有限公司", "baoshan", "A", ""),
    ("greatwall", "上海长城家具有限公司", "jiading", "C", ""),
    ("gree", "上海格力空调销售有限公司", "putuo", "B", ""),
    ("chongqing", "上海重庆火锅食品机械有限公司", "huangpu", "C", ""),
    ("jinlong", "上海金龙鱼食品包装有限公司", "songjiang", "B", ""),
    ("anxin", "上海安心燃气灶具有限公司", "minhang", "D", ""),
    ("haierbao", "上海海宝电器有限公司", "pudong", "B", ""),
]

PRODUCTS = [
    # (key, maker, name, brand, model)
    ("heater", "haier", "电热水器", "海尔", "EC6002-D"),
    ("fridge", "haier", "冰箱", "海尔", "BCD-470WDPG"),
    ("cooker", "midea", "电饭煲", "美的", "MB-FB40S701"),
    ("induction", "midea", "电磁炉", "美的", "C21-RT2149"),
    ("dress", "tongle", "儿童连衣裙", "童乐", "110cm"),
    ("tshirt", "tongle", "儿童T恤", "童乐", "120cm"),
    ("schoolbag", "haoxue", "学生书包", "好学", "SB-01"),
    ("powerbank", "xunchong", "移动电源", "迅充", "10000mAh"),
    ("cable", "shenlan", "聚氯乙烯绝缘电线", "申缆", "BV 2.5mm²"),
    ("ebike", "yadi", "电动自行车", "雅迪", "TDT1234Z"),
    ("foodbox", "lekou", "一次性塑料餐盒", "乐扣", "750ml"),
    ("washer", "swan", "滚筒洗衣机", "小天鹅", "TG100V120"),
    ("desk", "greatwall", "儿童学习桌", "长城", "XZ-1200"),
    ("aircon", "gree", "房间空气调节器", "格力", "KFR-35GW"),
    ("hotpot", "chongqing", "火锅底料炒锅机", "重庆", "CG-300"),
    ("paper", "jinlong", "食品用纸包装袋", "金龙鱼", "ZB-5L"),
    ("stove", "anxin", "家用燃气灶", "安心", "JZT-2E"),
    ("kettle", "haierbao", "电热水壶", "海宝", "HB-1701"),
]


def build() -> dict[str, object]:
    """Create the corpus; returns its objects by key (products under "p:key")."""
    objects: dict[str, object] = {}
    for n, (key, name, district, klass, licence) in enumerate(ENTERPRISES, start=1):
        enterprise = Enterprise.objects.create(
            name=name,
            uscc=code(n),
            district=District.objects.get(code=district),
            supervision_class=klass,
            address=f"上海市{District.objects.get(code=district).name}工业路{n}号",
        )
        if licence:
            Licence.objects.create(
                number=licence,
                enterprise=enterprise,
                product_unit="产品",
                issuer_level="provincial",
                issued_on="2018-01-01",
                expires_on="2023-01-01",
            )
        objects[key] = enterprise
    for n, (key, maker, name, brand, model) in enumerate(PRODUCTS, start=1):
        product = Product.objects.create(
            name=name, brand=brand, model_spec=model, manufacturer=objects[maker]
        )
        ProductBarcode.objects.create(product=product, gtin=gtin(n))
        objects[f"p:{key}"] = product
    return objects
