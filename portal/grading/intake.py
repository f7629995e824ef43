"""Accepting grade records, shared by the API and the CSV upload.

A batch is judged per record: every record is validated completely before anything is
written; the valid ones are then inserted together in one transaction (each record is one row
plus its audit entry, so none is ever half-written) and the invalid ones are reported with
machine-readable errors. A grader resubmits only the rejected records.

Lookups are done once per batch (schemes, barcodes, products, live references), not per record,
so a batch of 1,000 costs a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from rest_framework.exceptions import ErrorDetail, ValidationError

from portal.core.text import fold
from portal.registry.models import Product, ProductBarcode
from portal.registry.validators import compact

from . import audit, scoring
from .models import ApiToken, GraderOrganisation, GradingScheme, Submission
from .serializers import RecordSerializer

MAX_BATCH = 1000


@dataclass
class _Record:
    index: int
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    reference: str | None = None
    scheme: GradingScheme | None = None
    product_id: int | None = None

    def error(self, field_path: str, code: str, message: str, **extra: Any) -> None:
        self.errors.append({"field": field_path, "code": code, "message": message, **extra})


def flatten_errors(errors: Any, path: str = "") -> list[dict[str, str]]:
    """DRF's nested error structure as a flat list of {field, code, message}."""
    if isinstance(errors, dict):
        return [
            item
            for key, value in errors.items()
            for item in flatten_errors(value, key if not path else f"{path}.{key}")
        ]
    if isinstance(errors, list):
        return [item for value in errors for item in flatten_errors(value, path)]
    field_path = "" if path == "non_field_errors" else path.removesuffix(".non_field_errors")
    code = errors.code if isinstance(errors, ErrorDetail) else "invalid"
    return [{"field": field_path, "code": code, "message": str(errors)}]


def submit(
    raw_records: list[Any],
    organisation: GraderOrganisation,
    *,
    source: str,
    token: ApiToken | None = None,
    user=None,
) -> dict[str, Any]:
    """Validate and store records; returns {accepted, rejected, results} in input order."""
    # One serializer validates every record: building its fields per record would cost more
    # than the validation itself.
    validator = RecordSerializer()
    records = [_parse(i, raw, validator) for i, raw in enumerate(raw_records)]
    valid = [r for r in records if not r.errors]
    _resolve_schemes(valid)
    _resolve_products([r for r in valid if not r.errors])
    _check_scores([r for r in valid if not r.errors])
    _check_references([r for r in valid if not r.errors], organisation)

    accepted = [r for r in records if not r.errors]
    rows = [
        Submission(
            organisation=organisation,
            scheme=r.scheme,
            product_id=r.product_id,
            reference=r.reference,
            report_number=r.data["report_number"],
            tested_on=r.data["tested_on"],
            scores={code: float(score) for code, score in r.data["scores"].items()},
            overall_score=r.data["overall_score"],
            grade=r.data["grade"],
            comment=r.data["comment"],
            price=r.data["price"],
            source=source,
            token=token,
            submitted_by=user,
        )
        for r in accepted
    ]
    with transaction.atomic():
        Submission.objects.bulk_create(rows)
        audit.record_many(rows, "grading.submit", user=user, token=token.prefix if token else None)
    ids = iter(row.pk for row in rows)
    results = [
        {"index": r.index, "reference": r.reference, "status": "rejected", "errors": r.errors}
        if r.errors
        else {"index": r.index, "reference": r.reference, "status": "accepted", "id": next(ids)}
        for r in records
    ]
    return {"accepted": len(rows), "rejected": len(records) - len(rows), "results": results}


def _parse(index: int, raw: Any, validator: RecordSerializer) -> _Record:
    record = _Record(index)
    if not isinstance(raw, dict):
        record.error("", "not_an_object", "Each record must be a JSON object.")
        return record
    reference = raw.get("reference")
    record.reference = reference if isinstance(reference, str) else None
    try:
        record.data = validator.run_validation(raw)
    except ValidationError as error:
        record.errors = flatten_errors(error.detail)
    else:
        record.reference = record.data["reference"]
    return record


def _resolve_schemes(records: list[_Record]) -> None:
    wanted = {(r.data["scheme"], r.data["scheme_version"]) for r in records}
    if not wanted:
        return
    query = Q()
    for code, version in wanted:
        query |= Q(code=code, version=version)
    schemes = {
        (s.code, s.version): s
        for s in GradingScheme.objects.filter(query).prefetch_related(
            "criteria", "bands", "downgrade_rules"
        )
    }
    for r in records:
        scheme = schemes.get((r.data["scheme"], r.data["scheme_version"]))
        if scheme is None:
            r.error("scheme", "unknown_scheme", "No grading scheme with this code and version.")
        elif scheme.status != GradingScheme.Status.ACTIVE:
            r.error("scheme", "scheme_not_active", f"This scheme version is {scheme.status}.")
        else:
            r.scheme = scheme


def _resolve_products(records: list[_Record]) -> None:
    by_gtin = [r for r in records if r.data["product"].get("gtin")]
    by_maker = [r for r in records if not r.data["product"].get("gtin")]

    gtins = {compact(r.data["product"]["gtin"]) for r in by_gtin}
    barcodes = dict(ProductBarcode.objects.filter(gtin__in=gtins).values_list("gtin", "product_id"))
    for r in by_gtin:
        r.product_id = barcodes.get(compact(r.data["product"]["gtin"]))
        if r.product_id is None:
            r.error("product.gtin", "product_not_found", "No product carries this GTIN.")

    codes = {compact(r.data["product"]["credit_code"]).upper() for r in by_maker}
    candidates: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for pk, uscc, brand, model in Product.objects.filter(manufacturer__uscc__in=codes).values_list(
        "pk", "manufacturer__uscc", "brand", "model_spec"
    ):
        candidates[(uscc, fold(brand), fold(model))].append(pk)
    for r in by_maker:
        ref = r.data["product"]
        key = (
            compact(ref["credit_code"]).upper(),
            fold(ref.get("brand", "")),
            fold(ref.get("model", "")),
        )
        matches = candidates.get(key, [])
        if len(matches) == 1:
            r.product_id = matches[0]
        elif matches:
            r.error(
                "product",
                "product_ambiguous",
                "Several products of this manufacturer have this brand and model; use a GTIN.",
                candidates=matches,
            )
        else:
            r.error(
                "product",
                "product_not_found",
                "No product of this manufacturer has this brand and model.",
            )


def _check_scores(records: list[_Record]) -> None:
    for r in records:
        codes = {c.code for c in r.scheme.criteria.all()}
        scores = r.data["scores"]
        for code in sorted(codes - scores.keys()):
            r.error(f"scores.{code}", "required", "This criterion of the scheme has no score.")
        for code in sorted(scores.keys() - codes):
            r.error(f"scores.{code}", "unknown_criterion", "The scheme has no such criterion.")
        if r.errors:
            continue
        result = scoring.compute(r.scheme, scores)
        if result.overall_score != r.data["overall_score"]:
            r.error(
                "overall_score",
                "score_mismatch",
                "The overall score differs from the scheme's weighted mean.",
                expected=str(result.overall_score),
            )
        if result.grade != r.data["grade"]:
            r.error(
                "grade",
                "grade_mismatch",
                "The grade differs from the one the scheme gives these scores.",
                expected=result.grade,
            )


def _check_references(records: list[_Record], organisation: GraderOrganisation) -> None:
    live = set(
        Submission.objects.filter(
            organisation=organisation,
            reference__in=[r.reference for r in records],
            status__in=[Submission.Status.PENDING, Submission.Status.APPROVED],
        ).values_list("reference", flat=True)
    )
    for r in records:
        if r.reference in live:
            r.error(
                "reference",
                "duplicate_reference",
                "A pending or approved record already has this reference; withdraw it first.",
            )
        live.add(r.reference)
