"""Scores of the engine and of the database fallback on the judged queries."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .data import read_registry
from .judged import SEED, Judged
from .suite import Suite

Ranking = list[tuple[str, int]]


def engine_ranking(text: str) -> Ranking:
    """The engine's first page for `text`: the one call to change if LookupQuery's API does."""
    from search.queries import LookupQuery

    return [(hit.kind, hit.object_id) for hit in LookupQuery(text).execute().hits]


def fallback_ranking(text: str) -> Ranking:
    """What a citizen gets when the engine is down."""
    from search.fallback import database_lookup

    return [(hit.kind, hit.object_id) for hit in database_lookup(text).hits]


@dataclass
class Scores:
    queries: int = 0
    recall_at_5: float = 0.0
    mrr: float = 0.0
    ndcg_at_10: float = 0.0

    def add(self, ranking: Ranking, accept: frozenset) -> None:
        """Binary relevance: any acceptable answer counts as fully right."""
        ranks = [rank for rank, hit in enumerate(ranking, 1) if hit in accept]
        self.queries += 1
        self.recall_at_5 += bool(ranks and ranks[0] <= 5)
        self.mrr += 1 / ranks[0] if ranks else 0
        gain = sum(1 / math.log2(rank + 1) for rank in ranks if rank <= 10)
        ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(len(accept), 10) + 1))
        self.ndcg_at_10 += gain / ideal

    def means(self) -> dict[str, float]:
        n = max(self.queries, 1)
        return {
            "queries": self.queries,
            "recall_at_5": round(self.recall_at_5 / n, 3),
            "mrr": round(self.mrr / n, 3),
            "ndcg_at_10": round(self.ndcg_at_10 / n, 3),
        }


@dataclass
class Miss:
    kind: str
    text: str
    expected: list[tuple[str, int]]
    first: tuple[str, int] | None


def score(judged: list[Judged], rank: Callable[[str], Ranking]) -> tuple[dict, list[Miss]]:
    """Scores per kind and overall ("all"), and the queries whose answer was not in the top 5."""
    per_kind: dict[str, Scores] = defaultdict(Scores)
    misses = []
    for query in judged:
        ranking = rank(query.text)
        for key in (query.kind, "all"):
            per_kind[key].add(ranking, query.accept)
        if not set(ranking[:5]) & query.accept:
            misses.append(
                Miss(query.kind, query.text, sorted(query.accept), next(iter(ranking), None))
            )
    return {kind: scores.means() for kind, scores in per_kind.items()}, misses


def run_suite(per_kind: int, seed: int = SEED) -> dict:
    """Build the judged queries from what is loaded and score engine and fallback."""
    judged = Suite(read_registry(), per_kind, seed).build()
    engine, engine_misses = score(judged, engine_ranking)
    fallback, fallback_misses = score(judged, fallback_ranking)
    return {
        "queries": len(judged),
        "kinds": sorted({q.kind for q in judged}),
        "engine": engine,
        "fallback": fallback,
        "engine_misses": engine_misses,
        "fallback_misses": fallback_misses,
    }
