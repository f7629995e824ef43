"""Public draw pages: drafts unseen, the seed hidden until the draw, then the seed, the firms
with their inspectors and their later spot checks; a record anyone can verify offline."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.inspections.models import Outcome, SpotCheckBatch
from portal.registry.models import District
from portal.supervision import algorithm, draws
from portal.supervision.models import Draw
from tests.factories import (
    EnterpriseFactory,
    ProductCategoryFactory,
    ProductFactory,
    SpotCheckBatchFactory,
    SpotCheckResultFactory,
)
from tests.supervision.factories import DrawFactory, InspectorFactory

pytestmark = pytest.mark.django_db
DRAWN_AT = datetime(2019, 6, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def draft():
    category = ProductCategoryFactory(code="0101", name="儿童服装")
    for n in range(6):
        firm = EnterpriseFactory(
            name=f"上海童乐{n}服饰有限公司",
            district=District.objects.get(code="minhang"),
            supervision_class="D",
        )
        ProductFactory(manufacturer=firm, category=category)
    pool = [
        InspectorFactory(name=name, district=District.objects.get(code=code))
        for name, code in [("张伟", "huangpu"), ("王芳", "xuhui"), ("李娜", "pudong")]
    ]
    return DrawFactory(
        reference="沪市监质双随机〔2019〕1号",
        title="2019年儿童服装生产企业“双随机”监督检查",
        categories=[category],
        inspectors=pool,
    )


@pytest.fixture
def committed(draft):
    return draws.commit(draft)


@pytest.fixture
def drawn(committed):
    drawn = draws.run(committed)
    Draw.objects.filter(pk=drawn.pk).update(drawn_at=DRAWN_AT)
    drawn.refresh_from_db()
    return drawn


def page(client, draw) -> str:
    response = client.get(reverse("supervision:draw", args=[draw.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_drafts_are_not_public(client, draft):
    assert client.get(reverse("supervision:draw", args=[draft.pk])).status_code == 404
    assert client.get(reverse("supervision:document", args=[draft.pk])).status_code == 404
    assert draft.reference not in client.get(reverse("supervision:draws")).content.decode()


def test_the_list_shows_committed_and_drawn_draws(client, drawn):
    announced = draws.commit(
        DrawFactory(
            reference="沪市监质双随机〔2020〕1号",
            categories=drawn.categories.all(),
            inspectors=drawn.inspectors.all(),
        )
    )
    html = client.get(reverse("supervision:draws")).content.decode()
    assert drawn.reference in html and announced.reference in html
    assert "<caption" in html and '<th scope="col">' in html
    assert client.get("/en/draws/").status_code == 200


def test_a_committed_draw_shows_its_commitment_but_never_its_seed(client, committed):
    html = page(client, committed)
    assert committed.commitment in html and committed.inputs_sha256 in html
    assert committed.seed not in html
    document = client.get(reverse("supervision:document", args=[committed.pk])).json()
    assert document["commitment"] == committed.commitment
    assert document["seed"] is None and document["result"] is None
    assert committed.seed not in json.dumps(document)
    assert document["inputs"] == committed.inputs
    assert algorithm.verify(document)[1] == []


def test_a_drawn_draw_shows_the_seed_the_firms_and_the_inspectors(client, drawn):
    html = page(client, drawn)
    assert drawn.seed in html and drawn.commitment in html
    selected = drawn.result["selected"]
    assert len(selected) == 3  # 6 class D firms at 50 %
    for chosen in selected:
        assert chosen["firm"] in html
        for key in chosen["inspectors"]:
            assert key in html
    assert "张伟" in html or "王芳" in html or "李娜" in html
    assert html.count('<th scope="row">') >= len(selected)


def test_later_spot_checks_of_drawn_firms_are_linked(client, drawn):
    chosen = drawn.result["selected"][0]["firm"]
    firm = draws.firms_by_key([chosen])[chosen]
    SpotCheckResultFactory(
        producer=firm,
        outcome=Outcome.FAIL,
        batch=SpotCheckBatchFactory(
            notice_number="沪市监质〔2019〕88号", published_on=date(2019, 9, 1)
        ),
    )
    SpotCheckResultFactory(  # before the draw
        producer=firm,
        batch=SpotCheckBatchFactory(
            notice_number="沪市监质〔2019〕12号", published_on=date(2019, 3, 1)
        ),
    )
    SpotCheckResultFactory(  # not published
        producer=firm,
        batch=SpotCheckBatchFactory(
            notice_number="沪市监质〔2019〕99号",
            published_on=date(2019, 10, 1),
            status=SpotCheckBatch.Status.DRAFT,
        ),
    )
    html = page(client, drawn)
    assert "沪市监质〔2019〕88号" in html
    assert f'href="{firm.get_absolute_url()}#results-title"' in html
    assert "沪市监质〔2019〕12号" not in html and "沪市监质〔2019〕99号" not in html


def test_the_page_needs_the_same_queries_for_more_firms(client, drawn, draft):
    for chosen in drawn.result["selected"]:
        firm = draws.firms_by_key([chosen["firm"]])[chosen["firm"]]
        SpotCheckResultFactory(
            producer=firm, batch=SpotCheckBatchFactory(published_on=date(2020, 1, 1))
        )
    page(client, drawn)  # the main navigation is read once, then cached
    with CaptureQueriesContext(connection) as few:
        page(client, drawn)
    bigger = DrawFactory(categories=drawn.categories.all(), inspectors=drawn.inspectors.all())
    for _ in range(30):
        firm = EnterpriseFactory(
            supervision_class="D", district=District.objects.get(code="minhang")
        )
        ProductFactory(manufacturer=firm, category=drawn.categories.get())
        SpotCheckResultFactory(
            producer=firm, batch=SpotCheckBatchFactory(published_on=date(2030, 1, 1))
        )
    bigger = draws.run(draws.commit(bigger))
    assert len(bigger.result["selected"]) > 3 * len(drawn.result["selected"])
    with CaptureQueriesContext(connection) as many:
        page(client, bigger)
    assert len(many) == len(few)


def test_the_downloaded_record_verifies_with_the_downloaded_program(client, drawn, tmp_path):
    """What a citizen does: two downloads and `python3 anxin_draw.py draw.json`, no Django."""
    record = client.get(reverse("supervision:document", args=[drawn.pk]))
    assert record["Content-Disposition"] == f'attachment; filename="draw-{drawn.pk}.json"'
    program = client.get(reverse("supervision:algorithm"))
    assert program["Content-Type"].startswith("text/x-python")
    (tmp_path / "draw.json").write_bytes(record.content)
    (tmp_path / "anxin_draw.py").write_bytes(program.content)
    checked = subprocess.run(
        [sys.executable, "-I", "anxin_draw.py", "draw.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "result reproduced" in checked.stdout and "WRONG" not in checked.stdout
    document = record.json()
    assert document["names"]["firms"][drawn.result["selected"][0]["firm"]].startswith("上海童乐")
    document["seed"] = "00" * 32
    (tmp_path / "draw.json").write_text(json.dumps(document), encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, "-I", "anxin_draw.py", "draw.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1 and "WRONG" in refused.stdout
