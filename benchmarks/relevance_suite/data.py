"""What the suite loads (the demo registry and a messy sheet) and reads back for its rules."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHEET = ROOT / "tests/fixtures/spreadsheets/relevance_sheet.csv"
SHEET_NOTICE = "沪市监质〔2019〕88号"


def load_data(scale: float, *, reuse: bool = False, out: Callable[[str], None] = print) -> None:
    """The demo registry at `scale` plus the fixture sheet, imported as an editor would, then
    indexed.

    The registry comes from the generator `load_demo` runs (same seed, same rows), without the
    demo's pages, which lookup does not search and which take longer to write than the registry.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction

    from portal.demo.content import remove_notices
    from portal.demo.generate import DEFAULT_SEED, DemoSize, build_demo, reset_registry
    from portal.inspections.models import SpotCheckBatch
    from portal.registry.catalogue import load_catalogue
    from search import indexing

    if not (reuse and SpotCheckBatch.objects.filter(notice_number=SHEET_NOTICE).exists()):
        started = time.perf_counter()
        with transaction.atomic():
            remove_notices()  # they protect the batches the reset deletes
            load_catalogue()
            reset_registry(progress=lambda line: None)
            build_demo(DEFAULT_SEED, DemoSize.for_scale(scale), progress=lambda line: None)
        call_command(
            "import_spotchecks",
            str(SHEET),
            "--notice",
            SHEET_NOTICE,
            "--title",
            "2019年上海市日用消费品产品质量监督抽查结果",
            "--year",
            "2019",
            "--published-on",
            "2019-11-20",
            verbosity=0,
            stdout=io.StringIO(),
        )
        out(f"demo registry at scale {scale:g} + sheet: {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    indexing.rebuild()
    out(f"search_rebuild: {time.perf_counter() - started:.0f} s")


@dataclass
class Firm:
    id: int
    name: str
    core: str
    uscc: str
    district: str
    former_names: list[str]
    licences: list[str] = field(default_factory=list)


@dataclass
class Item:
    id: int
    name: str
    brand: str
    model: str
    category: str
    maker: int | None
    from_sheet: bool
    gtins: list[str] = field(default_factory=list)
    outcomes: set[tuple[str, int]] = field(default_factory=set)  # (outcome, year)


@dataclass
class Registry:
    firms: list[Firm]
    items: list[Item]

    def __post_init__(self):
        self.firm = {f.id: f for f in self.firms}
        self.by_brand: dict[str, list[Item]] = defaultdict(list)
        for item in self.items:
            self.by_brand[fold(item.brand)].append(item)


def fold(text: str) -> str:
    from portal.core.text import fold as portal_fold

    return portal_fold(text)


def read_registry() -> Registry:
    """Everything the rules look at, in an order that does not depend on database ids."""
    from portal.core.text import core_name
    from portal.inspections.models import SpotCheckResult
    from portal.registry.models import Enterprise, Licence, Product, ProductBarcode

    firms = {
        pk: Firm(pk, name, core_name(name), uscc or "", district or "", former or [])
        for pk, name, uscc, district, former in Enterprise.objects.values_list(
            "pk", "name", "uscc", "district__code", "former_names"
        )
    }
    for enterprise, number in Licence.objects.values_list("enterprise", "number"):
        firms[enterprise].licences.append(number)
    items = {
        pk: Item(pk, name, brand, model, category or "", maker, False)
        for pk, name, brand, model, category, maker in Product.objects.values_list(
            "pk", "name", "brand", "model_spec", "category__name", "manufacturer"
        )
    }
    for product, gtin in ProductBarcode.objects.values_list("product", "gtin"):
        items[product].gtins.append(gtin)
    public = SpotCheckResult.public.exclude(product=None)
    for product, outcome, year, notice, extra in public.values_list(
        "product", "outcome", "batch__year", "batch__notice_number", "extra"
    ):
        items[product].outcomes.add((outcome, year))
        if notice == SHEET_NOTICE:
            items[product].from_sheet = True
            if barcode := (extra or {}).get("条码"):  # printed on the pack, kept by the importer
                items[product].gtins.append(barcode)
    return Registry(
        sorted(firms.values(), key=lambda f: (f.uscc, f.name)),
        sorted(
            items.values(),
            key=lambda i: (
                i.category,
                i.brand,
                i.name,
                i.model,
                i.maker and firms[i.maker].uscc,
                i.gtins,
            ),
        ),
    )
