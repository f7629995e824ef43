"""The demo's pages: listings, notices for the latest demo batches, warnings, articles, a
campaign and the laws, so `make run` shows a whole site. Each page is created only when its
slug is missing under its parent, so running `load_demo` again changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from stdnum import ean
from wagtail.models import Page

from content.models import (
    AffectedProduct,
    ArticleIndexPage,
    CampaignIndexPage,
    CampaignPage,
    EducationArticlePage,
    Hazard,
    HomePage,
    NoticeIndexPage,
    RegulationIndexPage,
    RegulationPage,
    RiskLevel,
    RiskWarningPage,
    SpotCheckNoticePage,
    WarningHazard,
    WarningIndexPage,
    WarningMeasure,
    WarningUpdate,
)
from portal.inspections.models import SpotCheckBatch
from portal.registry.catalogue import SHANGHAI_2020
from portal.registry.models import ProductCategory

NOTICES = 12
AUTHORITY = "上海市市场监督管理局"


def gtin(prefix12: str) -> str:
    return prefix12 + ean.calc_check_digit(prefix12)


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day + " 09:30"))


def publish(parent: Page, page: Page, published: str | None = None) -> Page | None:
    """Add `page` under `parent` and publish it through a revision, unless the slug exists."""
    if parent.get_children().filter(slug=page.slug).exists():
        return None
    if published:
        page.first_published_at = at(published)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def category(code: str) -> ProductCategory | None:
    return ProductCategory.objects.filter(edition=SHANGHAI_2020, code=code).first()


def index(home: HomePage, model, slug: str, title: str, intro: str) -> Page:
    existing = model.objects.child_of(home).first()
    if existing:
        return existing
    page = model(title=title, slug=slug, intro=f"<p>{intro}</p>", show_in_menus=True)
    publish(home, page)
    return page


def build_content(log: Callable[[str], None]) -> int:
    """Create whatever demo page is missing; returns how many were created."""
    home = HomePage.original()
    created = 0
    notices = index(
        home, NoticeIndexPage, "notices", "抽查通告", "本市及各区产品质量监督抽查结果通告。"
    )
    warnings = index(
        home, WarningIndexPage, "warnings", "风险警示", "产品质量安全风险警示和消费提示。"
    )
    articles = index(home, ArticleIndexPage, "education", "消费科普", "选购和使用产品的安全知识。")
    campaigns = index(
        home, CampaignIndexPage, "campaigns", "专项行动", "本市开展的产品质量安全专项整治行动。"
    )
    laws = index(
        home, RegulationIndexPage, "laws", "法律法规", "产品质量监督管理的法律、法规和规章。"
    )

    campaign = CampaignPage.objects.filter(slug="children-students").first()
    if campaign is None:
        campaign = publish(
            campaigns,
            CampaignPage(
                title="儿童和学生用品安全守护行动",
                slug="children-students",
                starts_on=datetime.date(2019, 5, 1),
                summary="聚焦儿童服装、玩具、学生文具和书包等产品，开展监督抽查、风险监测和消费提示。",
                body=(
                    "<p>按照《2019年上海市产品质量安全监督管理工作计划》，市市场监管局联合各区"
                    "开展儿童和学生用品安全守护行动，重点检查绳带、小零件、增塑剂和甲醛等安全项目，"
                    "对不合格产品依法处理并向社会公开。</p>"
                ),
            ),
            "2019-05-01",
        )
        created += 1

    batches = SpotCheckBatch.objects.filter(status=SpotCheckBatch.Status.PUBLISHED).select_related(
        "category"
    )
    for batch in batches.order_by("-published_on", "-id")[:NOTICES]:
        if SpotCheckNoticePage.objects.filter(batch=batch).exists():
            continue
        page = SpotCheckNoticePage(
            title=batch.title,
            slug=f"notice-{batch.pk}",
            batch=batch,
            category=batch.category,
            summary=f"{batch.authority}发布{batch.title}（{batch.notice_number}）。",
            body=(
                f"<p>近期，{batch.authority}组织开展了{batch.category or '产品'}质量监督抽查。"
                "现将抽查结果通告如下。对抽查不合格的产品，已责成有关部门依法处理。</p>"
            ),
        )
        if batch.category and batch.category.for_children:
            page.campaigns = [campaign]
        published = batch.published_on.isoformat() if batch.published_on else None
        created += bool(publish(notices, page, published))

    for spec in WARNINGS:
        created += bool(_warning(warnings, the_campaign=campaign, **spec))
    for spec in ARTICLES:
        page = EducationArticlePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            body=spec["body"],
            category=category(spec["category"]),
        )
        if spec.get("campaign"):
            page.campaigns = [campaign]
        created += bool(publish(articles, page, spec["published"]))
    for spec in REGULATIONS:
        created += bool(publish(laws, RegulationPage(**spec)))
    log(f"Demo pages: {created} created.")
    return created


def remove_notices() -> int:
    """Delete every notice page: a registry reset deletes the batches they link to."""
    notices = list(SpotCheckNoticePage.objects.all())
    for page in notices:
        page.delete()
    return len(notices)


def _warning(parent, *, the_campaign, hazards, products, measures, updates=(), **fields):
    published = fields.pop("published")
    in_campaign = fields.pop("campaign", False)
    fields["category"] = category(fields.pop("category"))
    page = RiskWarningPage(**fields)
    page.hazards = [WarningHazard(hazard=h) for h in hazards]
    page.affected_products = [AffectedProduct(**p) for p in products]
    page.measures = [WarningMeasure(**m) for m in measures]
    page.updates = [WarningUpdate(**u) for u in updates]
    if in_campaign:
        page.campaigns = [the_campaign]
    return publish(parent, page, published)


LEGAL_BASIS = (
    "<p>《中华人民共和国产品质量法》第十三条、第四十九条；《消费品召回管理暂行规定》"
    "（国家市场监督管理总局令第19号）。</p>"
)

WARNINGS = [
    {
        "title": "关于儿童服装绳带安全风险的消费警示",
        "slug": "childrens-clothing-cords",
        "kind": RiskWarningPage.Kind.WARNING,
        "risk_level": RiskLevel.HIGH,
        "category": "0101",
        "campaign": True,
        "published": "2019-06-12",
        "summary": "部分儿童上衣和连衣裙的帽绳、腰带过长或带有自由端，存在勒颈和绊倒风险。",
        "body": (
            "<p>市市场监管局在儿童服装监督抽查和风险监测中发现，部分产品头颈部有可调节的绳带，"
            "腰部绳带伸出长度超过GB 31701-2015《婴幼儿及儿童纺织产品安全技术规范》的要求。</p>"
        ),
        "consumer_advice": (
            "<ul><li>选购7岁以下儿童服装时，避免头颈部有绳带的款式；</li>"
            "<li>已购买的，可剪除帽绳或将腰带缝合固定；</li>"
            "<li>孩子玩滑梯、乘坐电梯时，注意整理衣物上的绳带。</li></ul>"
        ),
        "legal_basis": LEGAL_BASIS,
        "hazards": [Hazard.STRANGULATION, Hazard.INJURY],
        "products": [
            {
                "name": "儿童连帽卫衣",
                "brand": "童乐",
                "model_spec": "120cm",
                "batch": "2019.03.18",
                "gtin": gtin("692000000101"),
            },
            {
                "name": "女童连衣裙",
                "brand": "小花园",
                "model_spec": "110/56",
                "batch": "20190225",
                "gtin": gtin("692000000102"),
            },
        ],
        "measures": [
            {
                "kind": WarningMeasure.Kind.WITHDRAWAL,
                "compulsory": True,
                "taken_by": "闵行区市场监督管理局",
                "description": "责令销售者下架涉及批次产品。",
            }
        ],
        "updates": [
            {"date": datetime.date(2019, 7, 3), "text": "涉及批次已全部下架，生产企业完成整改。"}
        ],
    },
    {
        "title": "警惕磁性玩具小零件被儿童误吞",
        "slug": "magnetic-toys",
        "kind": RiskWarningPage.Kind.ADVICE,
        "risk_level": RiskLevel.SERIOUS,
        "category": "0105",
        "campaign": True,
        "published": "2019-08-20",
        "summary": "强磁小零件被误吞后可能在肠道内相互吸引，造成穿孔，后果严重。",
        "body": "<p>风险监测发现，部分网售磁力珠、磁性积木的磁体易脱落，且磁通量指数超标。</p>",
        "consumer_advice": (
            "<p>不要给14岁以下儿童购买磁力珠；发现孩子误吞磁体，立即就医，不要催吐。</p>"
        ),
        "legal_basis": LEGAL_BASIS,
        "hazards": [Hazard.CHOKING, Hazard.INJURY],
        "products": [
            {
                "name": "磁力珠",
                "brand": "巧巧",
                "model_spec": "5mm 216粒",
                "batch": "2019-05",
                "gtin": gtin("692000000201"),
            }
        ],
        "measures": [
            {
                "kind": WarningMeasure.Kind.RECALL,
                "compulsory": False,
                "taken_by": "生产企业",
                "description": "企业主动召回已售出产品。",
            }
        ],
    },
    {
        "title": "电动自行车违规充电引发火灾的风险提示",
        "slug": "e-bike-charging",
        "kind": RiskWarningPage.Kind.WARNING,
        "risk_level": RiskLevel.HIGH,
        "category": "0109",
        "published": "2019-10-08",
        "summary": "非原装充电器和私自改装电池是电动自行车火灾的主要原因。",
        "body": "<p>抽查发现部分充电器输出电压不稳定，部分蓄电池组未通过过充保护试验。</p>",
        "consumer_advice": (
            "<ul><li>使用原装充电器，不在楼道、室内充电；</li>"
            "<li>不私自改装、更换大容量电池；</li><li>充电时间不宜超过8小时。</li></ul>"
        ),
        "legal_basis": LEGAL_BASIS,
        "hazards": [Hazard.FIRE, Hazard.ELECTRIC_SHOCK],
        "products": [
            {"name": "电动自行车充电器", "brand": "安骑", "model_spec": "48V2A", "batch": "1904"}
        ],
        "measures": [
            {
                "kind": WarningMeasure.Kind.SALES_BAN,
                "compulsory": True,
                "taken_by": "上海市市场监督管理局",
                "description": "涉及型号停止销售，已售产品免费更换。",
            }
        ],
    },
    {
        "title": "某品牌移动电源过热风险警示",
        "slug": "power-bank-overheating",
        "kind": RiskWarningPage.Kind.RECALL,
        "risk_level": RiskLevel.MEDIUM,
        "category": "0110",
        "published": "2019-04-22",
        "summary": "部分批次移动电源在充电时可能过热，企业已实施召回。",
        "body": "<p>该批次产品电芯保护板存在设计缺陷，极端情况下可能过热。</p>",
        "consumer_advice": "<p>请核对产品背面的批号，涉及批次请停止使用并联系企业更换。</p>",
        "legal_basis": LEGAL_BASIS,
        "hazards": [Hazard.FIRE, Hazard.BURNS],
        "products": [
            {
                "name": "移动电源",
                "brand": "能量方",
                "model_spec": "10000mAh",
                "batch": "PB1812",
                "gtin": gtin("692000000301"),
            }
        ],
        "measures": [
            {
                "kind": WarningMeasure.Kind.RECALL,
                "compulsory": False,
                "taken_by": "深圳能量方科技有限公司",
                "description": "",
            }
        ],
        "updates": [{"date": datetime.date(2019, 9, 30), "text": "召回完成率达到96%。"}],
        "withdrawn_on": datetime.date(2019, 12, 31),
        "withdrawal_reason": "召回已完成，涉及批次已全部退出市场，本警示撤销。",
    },
]

ARTICLES = [
    {
        "title": "如何为孩子挑选安全的童装",
        "slug": "choosing-childrens-clothing",
        "category": "0101",
        "campaign": True,
        "published": "2019-05-20",
        "summary": "看标签、查绳带、闻气味：选购童装的三个要点。",
        "body": (
            "<p>一看标签：合格童装应标明安全技术类别，婴幼儿服装应为A类，直接接触皮肤的应不低于B类。</p>"
            "<p>二查绳带：7岁以下儿童服装头颈部不应有绳带。</p>"
            "<p>三闻气味：有刺鼻气味的可能甲醛超标，买回后先洗再穿。</p>"
        ),
    },
    {
        "title": "开学季学生文具选购小贴士",
        "slug": "school-supplies",
        "category": "0104",
        "campaign": True,
        "published": "2019-08-28",
        "summary": "涂改液、笔、橡皮擦和书包：选购时注意这些安全项目。",
        "body": (
            "<p>选购文具时尽量选择无香味、无鲜艳涂层的产品，少用涂改液；"
            "书包应有反光标识，肩带宽度适中。</p>"
        ),
    },
    {
        "title": "电热水器安全使用常识",
        "slug": "electric-water-heaters",
        "category": "011101",
        "published": "2019-11-15",
        "summary": "安装接地、定期检查漏电保护，洗浴时注意这些事项。",
        "body": "<p>电热水器必须可靠接地，并安装漏电保护装置；每月试按一次漏电保护按钮。</p>",
    },
]

REGULATIONS = [
    {
        "title": "中华人民共和国产品质量法",
        "slug": "product-quality-law",
        "kind": RegulationPage.Kind.LAW,
        "issuer": "全国人民代表大会常务委员会",
        "document_number": "中华人民共和国主席令第七十一号",
        "promulgated_on": datetime.date(1993, 2, 22),
        "effective_on": datetime.date(1993, 9, 1),
        "summary": "1993年通过，2000年、2009年、2018年修正。",
        "body": "<p>为了加强对产品质量的监督管理，提高产品质量水平，明确产品质量责任，"
        "保护消费者的合法权益，维护社会经济秩序，制定本法。</p>",
    },
    {
        "title": "中华人民共和国工业产品生产许可证管理条例",
        "slug": "production-licence-regulation",
        "kind": RegulationPage.Kind.REGULATION,
        "issuer": "国务院",
        "document_number": "国务院令第440号",
        "promulgated_on": datetime.date(2005, 7, 9),
        "effective_on": datetime.date(2005, 9, 1),
        "summary": "规定重要工业产品的生产许可制度。",
    },
    {
        "title": "产品质量监督抽查管理暂行办法",
        "slug": "spot-check-measures-2019",
        "kind": RegulationPage.Kind.RULE,
        "issuer": "国家市场监督管理总局",
        "document_number": "国家市场监督管理总局令第18号",
        "promulgated_on": datetime.date(2019, 11, 21),
        "effective_on": datetime.date(2020, 1, 1),
        "summary": "规范产品质量监督抽查工作的组织、抽样、检验、异议处理和结果处理。",
    },
    {
        "title": "消费品召回管理暂行规定",
        "slug": "consumer-product-recall",
        "kind": RegulationPage.Kind.RULE,
        "issuer": "国家市场监督管理总局",
        "document_number": "国家市场监督管理总局令第19号",
        "promulgated_on": datetime.date(2019, 11, 21),
        "effective_on": datetime.date(2020, 1, 1),
        "summary": "规定消费品缺陷调查和召回的程序。",
    },
    {
        "title": "产品质量监督抽查管理办法",
        "slug": "spot-check-measures-2010",
        "kind": RegulationPage.Kind.RULE,
        "issuer": "国家质量监督检验检疫总局",
        "document_number": "国家质量监督检验检疫总局令第133号",
        "promulgated_on": datetime.date(2010, 12, 29),
        "effective_on": datetime.date(2011, 2, 1),
        "repealed_on": datetime.date(2020, 1, 1),
        "summary": "已由《产品质量监督抽查管理暂行办法》取代。",
    },
]
