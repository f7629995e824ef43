"""Our own feed, served by the real app over HTTP, pulled by our own importer: the whole
contract end to end, then review and the public pages; and the pull on a real Celery worker."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from content.models import RiskWarningPage
from portal.exchange import importer, signing, tasks
from portal.exchange.models import Algorithm, Partner, PartnerItem
from portal.inspections.models import FailedItem, Outcome
from tests.conftest import verified_login
from tests.factories import SpotCheckBatchFactory, SpotCheckResultFactory, UserFactory
from tests.pages import html_of, original

from .conftest import ZJ_SECRET

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def our_data(transactional_db):
    call_command("load_demo", "--scale", "0")
    batch = SpotCheckBatchFactory(notice_number="沪市监质〔2026〕8号")
    failed = SpotCheckResultFactory(batch=batch, outcome=Outcome.FAIL, sample_name="儿童卫衣")
    FailedItem.objects.create(result=failed, item="绳带要求", is_safety_item=True)
    SpotCheckResultFactory(batch=batch, outcome=Outcome.PASS, sample_name="男童衬衫")
    return batch


@pytest.fixture
def ourselves(live_server, settings, our_data) -> Partner:
    """Ourselves as a partner: our feed URL and our own public key."""
    settings.EXCHANGE_ALLOW_HTTP = True
    public = base64.b64encode(signing.raw_public(signing.signing_key().public_key())).decode()
    return Partner.objects.create(
        name="上海市市场监督管理局",
        region_code="sh",
        feed_url=f"{live_server.url}/exchange/v1/feed.json",
        public_keys=public,
    )


@pytest.fixture
def reviewer(transactional_db):
    user = UserFactory(username="exchange-reviewer")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="review_partneritem"),
    )
    return user


def titles(html: str) -> list[str]:
    return [t for t in ("磁性玩具", "电动自行车", "移动电源", "儿童服装绳带") if t in html]


def test_our_feed_round_trips_through_review_to_the_public_pages(
    ourselves, client, reviewer, settings
):
    settings.EXCHANGE_FEED_PAGE_SIZE = 2  # three pages: the cursor over real HTTP
    assert importer.pull(ourselves) == ""
    items = PartnerItem.objects.all()
    assert items.count() == 5  # four warnings, one failed result; the pass is not sent
    assert set(items.values_list("status", flat=True)) == {"pending"}
    ourselves.refresh_from_db()
    assert ourselves.last_pull_ok and ourselves.cursor
    first_cursor = ourselves.cursor

    # Pending items are not public anywhere.
    assert "partner-warnings-heading" not in html_of(client.get("/warnings/"))
    assert titles(html_of(client.get("/partner-warnings/"))) == []
    magnets = items.get(title="警惕磁性玩具小零件被儿童误吞")
    assert client.get(f"/partner-warnings/{magnets.pk}/").status_code == 404

    # A second pull finds nothing new.
    assert importer.pull(ourselves) == ""
    ourselves.refresh_from_db()
    assert ourselves.cursor == first_cursor and items.count() == 5

    # An editor accepts one warning and rejects another.
    verified_login(client, reviewer)
    assert "警惕磁性玩具小零件被儿童误吞" in html_of(client.get(reverse("exchange_queue")))
    client.post(reverse("exchange_review", args=[magnets.pk]), {"action": "accept"})
    e_bike = items.get(title="电动自行车违规充电引发火灾的风险提示")
    client.post(reverse("exchange_review", args=[e_bike.pk]), {"action": "reject"})
    client.logout()

    listing = html_of(client.get("/warnings/"))
    assert "来源：上海市市场监督管理局（长三角）" in listing
    assert titles(listing.split('id="partner-warnings-heading"')[1]) == ["磁性玩具"]
    assert titles(html_of(client.get("/partner-warnings/"))) == ["磁性玩具"]
    page = html_of(client.get(f"/partner-warnings/{magnets.pk}/"))
    assert "不要让儿童接触" in page or "磁" in page
    assert f'href="{original(RiskWarningPage, slug="magnetic-toys").full_url}"' in page
    assert client.get(f"/partner-warnings/{e_bike.pk}/").status_code == 404

    # We change the accepted warning: the next pull brings it back for review, and the
    # accepted version stays on the site meanwhile.
    page_obj = original(RiskWarningPage, slug="magnetic-toys")
    page_obj.title = "警惕磁性玩具小零件被儿童误吞（更新）"
    page_obj.save_revision().publish()
    assert importer.pull(ourselves) == ""
    magnets.refresh_from_db()
    assert magnets.status == "pending" and magnets.is_update
    assert magnets.title == "警惕磁性玩具小零件被儿童误吞（更新）"
    assert "警惕磁性玩具小零件被儿童误吞（更新）" not in html_of(client.get("/partner-warnings/"))
    assert items.count() == 5


def test_an_hmac_round_trip(live_server, settings, transactional_db):
    settings.EXCHANGE_ALLOW_HTTP = True
    result = SpotCheckResultFactory(outcome=Outcome.FAIL, sample_name="电热毯")
    partner = Partner(
        name="上海市市场监督管理局",
        region_code="sh",
        feed_url=f"{live_server.url}/exchange/v1/feed/sh.json",
        algorithm=Algorithm.HMAC_SHA256,
    )
    partner.set_secret(ZJ_SECRET)
    partner.save()
    assert importer.pull(partner) == ""
    assert PartnerItem.objects.get().remote_id == f"sh:result:{result.pk}"


@pytest.mark.celery
def test_the_pull_runs_on_a_real_worker(celery_not_eager, transactional_db):
    """The worker process pulls and records the outcome on the partner row, in the site's
    language. (Its settings are its own: it refuses plain http, which it reports here.)"""
    partner = Partner.objects.create(
        name="江苏省市场监督管理局",
        region_code="js",
        feed_url="http://127.0.0.1:9/feed.json",
        public_keys=base64.b64encode(bytes(32)).decode(),
    )
    assert tasks.pull_partner.delay(partner.pk).get(timeout=60) == "数据源地址必须使用https。"
    partner.refresh_from_db()
    assert (partner.last_pull_ok, partner.last_error) == (False, "数据源地址必须使用https。")
