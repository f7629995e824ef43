"""Draws in the Wagtail admin: drafts edited through a checked form, committed draws locked,
the two steps confirmed and permitted only with `run_draw`."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from portal.registry.models import District
from portal.supervision import draws
from portal.supervision.models import Draw, Inspector
from tests.conftest import verified_login
from tests.factories import EnterpriseFactory, ProductCategoryFactory, ProductFactory, UserFactory
from tests.supervision.factories import DrawFactory, InspectorFactory

pytestmark = pytest.mark.django_db

DRAWS = "wagtailsnippets_supervision_draw"
INSPECTORS = "wagtailsnippets_supervision_inspector"


def editor(*codenames):
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="supervision", codename__in=codenames),
    )
    return user


@pytest.fixture
def category():
    category = ProductCategoryFactory(code="0101", name="儿童服装")
    for n in range(4):
        firm = EnterpriseFactory(
            name=f"上海童乐{n}服饰有限公司",
            district=District.objects.get(code="minhang"),
            supervision_class="C",
        )
        ProductFactory(manufacturer=firm, category=category)
    return category


@pytest.fixture
def pool():
    return [
        InspectorFactory(district=District.objects.get(code=code))
        for code in ("huangpu", "xuhui", "pudong")
    ]


@pytest.fixture
def draft(category, pool):
    return DrawFactory(categories=[category], inspectors=pool)


def form_data(category, pool, **changes):
    data = {
        "reference": "沪市监质双随机〔2019〕7号",
        "title": "2019年儿童服装生产企业“双随机”监督检查",
        "description": "按分类监管等级确定抽查比例。",
        "categories": [category.pk],
        "ratio_a": "5",
        "ratio_b": "10",
        "ratio_c": "20",
        "ratio_d": "50",
        "ratio_unclassified": "12.5",
        "inspectors": [i.pk for i in pool],
        "inspectors_per_firm": "2",
        "previous_draw": "",
    }
    return data | changes


def test_an_editor_creates_a_draft(client, category, pool):
    verified_login(client, editor("add_draw", "change_draw", "view_draw"))
    response = client.post(reverse(f"{DRAWS}:add"), form_data(category, pool))
    assert response.status_code == 302
    draw = Draw.objects.get()
    assert draw.state == Draw.State.DRAFT and draw.ratio("U") == 12.5
    assert list(draw.categories.all()) == [category]
    assert set(draw.inspectors.all()) == set(pool)


def test_the_form_names_the_catalogue_edition_and_the_inspectors_district(client, draft):
    verified_login(client, editor("add_draw", "change_draw", "view_draw"))
    html = client.get(reverse(f"{DRAWS}:edit", args=[draft.pk])).content.decode()
    assert "0101 儿童服装 · shanghai-2020" in html
    assert "· 黄浦区" in html
    assert 'type="checkbox" name="inspectors"' in html


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"reference": "沪" * 101}, "reference", "max_length"),
        ({"title": ""}, "title", "required"),
        ({"title": "抽查<script>alert(1)</script>"}, "title", "markup"),
        ({"description": '<img src=x onerror="alert(1)">'}, "description", "markup"),
        ({"description": "说明" * 1001}, "description", "max_length"),
        ({"ratio_b": "abc"}, "ratio_b", "invalid"),
        ({"ratio_c": "150"}, "ratio_c", "max_value"),
        ({"ratio_d": "-1"}, "ratio_d", "min_value"),
        ({"ratio_a": "5.555"}, "ratio_a", "max_decimal_places"),
        ({"inspectors_per_firm": "two"}, "inspectors_per_firm", "invalid"),
        ({"inspectors_per_firm": "0"}, "inspectors_per_firm", "min_value"),
        ({"categories": []}, "categories", "required"),
        ({"categories": ["x"]}, "categories", "invalid_pk_value"),
        ({"inspectors": [999999]}, "inspectors", "invalid_choice"),
        ({"previous_draw": "abc"}, "previous_draw", "invalid_choice"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, category, pool, changes, field, code):
    verified_login(client, editor("add_draw", "change_draw", "view_draw"))
    response = client.post(reverse(f"{DRAWS}:add"), form_data(category, pool, **changes))
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()[field]
    assert error.code == code
    assert escape(response.context["form"].errors[field][0]) in response.content.decode()
    assert not Draw.objects.exists()


def test_markup_is_refused_in_chinese_with_the_reason(client, category, pool):
    verified_login(client, editor("add_draw", "change_draw", "view_draw"))
    data = form_data(category, pool, title="<script>alert(1)</script>")
    html = client.post(reverse(f"{DRAWS}:add"), data).content.decode()
    assert "请填写纯文本" in html
    assert "<script>alert(1)" not in html


def test_only_drawn_draws_can_be_the_previous_one(client, draft, category, pool):
    verified_login(client, editor("add_draw", "change_draw", "view_draw"))
    response = client.post(
        reverse(f"{DRAWS}:add"), form_data(category, pool, previous_draw=str(draft.pk))
    )
    assert "previous_draw" in response.context["form"].errors
    drawn = draws.run(draws.commit(draft))
    response = client.post(
        reverse(f"{DRAWS}:add"), form_data(category, pool, previous_draw=str(drawn.pk))
    )
    assert response.status_code == 302
    assert Draw.objects.get(reference="沪市监质双随机〔2019〕7号").previous_draw == drawn


def test_commit_asks_for_confirmation_then_commits(client, draft):
    verified_login(client, editor("change_draw", "view_draw", "run_draw"))
    url = reverse(f"{DRAWS}:commit", args=[draft.pk])
    html = client.get(url).content.decode()
    assert "提交后，抽取任务不能再修改或删除" in html
    assert "<caption>" in html and '<th scope="row">' in html
    draft.refresh_from_db()
    assert draft.state == Draw.State.DRAFT  # showing the page changes nothing
    response = client.post(url)
    assert response.url == reverse(f"{DRAWS}:inspect", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.state == Draw.State.COMMITTED


def test_a_draw_that_cannot_be_committed_says_why(client, category):
    verified_login(client, editor("change_draw", "view_draw", "run_draw"))
    draw = DrawFactory(categories=[category], inspectors=[InspectorFactory()])
    url = reverse(f"{DRAWS}:commit", args=[draw.pk])
    html = client.get(url).content.decode()
    assert "可派检查人员少于 2 名" in html and "<form method" not in html
    response = client.post(url)
    assert response.url == url
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("可派检查人员少于 2 名" in m for m in messages)
    draw.refresh_from_db()
    assert draw.state == Draw.State.DRAFT


def test_running_the_draw_asks_for_confirmation(client, draft):
    verified_login(client, editor("change_draw", "view_draw", "run_draw"))
    committed = draws.commit(draft)
    url = reverse(f"{DRAWS}:run", args=[committed.pk])
    assert "无法撤销" in client.get(url).content.decode()
    client.post(url)
    committed.refresh_from_db()
    assert committed.state == Draw.State.DRAWN and committed.result["selected"]


def test_the_steps_need_the_run_draw_permission(client, draft):
    verified_login(client, editor("add_draw", "change_draw", "view_draw"))
    listing = client.get(reverse(f"{DRAWS}:list")).content.decode()
    assert reverse(f"{DRAWS}:commit", args=[draft.pk]) not in listing
    for step in ("commit", "run"):
        response = client.post(reverse(f"{DRAWS}:{step}", args=[draft.pk]))
        assert (response.status_code, response.url) == (302, "/admin/")
    draft.refresh_from_db()
    assert draft.state == Draw.State.DRAFT


def test_steps_out_of_order_are_refused(client, draft):
    verified_login(client, editor("change_draw", "view_draw", "run_draw"))
    response = client.post(reverse(f"{DRAWS}:run", args=[draft.pk]))
    assert response.url == reverse(f"{DRAWS}:inspect", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.state == Draw.State.DRAFT


def test_a_committed_draw_cannot_be_edited_or_deleted_in_the_admin(client, draft, category, pool):
    verified_login(
        client, editor("add_draw", "change_draw", "delete_draw", "view_draw", "run_draw")
    )
    committed = draws.commit(draft)
    inspect = reverse(f"{DRAWS}:inspect", args=[committed.pk])
    for url in (
        reverse(f"{DRAWS}:edit", args=[committed.pk]),
        reverse(f"{DRAWS}:delete", args=[committed.pk]),
    ):
        assert client.get(url).url == inspect
        assert client.post(url, form_data(category, pool, title="改过的标题")).url == inspect
    bulk_delete = (
        reverse("wagtail_bulk_action", args=["supervision", "draw", "delete"])
        + f"?id={committed.pk}"
    )
    assert client.post(bulk_delete).url == inspect
    stored = Draw.objects.get(pk=committed.pk)
    assert stored.title == committed.title and stored.state == Draw.State.COMMITTED
    listing = client.get(reverse(f"{DRAWS}:list")).content.decode()
    assert reverse(f"{DRAWS}:edit", args=[committed.pk]) not in listing
    assert reverse(f"{DRAWS}:run", args=[committed.pk]) in listing
    assert committed.get_absolute_url() in listing


def test_the_inspect_page_keeps_the_seed_hidden_until_the_draw(client, draft):
    verified_login(client, editor("view_draw", "run_draw"))
    committed = draws.commit(draft)
    url = reverse(f"{DRAWS}:inspect", args=[committed.pk])
    html = client.get(url).content.decode()
    assert committed.commitment in html and committed.seed not in html
    assert "抽取执行前不公开" in html
    drawn = draws.run(committed)
    assert drawn.seed in client.get(url).content.decode()


def test_inspectors_have_a_valid_code_and_plain_names(client):
    verified_login(client, editor("add_inspector", "view_inspector"))
    pudong = District.objects.get(code="pudong").pk
    for data, field in [
        ({"name": "张伟", "code": "3101 19<b>", "district": pudong}, "code"),
        ({"name": "<script>x</script>", "code": "31011900001", "district": pudong}, "name"),
        ({"name": "张" * 51, "code": "31011900001", "district": pudong}, "name"),
        ({"name": "张伟", "code": "31011900001", "district": "pudong"}, "district"),
    ]:
        response = client.post(reverse(f"{INSPECTORS}:add"), {**data, "active": "on"})
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert not Inspector.objects.exists()
    response = client.post(
        reverse(f"{INSPECTORS}:add"),
        {"name": "张伟", "code": "31011900001", "district": pudong, "active": "on"},
    )
    assert response.status_code == 302 and Inspector.objects.get().code == "31011900001"
