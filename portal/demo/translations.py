"""The demo's page translations: every page in traditional Chinese (converted by OpenCC, as
the machine translator does for editors), and the home page, the listings, the campaign and
one warning in English, so `make run` shows both a translated page and an untranslated one
(an alias that says so). Pages already translated are left alone."""

from __future__ import annotations

from collections.abc import Callable

from wagtail.models import Locale, Page

from content.locales import translate_page
from portal.core.text import to_traditional

ENGLISH = {
    "安心 · 产品质量安全信息公开": "Anxin · Product quality safety information",
    "上海市市场监督管理局发布产品质量监督抽查结果、风险警示和消费提示，公众可以按产品、品牌、"
    "企业、统一社会信用代码、许可证编号或条形码查询。": (
        "The Shanghai Municipal Administration for Market Regulation publishes the results "
        "of product quality spot checks, risk warnings and consumer advice. Look up any "
        "product, brand, enterprise, unified social credit code, licence number or barcode."
    ),
    "抽查通告": "Spot-check notices",
    "本市及各区产品质量监督抽查结果通告。": (
        "Results of the product quality spot checks of the city and its districts."
    ),
    "风险警示": "Risk warnings",
    "产品质量安全风险警示和消费提示。": "Product safety risk warnings and consumer advice.",
    "消费科普": "Consumer education",
    "选购和使用产品的安全知识。": "How to choose and use products safely.",
    "专项行动": "Campaigns",
    "本市开展的产品质量安全专项整治行动。": "The city's special product safety campaigns.",
    "法律法规": "Laws and regulations",
    "产品质量监督管理的法律、法规和规章。": (
        "Laws, regulations and rules on product quality supervision."
    ),
    "儿童和学生用品安全守护行动": "Safety campaign for children's and students' products",
    "聚焦儿童服装、玩具、学生文具和书包等产品，开展监督抽查、风险监测和消费提示。": (
        "Spot checks, risk monitoring and consumer advice on children's clothing, toys, "
        "stationery and school bags."
    ),
    "按照《2019年上海市产品质量安全监督管理工作计划》，市市场监管局联合各区开展儿童和学生用品"
    "安全守护行动，重点检查绳带、小零件、增塑剂和甲醛等安全项目，对不合格产品依法处理并向社会"
    "公开。": (
        "Under the 2019 Shanghai product quality safety supervision plan, the city and its "
        "districts check cords, small parts, plasticisers and formaldehyde in children's and "
        "students' products, deal with failing products according to law and publish the "
        "results."
    ),
    "警惕磁性玩具小零件被儿童误吞": "Beware of children swallowing small magnetic toy parts",
    "强磁小零件被误吞后可能在肠道内相互吸引，造成穿孔，后果严重。": (
        "Swallowed strong magnets can attract each other through the intestine walls and "
        "perforate them, with serious consequences."
    ),
    "风险监测发现，部分网售磁力珠、磁性积木的磁体易脱落，且磁通量指数超标。": (
        "Risk monitoring found that the magnets of some magnetic beads and building blocks "
        "sold online come loose easily and exceed the flux index limit."
    ),
    "不要给14岁以下儿童购买磁力珠；发现孩子误吞磁体，立即就医，不要催吐。": (
        "Do not buy magnetic beads for children under 14. If a child swallows a magnet, see a "
        "doctor at once and do not induce vomiting."
    ),
    "《中华人民共和国产品质量法》第十三条、第四十九条；《消费品召回管理暂行规定》"
    "（国家市场监督管理总局令第19号）。": (
        "Product Quality Law of the People's Republic of China, articles 13 and 49; Interim "
        "Provisions on the Administration of Consumer Product Recalls (SAMR Order No. 19)."
    ),
    "磁力珠": "Magnetic beads",
    "巧巧": "Qiaoqiao",
    "5mm 216粒": "5 mm, 216 beads",
    "生产企业": "The manufacturer",
    "企业主动召回已售出产品。": "The manufacturer is recalling the products it sold.",
}
IN_ENGLISH = ("home", "notices", "warnings", "education", "campaigns", "laws")
IN_ENGLISH += ("children-students", "magnetic-toys")


def translate_demo(log: Callable[[str], None]) -> int:
    """Translate whatever demo page is still an alias; returns how many were translated."""
    default = Locale.get_default()
    originals = Page.objects.filter(locale=default, depth__gt=1).order_by("path").specific()
    targets = [
        (Locale.objects.get(language_code="zh-hant"), to_traditional, None),
        (Locale.objects.get(language_code="en"), ENGLISH.get, IN_ENGLISH),
    ]
    untranslated = {
        (page.translation_key, page.locale_id)
        for page in Page.objects.exclude(locale=default).filter(alias_of__isnull=False)
    }
    done = 0
    for page in originals:
        for locale, translate, slugs in targets:
            if slugs is not None and page.slug not in slugs:
                continue
            if (page.translation_key, locale.pk) in untranslated:
                translate_page(page, locale, translate)
                done += 1
    log(f"Demo translations: {done} pages translated.")
    return done
