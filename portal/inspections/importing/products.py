"""Product resolution: the product each result is about, and the barcodes a sheet gives it."""

from __future__ import annotations

from dataclasses import astuple

from portal.registry.models import Product, ProductBarcode
from portal.registry.validators import stored_forms

from ..models import SpotCheckResult
from ..spreadsheets import CellError, ParsedSample
from ..spreadsheets.barcodes import read_barcodes
from .report import ImportReport


def link_products(results: list[SpotCheckResult]) -> None:
    """Link results whose producer is known to a product, creating missing products."""
    linkable = [r for r in results if r.producer_id]
    identities = [
        Product.identity_for(r.producer_id, r.sample_name, r.nominal_brand, r.nominal_model)
        for r in linkable
    ]
    wanted: dict[str, dict] = {}
    for r, identity in zip(linkable, identities, strict=True):
        wanted.setdefault(
            identity,
            {
                "name": r.sample_name,
                "brand": r.nominal_brand,
                "model_spec": r.nominal_model,
                "manufacturer_id": r.producer_id,
                "category_id": r.category_id,
                "identity": identity,
            },
        )
    known = dict(Product.objects.filter(identity__any=wanted).values_list("identity", "pk"))
    missing = [identity for identity in wanted if identity not in known]
    ids = Product.objects.copy_rows([wanted[identity] for identity in missing])
    known.update(zip(missing, ids, strict=True))
    for r, identity in zip(linkable, identities, strict=True):
        r.product_id = known[identity]


def register_barcodes(
    barcoded: list[tuple[SpotCheckResult, ParsedSample]], report: ImportReport, column: str
) -> set[int]:
    """Give each result's product the valid codes of its barcode cell; returns the products
    that gained one. Invalid codes, codes already on another product (never moved) and
    codes of a result without a product are row warnings: the result still imports."""
    wanted: list[tuple[SpotCheckResult, int, str]] = []
    for result, sample in barcoded:
        row = sample.rows[0]
        codes, problems = read_barcodes(sample.values["barcode"])
        for problem in problems:
            report.add_warning(CellError(row, column, *astuple(problem)))
        if codes and result.product_id is None:
            report.add_warning(
                CellError(
                    row,
                    column,
                    "、".join(codes),
                    "barcode_no_product",
                    "标称生产企业未能确定（未匹配、有多个候选或有争议），条码未登记到产品",
                    "the nominal producer is not settled (unmatched, ambiguous or disputed), "
                    "so the barcode was not registered to a product",
                )
            )
        elif codes:
            wanted += [(result, row, code) for code in codes]
    forms = {form for *_, code in wanted for form in stored_forms(code.zfill(14))}
    stored = ProductBarcode.objects.filter(gtin__in=forms).values_list("gtin", "product_id")
    owners = {gtin.zfill(14): product_id for gtin, product_id in stored}
    new: list[ProductBarcode] = []
    conflicts: list[tuple[SpotCheckResult, int, str, int]] = []
    for result, row, code in wanted:
        if code.zfill(14) not in owners:
            owners[code.zfill(14)] = result.product_id
            new.append(ProductBarcode(product_id=result.product_id, gtin=code))
        elif owners[code.zfill(14)] != result.product_id:
            conflicts.append((result, row, code, owners[code.zfill(14)]))
    owners_named = Product.objects.only("name", "brand").in_bulk({c[-1] for c in conflicts})
    for result, row, code, owner in conflicts:
        other = owners_named[owner]
        report.add_warning(
            CellError(
                row,
                column,
                code,
                "barcode_taken",
                f"该条码已登记在另一产品“{other.brand} {other.name}”（编号{other.pk}）上，"
                f"未改登记到本行的“{result.nominal_brand} {result.sample_name}”",
                f"the barcode is registered to another product, “{other.brand} {other.name}” "
                f"(id {other.pk}); it was not moved to “{result.nominal_brand} "
                f"{result.sample_name}” of this row",
            )
        )
    ProductBarcode.objects.bulk_create(new)
    report.barcodes_created += len(new)
    return {barcode.product_id for barcode in new}
