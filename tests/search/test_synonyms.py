"""Product-name synonyms: the groups editors keep in the admin, the shipped dictionary, and the
query variants the lookup adds (search.synonyms, decision 0008)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from wagtail.models import Revision

from content.management.commands.setup_editorial import EDITOR, MODEL_PERMISSIONS, permission
from portal.registry.catalogue import EDITIONS, leaves
from search import synonyms
from search.models import SynonymGroup
from search.synonyms import read_dictionary, terms_in, variants
from tests.conftest import verified_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SNIPPETS = "wagtailsnippets_search_synonymgroup"


@pytest.fixture
def dictionary():
    """Only the groups a test writes: the shipped ones are set aside (rolled back after)."""
    SynonymGroup.objects.all().delete()
    for terms in (
        "充电宝，移动电源，power bank",
        "电饭锅、电饭煲",
        "饭锅,锅子",
        "冰箱\n电冰箱\n雪柜",
        "电瓶车,电动自行车,电动车",
    ):
        SynonymGroup.objects.create(terms=terms)


def editor():
    """A member of the editor group with the model permissions `setup_editorial` gives it."""
    group, _ = Group.objects.get_or_create(name=EDITOR)
    group.permissions.add(*(permission(p) for p in MODEL_PERMISSIONS[EDITOR]))
    user = UserFactory(username="张编辑")
    user.groups.add(group)
    return user


# --- variants ------------------------------------------------------------------------------


def test_a_single_term_gives_the_other_terms_of_its_group(dictionary):
    assert variants("恒泰 充电宝") == ["恒泰 移动电源", "恒泰 power bank"]
    assert terms_in("恒泰 充电宝") == ["充电宝"]


def test_terms_are_found_as_normalised_text_and_latin_words_only_whole(dictionary):
    assert variants("雪峰 电冰箱") == ["雪峰 冰箱", "雪峰 雪柜"]
    assert variants("power banking") == []
    assert variants("ihpower bank") == []
    assert variants("power bank 20000") == ["充电宝 20000", "移动电源 20000"]


def test_the_longest_term_wins_and_matches_do_not_overlap(dictionary):
    assert terms_in("美的电饭锅") == ["电饭锅"]
    assert variants("美的电饭锅") == ["美的电饭煲"]
    assert terms_in("饭锅") == ["饭锅"]


def test_several_terms_replace_one_at_a_time_before_together(dictionary):
    assert variants("充电宝 电瓶车") == [
        "移动电源 电瓶车",
        "power bank 电瓶车",
        "充电宝 电动自行车",
        "充电宝 电动车",
        "移动电源 电动自行车",
        "移动电源 电动车",
        "power bank 电动自行车",
        "power bank 电动车",
    ]


def test_the_limit_cuts_the_list(dictionary):
    assert variants("充电宝 电瓶车", limit=3) == [
        "移动电源 电瓶车",
        "power bank 电瓶车",
        "充电宝 电动自行车",
    ]
    assert variants("充电宝 电瓶车", limit=0) == []


def test_no_term_and_no_groups_give_no_variants(dictionary):
    assert variants("宏达 台灯") == []
    SynonymGroup.objects.all().delete()
    assert variants("充电宝") == []
    assert terms_in("充电宝") == []


def test_a_group_not_in_use_gives_no_variants(dictionary):
    group = SynonymGroup.objects.get(terms__startswith="冰箱")
    group.enabled = False
    group.save()
    assert variants("冰箱") == []


def test_the_dictionary_is_compiled_once_not_queried_per_lookup(
    dictionary, django_assert_num_queries
):
    variants("充电宝")
    with django_assert_num_queries(0):
        for _ in range(100):
            variants("恒泰 充电宝 电瓶车")


def test_another_process_change_shows_when_the_stamp_changes(dictionary):
    assert variants("饭盒") == []
    # Another process adds a group (bulk_create sends no signal here) and bumps the stamp.
    SynonymGroup.objects.bulk_create(
        [SynonymGroup(terms="饭盒,餐盒", normalised_terms=["饭盒", "餐盒"])]
    )
    assert variants("饭盒") == []
    cache.set(synonyms.VERSION_KEY, "from-another-process")
    synonyms._state.cache_checked_at -= synonyms.CACHE_CHECK_SECONDS
    assert variants("饭盒") == ["餐盒"]


def test_without_the_stamp_the_database_check_finds_the_change_within_a_minute(dictionary):
    assert synonyms.DATABASE_CHECK_SECONDS <= 60
    assert variants("饭盒") == []
    SynonymGroup.objects.bulk_create(
        [SynonymGroup(terms="饭盒,餐盒", normalised_terms=["饭盒", "餐盒"])]
    )
    synonyms._state.cache_checked_at -= synonyms.CACHE_CHECK_SECONDS
    assert variants("饭盒") == []  # the stamp did not change, the database was checked just now
    synonyms._state.cache_checked_at -= synonyms.CACHE_CHECK_SECONDS
    synonyms._state.database_checked_at -= synonyms.DATABASE_CHECK_SECONDS
    assert variants("饭盒") == ["餐盒"]


def test_a_commit_bumps_the_stamp_for_the_other_processes(
    dictionary, django_capture_on_commit_callbacks
):
    before = cache.get(synonyms.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        SynonymGroup.objects.create(terms="饭盒,餐盒")
    assert cache.get(synonyms.VERSION_KEY) not in (None, before)


# --- validation ----------------------------------------------------------------------------


def invalid(terms: str, **fields) -> list[str]:
    group = SynonymGroup(terms=terms, **fields)
    with pytest.raises(ValidationError) as refused:
        group.full_clean()
    return refused.value.message_dict["terms"]


def test_a_group_needs_two_distinct_terms(dictionary):
    assert invalid("插线板") == ["一组至少需要两个不同的词。"]
    assert invalid("插线板，插线板、 插线板 ") == ["一组至少需要两个不同的词。"]
    assert invalid("插線板,插线板") == ["一组至少需要两个不同的词。"]


def test_a_term_has_at_most_twenty_characters(dictionary):
    long_term = "超长的产品名称" * 3
    assert invalid(f"插线板,{long_term}") == [f"每个词最多 20 个字：{long_term}"]


def test_a_term_in_a_live_group_is_refused_naming_that_group(dictionary):
    assert invalid("充電寶,尿袋") == ["“充电宝”已在同义词组“充电宝、移动电源、power bank”中。"]
    SynonymGroup(terms="充电宝,尿袋", enabled=False).full_clean()  # not in use: no conflict


def test_the_refusals_are_translated(dictionary):
    with translation.override("zh-hant"):
        assert invalid("充电宝,尿袋") == [
            "「充电宝」已在同義詞組「充电宝、移动电源、power bank」中。"
        ]
    with translation.override("en"):
        assert invalid("插线板") == ["A group needs at least two different terms."]


def test_an_editor_creates_and_edits_a_group_in_the_admin(client, dictionary):
    verified_login(client, editor())
    response = client.post(
        reverse(f"{SNIPPETS}:add"),
        {"terms": "饭盒，餐盒，快餐盒", "note": "0201 一次性塑料餐饮具", "enabled": "on"},
    )
    assert response.status_code == 302
    group = SynonymGroup.objects.get(note="0201 一次性塑料餐饮具")
    assert group.normalised_terms == ["饭盒", "餐盒", "快餐盒"]
    assert variants("绿洲 饭盒") == ["绿洲 餐盒", "绿洲 快餐盒"]

    response = client.post(
        reverse(f"{SNIPPETS}:edit", args=[group.pk]),
        {"terms": "饭盒\n餐盒\n打包盒", "note": group.note, "enabled": "on"},
    )
    assert response.status_code == 302
    assert variants("绿洲 饭盒") == ["绿洲 餐盒", "绿洲 打包盒"]
    history = Revision.objects.for_instance(group).order_by("pk")
    assert [r.content["terms"] for r in history] == ["饭盒，餐盒，快餐盒", "饭盒\n餐盒\n打包盒"]
    assert client.get(reverse(f"{SNIPPETS}:history", args=[group.pk])).status_code == 200
    found = client.get(reverse(f"{SNIPPETS}:list"), {"q": "打包盒"}).content.decode()
    assert "饭盒、餐盒、打包盒" in found
    assert "冰箱、电冰箱、雪柜" not in found


def test_the_admin_refuses_a_conflicting_group_and_writes_nothing(client, dictionary):
    verified_login(client, editor())
    count, revisions = SynonymGroup.objects.count(), Revision.objects.count()
    response = client.post(
        reverse(f"{SNIPPETS}:add"), {"terms": "冰箱,冷藏柜", "note": "", "enabled": "on"}
    )
    assert response.status_code == 200
    assert "“冰箱”已在同义词组“冰箱、电冰箱、雪柜”中。" in response.content.decode()
    assert (SynonymGroup.objects.count(), Revision.objects.count()) == (count, revisions)
    assert variants("冷藏柜") == []


def test_an_editor_deletes_a_group(client, dictionary):
    verified_login(client, editor())
    group = SynonymGroup.objects.get(terms__startswith="冰箱")
    response = client.post(reverse(f"{SNIPPETS}:delete", args=[group.pk]))
    assert response.status_code == 302
    assert variants("冰箱") == []


# --- the shipped dictionary ----------------------------------------------------------------


def test_the_shipped_dictionary_covers_every_catalogue_category():
    groups = read_dictionary()
    assert len(groups) >= 300
    sections = {section.split()[0] for section, _terms in groups}
    categories = {entry.code for edition in EDITIONS for entry in leaves(edition)}
    assert categories <= sections
    assert all(len(terms) >= 2 and all(1 <= len(t) <= 20 for t in terms) for _s, terms in groups)


def test_the_shipped_dictionary_keeps_different_products_apart():
    group_of = {term: terms for _section, terms in read_dictionary() for term in terms}
    assert group_of["充电宝"] == ["充电宝", "移动电源", "移动充电器", "power bank", "powerbank"]
    assert "电缆" not in group_of["电线"]
    assert "柴油" not in group_of["汽油"]
    assert "电热水器" not in group_of["电热水壶"]


def test_the_migration_loaded_the_shipped_dictionary():
    shipped = read_dictionary()
    assert SynonymGroup.objects.count() == len(shipped)
    assert variants("恒泰 充电宝")[:2] == ["恒泰 移动电源", "恒泰 移动充电器"]
    assert variants("飞鸿 电瓶车")[0] == "飞鸿 电动自行车"
    assert SynonymGroup.objects.get(normalised_terms__contains=["电饭煲"]).note == (
        "011102 电饭锅 Electric rice cookers"
    )


def test_load_synonyms_adds_only_new_groups(tmp_path):
    before = SynonymGroup.objects.count()
    update = tmp_path / "synonyms.txt"
    update.write_text(
        "# 0110 移动电源\n充电宝,尿袋\n# 0113 家具\n榻榻米床,和室床\n", encoding="utf-8"
    )
    call_command("load_synonyms", "--file", str(update))
    assert SynonymGroup.objects.count() == before + 1
    assert SynonymGroup.objects.get(normalised_terms__contains=["和室床"]).note == "0113 家具"
    call_command("load_synonyms", "--file", str(update))
    assert SynonymGroup.objects.count() == before + 1


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("纸杯,一次性纸杯\n充电宝\n", "line 2: a group needs two different terms"),
        ("纸杯,一次性纸杯\n杯子,纸杯\n", "line 2: “纸杯” is on line 1 too"),
        ("纸杯," + "很长" * 11 + "\n", "is too long"),
    ],
)
def test_load_synonyms_refuses_a_bad_file_and_writes_nothing(tmp_path, text, error):
    before = SynonymGroup.objects.count()
    bad = tmp_path / "synonyms.txt"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=error):
        call_command("load_synonyms", "--file", str(bad))
    assert SynonymGroup.objects.count() == before
