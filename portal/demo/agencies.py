"""Testing agencies of the demo, with their yearly evaluations."""

from __future__ import annotations

import random

from portal.core.text import fold
from portal.inspections.models import AgencyEvaluation, InspectionAgency

from . import names
from .categories import YEARS
from .identifiers import cma_number, cnas_number


def build_agencies(rng: random.Random, labs: list[str]) -> dict[str, list[int]]:
    """The testing bodies with their evaluations; returns agency ids by lab."""
    rows = list(names.AGENCIES)
    taken = {name for name, _ in rows}
    for pattern in names.PRIVATE_LAB_PATTERNS * 2:
        while (name := pattern.format("".join(rng.sample(names.TRADE_CHARS, 2)))) in taken:
            pass
        taken.add(name)
        rows.append((name, tuple(rng.sample(labs, rng.randint(2, 4)))))
    agencies = InspectionAgency.objects.bulk_create(
        InspectionAgency(
            name=name,
            name_folded=fold(name),
            cma_number=cma_number(rng, rng.randint(2012, 2018)),
            cnas_number=cnas_number(rng) if rng.random() < 0.8 else "",
        )
        for name, _ in rows
    )
    AgencyEvaluation.objects.bulk_create(_evaluations(rng, agencies))
    by_lab: dict[str, list[int]] = {lab: [] for lab in labs}
    for agency, (_, covered) in zip(agencies, rows, strict=True):
        for lab in covered:
            by_lab.setdefault(lab, []).append(agency.pk)
    return by_lab


def _evaluations(rng: random.Random, agencies: list[InspectionAgency]):
    results = AgencyEvaluation.Result
    for agency in agencies:
        for year in YEARS:
            result = rng.choices(list(results), (25, 70, 5))[0]
            notes = (
                "抽样不规范，检验报告存在差错，已责令整改。"
                if result == results.UNQUALIFIED
                else ""
            )
            yield AgencyEvaluation(agency=agency, year=year, result=result, notes=notes)
