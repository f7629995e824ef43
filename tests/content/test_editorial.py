"""Editorial workflow: roles, moderation (submit → review → publish), scheduling, revisions,
the audit log, and district editors kept to their section."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Locale, PageLogEntry, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from content.management.commands.setup_editorial import DISTRICT_EDITOR, WORKFLOW
from content.models import DistrictPage, HomePage, RiskWarningPage, WarningIndexPage
from portal.registry.models import District
from tests.conftest import verified_login
from tests.factories import UserFactory
from tests.pages import original

pytestmark = pytest.mark.django_db


def member_of(group: str, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


def warning_form(title: str, slug: str, action: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "kind": "warning",
            "risk_level": "high",
            "summary": "部分儿童雨衣帽绳过长，存在勒颈风险。",
            "body": rich_text("<p>抽查发现帽绳长度超过标准要求。</p>"),
            "consumer_advice": rich_text("<p>剪除帽绳后再给孩子穿着。</p>"),
            "legal_basis": rich_text("<p>《中华人民共和国产品质量法》</p>"),
            "hazards": inline_formset([{"hazard": "strangulation"}]),
            "affected_products": inline_formset(
                [{"name": "儿童雨衣", "brand": "晴雨", "gtin": "6901234567892"}]
            ),
            "measures": inline_formset([]),
            "related_results": inline_formset([]),
            "updates": inline_formset([]),
            "comments": inline_formset([]),
            action: "1",
        }
    )


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("content", "riskwarningpage", parent.pk))


def test_setup_is_idempotent(site):
    counts = (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count())
    call_command("setup_editorial")
    assert (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Workflow.objects.count(),
    ) == counts
    home = original(HomePage)
    assert home.get_workflow().name == WORKFLOW
    editor = Group.objects.get(name="editor")
    codenames = set(
        GroupPagePermission.objects.filter(group=editor).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page"}


def test_editor_submits_reviewer_publishes_and_the_log_records_it(client, site):
    call_command("setup_editorial")
    editor = member_of("editor", "王编辑")
    reviewer = member_of("reviewer", "李审核")
    index = original(WarningIndexPage)

    verified_login(client, editor)
    response = client.post(
        add_url(index), warning_form("儿童雨衣帽绳风险提示", "raincoat", "action-submit")
    )
    assert response.status_code == 302
    page = original(RiskWarningPage, slug="raincoat")
    assert not page.live
    assert not page.permissions_for_user(editor).can_publish()
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get("/warnings/raincoat/").status_code == 404

    verified_login(client, reviewer)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, "approve", state.current_task_state.pk),
        ),
        {"comment": "同意发布"},
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    published = page.live_revision
    assert published == page.latest_revision
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.create", "wagtail.workflow.start", "wagtail.workflow.approve"} <= actions
    assert "wagtail.publish" in actions
    assert "儿童雨衣帽绳风险提示" in client.get("/").content.decode()
    assert "儿童雨衣帽绳风险提示" in client.get("/feeds/warnings/").content.decode()

    # A later draft is a new revision; the reviewer compares it with the published one.
    page.title = "儿童雨衣帽绳风险提示（更新）"
    draft = page.save_revision(user=editor)
    compare = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, published.pk, draft.pk))
    )
    assert compare.status_code == 200
    assert "（更新）" in compare.content.decode()
    assert client.get("/warnings/raincoat/").content.decode().count("（更新）") == 0


def test_bad_barcode_is_refused_and_nothing_is_saved(client, site):
    call_command("setup_editorial")
    verified_login(client, member_of("editor", "王编辑"))
    data = warning_form("儿童雨衣帽绳风险提示", "raincoat", "action-submit")
    data["affected_products-0-gtin"] = "6901234567890"  # wrong check digit
    response = client.post(add_url(original(WarningIndexPage)), data)
    assert response.status_code == 200
    assert "6901234567890 不是有效的商品条码（校验位错误）" in response.content.decode()
    assert not RiskWarningPage.objects.filter(slug="raincoat").exists()


def test_scheduled_publishing(site, make_warning, monkeypatch):
    page = make_warning(title="学生书包反光标识缺失风险提示")
    page.unpublish()
    now = timezone.now()
    page.go_live_at = now + datetime.timedelta(hours=2)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live
    assert page.scheduled_revision == revision

    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live

    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(hours=3))
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live


def test_district_editor_works_only_in_their_section(client, site):
    minhang = District.objects.get(code="minhang")
    user = UserFactory(username="闵行区编辑")
    minhang.editors.add(user)
    call_command("setup_editorial")
    section = original(DistrictPage, district=minhang)
    english_section = section.get_translation(Locale.objects.get(language_code="en"))
    assert english_section.permissions_for_user(user).can_add_subpage()  # translations too
    assert user.groups.filter(name=DISTRICT_EDITOR.format("minhang")).exists()
    assert section.permissions_for_user(user).can_add_subpage()
    assert not original(WarningIndexPage).permissions_for_user(user).can_add_subpage()
    assert not original(HomePage).permissions_for_user(user).can_edit()

    verified_login(client, user)
    refused = client.get(add_url(original(WarningIndexPage)))
    assert refused.status_code in (302, 403)
    response = client.post(
        add_url(section),
        warning_form("闵行区儿童雨衣风险提示", "minhang-raincoat", "action-submit"),
    )
    assert response.status_code == 302
    page = original(RiskWarningPage, slug="minhang-raincoat")
    assert page.get_parent().pk == section.pk
    assert not page.live
