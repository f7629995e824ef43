"""A draw in the database: its candidate list, commit (commitment = SHA-256 of the seed, inputs
frozen), run (the algorithm's result), exclusions from the registry, and no change after the
commit by any path."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.models import ModelLogEntry

from portal.registry.models import District, ProductCategory
from portal.supervision import algorithm, draws
from portal.supervision.models import Draw
from tests.factories import EnterpriseFactory, ProductCategoryFactory, ProductFactory
from tests.supervision.factories import DrawFactory, InspectorFactory

pytestmark = pytest.mark.django_db


def district(code: str) -> District:
    return District.objects.get(code=code)


def maker(category, code="minhang", supervision_class="B", **kwargs):
    firm = EnterpriseFactory(district=district(code), supervision_class=supervision_class, **kwargs)
    ProductFactory(manufacturer=firm, category=category)
    return firm


@pytest.fixture
def clothing():
    group = ProductCategoryFactory(code="01", name="日用消费品")
    return ProductCategoryFactory(code="0101", name="儿童服装", parent=group)


@pytest.fixture
def pool():
    return [
        InspectorFactory(district=district(code))
        for code in ("huangpu", "huangpu", "xuhui", "xuhui", "minhang", "minhang")
    ]


@pytest.fixture
def draft(clothing, pool):
    for n in range(10):
        maker(clothing, ("minhang", "songjiang")[n % 2], "ABCD"[n % 4])
    return DrawFactory(categories=[clothing], inspectors=pool)


def test_candidates_are_makers_of_the_categories_and_their_subcategories(clothing, pool):
    in_scope = maker(clothing)
    maker(ProductCategoryFactory(code="0301", name="电线电缆"))  # another category
    shop = EnterpriseFactory()  # makes nothing
    group_draw = DrawFactory(categories=[clothing.parent], inspectors=pool)
    keys = [firm["key"] for firm in draws.build_inputs(group_draw)["firms"]]
    assert keys == [in_scope.uscc]
    assert shop.uscc not in keys


def test_candidates_include_makers_of_the_same_types_in_other_catalogue_editions(clothing, pool):
    """As the API, feeds and subscriptions: a product type keeps its code across editions."""
    group_2019 = ProductCategoryFactory(edition="national-2019", code="01", name="日用消费品")
    clothing_2019 = ProductCategoryFactory(
        edition="national-2019", code="0101", name="儿童服装", parent=group_2019
    )
    in_2020, in_2019 = maker(clothing), maker(clothing_2019)
    maker(ProductCategoryFactory(edition="national-2019", code="0301", name="电线电缆"))
    group_draw = DrawFactory(categories=[clothing.parent], inspectors=pool)
    keys = [firm["key"] for firm in draws.build_inputs(group_draw)["firms"]]
    assert keys == sorted([in_2020.uscc, in_2019.uscc])


def test_districts_narrow_the_scope(clothing, pool):
    minhang = maker(clothing, "minhang")
    maker(clothing, "songjiang")
    draw = DrawFactory(categories=[clothing], inspectors=pool)
    draw.districts.set([district("minhang")])
    assert [f["key"] for f in draws.build_inputs(draw)["firms"]] == [minhang.uscc]


def test_the_inputs_are_sorted_and_name_firms_without_a_credit_code(clothing, pool):
    unclassified = maker(clothing, supervision_class="", uscc=None)
    maker(clothing, supervision_class="A")
    inputs = draws.build_inputs(DrawFactory(categories=[clothing], inspectors=pool))
    keys = [firm["key"] for firm in inputs["firms"]]
    assert keys == sorted(keys)
    assert {"key": f"enterprise-{unclassified.pk}", "class": "U", "district": "minhang"} in (
        inputs["firms"]
    )
    assert inputs["ratios"] == {"A": "5", "B": "10", "C": "20", "D": "50", "U": "10"}
    assert [i["key"] for i in inputs["inspectors"]] == sorted(i.code for i in pool)


def test_commit_publishes_the_sha256_of_a_secret_seed(draft):
    committed = draws.commit(draft)
    seed = bytes.fromhex(committed.seed)
    assert len(seed) == 32
    assert committed.commitment == hashlib.sha256(seed).hexdigest()
    assert committed.state == Draw.State.COMMITTED and committed.committed_at
    assert committed.inputs == draws.build_inputs(draft)
    digest = hashlib.sha256(algorithm.canonical_json(committed.inputs)).hexdigest()
    assert committed.inputs_sha256 == digest
    assert ModelLogEntry.objects.filter(action="supervision.commit").count() == 1
    other = draws.commit(
        DrawFactory(categories=draft.categories.all(), inspectors=draft.inspectors.all())
    )
    assert other.seed != committed.seed  # fresh from `secrets` each time


def test_run_publishes_what_the_algorithm_gives_for_the_seed(draft):
    drawn = draws.run(draws.commit(draft))
    expected = algorithm.draw(
        bytes.fromhex(drawn.seed), algorithm.DrawInputs.from_json(drawn.inputs)
    )
    assert drawn.result == expected
    assert drawn.state == Draw.State.DRAWN and drawn.drawn_at
    # 10 firms, classes A–D alternating: 3 A, 3 B, 2 C, 2 D at 5/10/20/50 % → 1 each.
    assert {c: v["selected"] for c, v in drawn.result["classes"].items()} == {
        "A": 1,
        "B": 1,
        "C": 1,
        "D": 1,
        "U": 0,
    }


def test_the_registry_changing_after_the_commit_does_not_change_the_draw(draft, clothing):
    committed = draws.commit(draft)
    maker(clothing, supervision_class="D")
    drawn = draws.run(committed)
    assert len(drawn.inputs["firms"]) == 10
    assert drawn.result["classes"]["D"]["candidates"] == 2


def test_the_previous_draws_pairs_are_excluded(draft, clothing, pool):
    first = draws.run(draws.commit(draft))
    second = DrawFactory(categories=[clothing], inspectors=pool)
    second.previous_draw = first
    second.save()
    inputs = draws.build_inputs(second)
    pairs = sorted([i, s["firm"]] for s in first.result["selected"] for i in s["inspectors"])
    assert inputs["excluded_pairs"] == pairs
    drawn = draws.run(draws.commit(second))
    before = {s["firm"]: set(s["inspectors"]) for s in first.result["selected"]}
    for chosen in drawn.result["selected"]:
        assert not before.get(chosen["firm"], set()) & set(chosen["inspectors"])


def test_own_district_inspectors_are_never_drawn(draft, pool):
    drawn = draws.run(draws.commit(draft))
    districts = {i.code: i.district.code for i in pool}
    firms = {f["key"]: f["district"] for f in drawn.inputs["firms"]}
    for chosen in drawn.result["selected"]:
        assert all(districts[i] != firms[chosen["firm"]] for i in chosen["inspectors"])


def test_a_draw_that_cannot_run_is_not_committed(clothing):
    empty = DrawFactory(categories=[ProductCategoryFactory(code="0302", name="燃油")])
    with pytest.raises(ValidationError) as refused:
        draws.commit(empty)
    assert "没有生产所选类别产品的企业" in " ".join(refused.value.messages)
    assert "没有在岗的检查人员" in " ".join(refused.value.messages)
    maker(clothing, "minhang")
    lonely = DrawFactory(categories=[clothing], inspectors=[InspectorFactory()])
    with pytest.raises(ValidationError, match="可派检查人员少于 2 名"):
        draws.commit(lonely)
    assert set(Draw.objects.values_list("state", flat=True)) == {Draw.State.DRAFT}


def test_steps_run_in_order_only(draft):
    with pytest.raises(ValidationError, match="不能执行这一步骤"):
        draws.run(draft)
    committed = draws.commit(draft)
    with pytest.raises(ValidationError, match="不能执行这一步骤"):
        draws.commit(committed)
    drawn = draws.run(committed)
    with pytest.raises(ValidationError, match="不能执行这一步骤"):
        draws.run(drawn)


def test_a_committed_draw_cannot_be_edited_or_deleted(draft, pool):
    committed = draws.commit(draft)
    committed.title = "改过的标题"
    clothes_for_babies = ProductCategoryFactory(code="0102", name="婴幼儿服装")
    changes = [
        committed.save,
        lambda: committed.categories.add(clothes_for_babies),
        lambda: committed.districts.add(district("huangpu")),
        lambda: committed.inspectors.remove(pool[0]),
        lambda: pool[0].draws.clear(),  # from the other side of the relation
        lambda: ProductCategory.objects.get(code="0101").draws.remove(committed),
        committed.delete,
    ]
    for change in changes:
        # A savepoint each: the refusal inside a related manager's own transaction would
        # otherwise spoil the test's transaction for the next change.
        with pytest.raises(ValidationError, match="不能修改或删除"), transaction.atomic():
            change()
    stored = Draw.objects.get(pk=committed.pk)
    assert stored.title == draft.title
    assert stored.inspectors.count() == len(pool) and stored.categories.count() == 1


def test_a_draft_can_be_edited_and_deleted(draft):
    draft.title = "改过的标题"
    draft.save()
    draft.districts.add(district("huangpu"))
    draft.delete()
    assert not Draw.objects.exists()


def test_verify_draw_command(draft, tmp_path):
    drawn = draws.run(draws.commit(draft))
    out = io.StringIO()
    call_command("verify_draw", "--draw", str(drawn.pk), stdout=out)
    assert "result reproduced" in out.getvalue()
    document = draws.public_document(drawn)
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("verify_draw", str(path), stdout=io.StringIO())
    document["result"]["selected"][0]["inspectors"].reverse()
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="different result"):
        call_command("verify_draw", str(path), stdout=io.StringIO())


def test_verify_draw_refuses_drafts_and_unreadable_files(draft, tmp_path):
    with pytest.raises(CommandError, match="No committed or drawn draw"):
        call_command("verify_draw", "--draw", str(draft.pk))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("verify_draw", str(broken))
