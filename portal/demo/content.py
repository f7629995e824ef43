"""The demo's pages: listings, notices for the latest demo batches, warnings, articles, a
campaign and the laws, so `make run` shows a whole site. Each page is created only when its
slug is missing under its parent, so running `load_demo` again changes nothing. The texts of
the warnings, articles and laws are data, in `data/pages.json`."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from wagtail.models import Page

from content.models import (
    AffectedProduct,
    ArticleIndexPage,
    CampaignIndexPage,
    CampaignPage,
    EducationArticlePage,
    HomePage,
    NoticeIndexPage,
    RegulationIndexPage,
    RegulationPage,
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

from .data import load

NOTICES = 12
AUTHORITY = "上海市市场监督管理局"


#: The demo portal's first day: the date of pages whose data has none (listings, home).
PORTAL_OPENED = "2019-03-01"


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day + " 09:30"))


def publish(
    parent: Page, page: Page, published: str | None = None, updated: str | None = None
) -> Page | None:
    """Add `page` under `parent` and publish it through a revision, unless the slug exists.

    It carries the dates of the demo data — published on `published` (the portal's opening
    day when the data has none), last updated on `updated` — not the day of loading."""
    if parent.get_children().filter(slug=page.slug).exists():
        return None
    page.first_published_at = at(published or PORTAL_OPENED)
    parent.add_child(instance=page)
    page.save_revision().publish()
    last = at(updated) if updated else page.first_published_at
    # The page and the aliases that stand in for it in the other languages' trees.
    Page.objects.filter(translation_key=page.translation_key).update(
        first_published_at=page.first_published_at,
        last_published_at=last,
        latest_revision_created_at=last,
    )
    page.last_published_at = page.latest_revision_created_at = last
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
        published = spec["promulgated_on"].isoformat()
        created += bool(publish(laws, RegulationPage(**spec), published))
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
    updated = max((u["date"] for u in updates), default=None)
    return publish(parent, page, published, updated and updated.isoformat())


def _dated(value):
    """JSON has no dates: every `…_on` field, and an update's `date`, becomes a date again."""
    if isinstance(value, dict):
        return {
            key: datetime.date.fromisoformat(item)
            if key.endswith("_on") or key == "date"
            else _dated(item)
            for key, item in value.items()
        }
    if isinstance(value, tuple):
        return tuple(_dated(item) for item in value)
    return value


_PAGES = _dated(load("pages.json"))
WARNINGS = _PAGES["warnings"]
ARTICLES = _PAGES["articles"]
REGULATIONS = _PAGES["regulations"]
