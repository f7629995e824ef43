"""Matching what a sample names — producer, sampled unit, testing agencies, category — to rows
of the registry, creating the enterprises and agencies nobody has heard of."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from portal.core.text import fold
from portal.registry.models import District, Enterprise, ProductCategory

from ..models import InspectionAgency, ProducerMatch
from ..spreadsheets import ParsedSample
from .report import ImportReport

#: (enterprise id, how it was matched, candidate ids when ambiguous)
EnterpriseMatch = tuple[int | None, str, list[int]]


@dataclass
class Links:
    """The registry rows one sample points to; named as the result's fields."""

    producer_id: int | None
    producer_match: str
    producer_candidates: list[int]
    sampled_unit_id: int | None
    initial_agency_id: int | None
    retest_agency_id: int | None
    category_id: int | None


class Matcher:
    """Links the samples of one import, a chunk at a time, with a few queries per chunk."""

    def __init__(self, report: ImportReport, default_category_id: int | None):
        self.report = report
        self.default_category_id = default_category_id
        self.agencies: dict[str, int] = {}  # by folded name, kept across chunks
        self.categories = {fold(c.name): c.pk for c in ProductCategory.objects.only("pk", "name")}
        self.districts = {fold(d.name): d for d in District.objects.all()}

    def links(self, samples: list[ParsedSample]) -> list[Links]:
        producers = self._match_producers(samples)
        sampled_units = _match_enterprises(_named(samples, "sampled_unit"))
        self._ensure_agencies(samples)
        return [
            Links(
                *producer,
                sampled_unit_id=unit_id,
                initial_agency_id=self.agencies.get(fold(sample.initial_agency)),
                retest_agency_id=self.agencies.get(fold(sample.retest_agency)),
                category_id=self.categories.get(fold(sample.values.get("category", "")))
                or self.default_category_id,
            )
            for sample, producer, (unit_id, _, _) in zip(
                samples, producers, sampled_units, strict=True
            )
        ]

    def _match_producers(self, samples: list[ParsedSample]) -> list[EnterpriseMatch]:
        """Match nominal producers; create the ones nobody has heard of (unless disputed)."""
        pairs = _named(samples, "producer")
        matches = _match_enterprises(pairs)
        to_create: dict[str, dict] = {}
        for sample, (uscc, name), (enterprise_id, match, _) in zip(
            samples, pairs, matches, strict=True
        ):
            if enterprise_id or match == ProducerMatch.AMBIGUOUS or sample.producer_disputed:
                continue
            if name and fold(name) not in to_create:
                address = sample.values.get("producer_address", "")
                district = self._district_in(address)
                to_create[fold(name)] = {
                    "name": name,
                    "name_folded": fold(name),
                    "uscc": uscc or None,
                    "address": address,
                    "district_id": district.pk if district else None,
                }
        created = dict(
            zip(to_create, Enterprise.objects.copy_rows([*to_create.values()]), strict=True)
        )
        self.report.enterprises_created += len(created)
        results = []
        for sample, (_uscc, name), matched in zip(samples, pairs, matches, strict=True):
            enterprise_id, match, candidates = matched
            if match == ProducerMatch.AMBIGUOUS:
                self.report.add_ambiguous(sample.rows, name, candidates)
            elif enterprise_id is None and fold(name) in created and not sample.producer_disputed:
                enterprise_id, match = created[fold(name)], ProducerMatch.CREATED
            results.append((enterprise_id, match, candidates))
        return results

    def _district_in(self, address: str) -> District | None:
        """The district named in an address, e.g. 上海市闵行区… → 闵行区."""
        folded = fold(address)
        return next((d for name, d in self.districts.items() if name in folded), None)

    def _ensure_agencies(self, samples: list[ParsedSample]) -> None:
        names = {fold(n): n for s in samples for n in (s.initial_agency, s.retest_agency) if n}
        missing = {k: v for k, v in names.items() if k not in self.agencies}
        if not missing:
            return
        agencies = InspectionAgency.objects.filter(name_folded__any=missing)
        self.agencies.update(agencies.values_list("name_folded", "pk"))
        new = {k: v for k, v in missing.items() if k not in self.agencies}
        if new:
            created = _insert_agencies(new)
            self.agencies.update(created)
            self.report.agencies_created += len(created)
            if len(created) < len(new):  # created meanwhile by an import beside this one
                self.agencies.update(agencies.values_list("name_folded", "pk"))


def _insert_agencies(names: dict[str, str]) -> dict[str, int]:
    """Insert agencies (folded name → name) and return those this import created. An import
    running beside this one that creates the same agency first is waited for and its row
    kept (ON CONFLICT DO NOTHING), instead of failing on the unique folded name."""
    table = InspectionAgency._meta.db_table
    values = ", ".join(["(%s, %s, '', '')"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(table)} "  # noqa: S608 (names and placeholders)
            f"(name, name_folded, cma_number, cnas_number) VALUES {values} "
            "ON CONFLICT (name_folded) DO NOTHING RETURNING name_folded, id",
            [value for folded, name in names.items() for value in (name, folded)],
        )
        return dict(cursor.fetchall())


def _named(samples: list[ParsedSample], role: str) -> list[tuple[str, str]]:
    """(credit code, name) of the producer or the sampled unit of each sample."""
    return [(s.values.get(f"{role}_uscc", ""), s.values.get(f"{role}_name", "")) for s in samples]


def _match_enterprises(pairs: list[tuple[str, str]]) -> list[EnterpriseMatch]:
    """(credit code, name) → (enterprise id, how, candidate ids), two queries per chunk.

    A credit code decides. Without one, a folded name matching exactly one enterprise
    does; several is ambiguous and left for an editor, never merged.
    """
    codes = {uscc for uscc, _ in pairs if uscc}
    names = {fold(name) for _, name in pairs if name}
    by_code = dict(Enterprise.objects.filter(uscc__any=codes).values_list("uscc", "pk"))
    by_name: dict[str, list[int]] = {}
    named = Enterprise.objects.filter(name_folded__any=names).order_by("pk")
    for folded, pk in named.values_list("name_folded", "pk"):
        by_name.setdefault(folded, []).append(pk)
    matches = []
    for uscc, name in pairs:
        candidates = by_name.get(fold(name), []) if name else []
        if uscc and uscc in by_code:
            matches.append((by_code[uscc], ProducerMatch.USCC, []))
        elif len(candidates) == 1:
            matches.append((candidates[0], ProducerMatch.NAME, []))
        elif len(candidates) > 1:
            matches.append((None, ProducerMatch.AMBIGUOUS, candidates))
        else:
            matches.append((None, ProducerMatch.NONE, []))
    return matches
