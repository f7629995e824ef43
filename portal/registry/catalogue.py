"""The key-supervision catalogue (重点监管目录) of product types, as reference data.

Two editions are kept side by side, the national one of 2019 and Shanghai's own of 2020, so
a result can be placed in the catalogue that was in force when it was published. A product
type keeps its code across editions; an edition may leave a type out or not mark it as key.
`load_catalogue()` writes the editions into `ProductCategory` and can be run any number of
times (it is part of `manage.py load_demo` and can also be called on its own).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from .models import ProductCategory

NATIONAL_2019 = "national-2019"
SHANGHAI_2020 = "shanghai-2020"
EDITIONS = (NATIONAL_2019, SHANGHAI_2020)


@dataclass(frozen=True)
class CatalogueEntry:
    """One product type; `key_in` lists the editions that put it under key supervision."""

    code: str
    name: str
    name_zh_hant: str
    name_en: str
    editions: tuple[str, ...] = EDITIONS
    key_in: tuple[str, ...] = EDITIONS
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def parent_code(self) -> str | None:
        """Codes nest by two digits: 011101 电热水器 sits under 0111 家用电器 under 01."""
        return self.code[:-2] or None


def _entry(code, name, hant, en, *flags, editions=EDITIONS, key_in=None) -> CatalogueEntry:
    return CatalogueEntry(
        code,
        name,
        hant,
        en,
        editions=editions,
        key_in=editions if key_in is None else key_in,
        flags=frozenset(flags),
    )


_CHILDREN = "for_children"
_ELDERLY = "for_elderly"
_FOOD = "food_contact"
_APPLIANCE = "household_appliance"
_FURNITURE = "furniture"
_SMART = "smart_home"
_SH = (SHANGHAI_2020,)

# Groups are headings, not supervised types themselves, so none of them is key.
CATALOGUE: tuple[CatalogueEntry, ...] = (
    _entry("01", "日用消费品", "日用消費品", "Consumer goods", key_in=()),
    _entry("0101", "儿童服装", "兒童服裝", "Children's clothing", _CHILDREN),
    _entry("0102", "婴幼儿服装", "嬰幼兒服裝", "Infants' clothing", _CHILDREN),
    _entry("0103", "学生书包", "學生書包", "School bags", _CHILDREN),
    _entry("0104", "学生用品/文具", "學生用品/文具", "Student supplies and stationery", _CHILDREN),
    _entry("0105", "儿童玩具", "兒童玩具", "Toys", _CHILDREN),
    _entry("0106", "童车", "童車", "Prams and children's cycles", _CHILDREN),
    _entry("0107", "儿童家具", "兒童家具", "Children's furniture", _CHILDREN, _FURNITURE),
    _entry("0108", "老年用品", "老年用品", "Products for older people", _ELDERLY, editions=_SH),
    _entry("0109", "电动自行车", "電動自行車", "Electric bicycles"),
    _entry("0110", "移动电源", "移動電源", "Power banks", key_in=_SH),
    _entry("0111", "家用电器", "家用電器", "Household appliances", _APPLIANCE, key_in=()),
    _entry("011101", "电热水器", "電熱水器", "Electric water heaters", _APPLIANCE),
    _entry("011102", "电饭锅", "電飯鍋", "Electric rice cookers", _APPLIANCE),
    _entry("011103", "电吹风", "電吹風", "Hair dryers", _APPLIANCE),
    _entry("0112", "燃气灶具", "燃氣灶具", "Domestic gas cookers", _APPLIANCE),
    _entry("0113", "家具", "家具", "Furniture", _FURNITURE, key_in=_SH),
    _entry("0114", "智能家居", "智能家居", "Smart home", _SMART, editions=_SH, key_in=()),
    _entry("011401", "智能门锁", "智能門鎖", "Smart door locks", _SMART, editions=_SH),
    _entry("011402", "智能摄像头", "智能攝像頭", "Smart cameras", _SMART, editions=_SH),
    _entry("02", "食品相关产品", "食品相關產品", "Food-related products", _FOOD, key_in=()),
    _entry("0201", "一次性塑料餐饮具", "一次性塑料餐飲具", "Disposable plastic tableware", _FOOD),
    _entry("0202", "食品用纸包装", "食品用紙包裝", "Paper food packaging", _FOOD),
    _entry("0203", "食品用塑料包装", "食品用塑料包裝", "Plastic food packaging", _FOOD),
    _entry("0204", "食品机械", "食品機械", "Food machinery", _FOOD, key_in=_SH),
    _entry("03", "工业生产资料", "工業生產資料", "Industrial goods", key_in=()),
    _entry("0301", "电线电缆", "電線電纜", "Wires and cables"),
    _entry("0302", "燃油", "燃油", "Motor fuel"),
    _entry("0303", "防爆电气", "防爆電氣", "Explosion-proof electrical equipment"),
    _entry("0304", "危险化学品包装物", "危險化學品包裝物", "Packaging for hazardous chemicals"),
)


def entry(code: str) -> CatalogueEntry:
    return _BY_CODE[code]


def leaves(edition: str = SHANGHAI_2020) -> list[CatalogueEntry]:
    """The product types of an edition that have no sub-types: what products belong to."""
    codes = [e.code for e in CATALOGUE if edition in e.editions]
    return [entry(c) for c in codes if not any(o != c and o.startswith(c) for o in codes)]


@transaction.atomic
def load_catalogue(editions: tuple[str, ...] = EDITIONS) -> dict[str, int]:
    """Create or update the editions' categories; returns counts of created and updated."""
    existing = {
        (c.edition, c.code): c
        for c in ProductCategory.objects.filter(edition__in=editions).select_related("parent")
    }
    counts = {"created": 0, "updated": 0}
    for edition in editions:
        for item in (e for e in CATALOGUE if edition in e.editions):
            parent = existing.get((edition, item.parent_code)) if item.parent_code else None
            values = {
                "name": item.name,
                "name_zh_hant": item.name_zh_hant,
                "name_en": item.name_en,
                "parent": parent,
                "is_key": edition in item.key_in,
                **{flag: flag in item.flags for flag in ProductCategory.GROUP_FLAGS},
            }
            category = existing.get((edition, item.code))
            if category is None:
                category = ProductCategory.objects.create(edition=edition, code=item.code, **values)
                existing[(edition, item.code)] = category
                counts["created"] += 1
            elif any(getattr(category, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(category, name, value)
                category.save()
                counts["updated"] += 1
    return counts


_BY_CODE = {e.code: e for e in CATALOGUE}


class CategoryTree:
    """The catalogue by code, in one query (it has hundreds of rows). A product type keeps its
    code across catalogue editions, so a filter or a subscription on one edition's row covers
    the same type, and the types below it, in every edition."""

    def __init__(self):
        rows = list(ProductCategory.objects.values_list("pk", "code", "parent_id"))
        self.code = {pk: code for pk, code, _parent in rows}
        self.parent = {pk: parent for pk, _code, parent in rows}
        self.pks = defaultdict(set)
        self.children = defaultdict(set)
        for pk, code, parent in rows:
            self.pks[code].add(pk)
            if parent is not None:
                self.children[self.code[parent]].add(code)

    def subtree(self, category_id: int) -> set[int]:
        """The rows of the category's type and of every type below it, in every edition."""
        return self.subtree_of_code(self.code[category_id])

    def subtree_of_code(self, code: str) -> set[int]:
        """The rows with this code and of every type below it, in every edition (none for an
        unknown code)."""
        codes, frontier = set(), {code} if code in self.pks else set()
        while frontier:
            codes |= frontier
            frontier = {c for code in frontier for c in self.children[code]} - codes
        return {pk for code in codes for pk in self.pks[code]}

    def lineage(self, category_id: int | None) -> set[str]:
        """The codes of the category and of the types above it."""
        codes: set[str] = set()
        while category_id is not None and self.code[category_id] not in codes:
            codes.add(self.code[category_id])
            category_id = self.parent[category_id]
        return codes
