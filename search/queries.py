"""The lookup query: one box for names, brands, pinyin and identifiers, with facets.

The engine returns ids, highlights and facet counts; the rows are loaded from the database.
The user's text only ever reaches match/term queries, never a query-string parser, so query
syntax characters are plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.registry.validators import compact
from search import engine
from search.analysis import clean_query, identifier_kind, is_latin
from search.documents import alias_name

Q = engine.dsl.Q
PAGE_SIZE = 20
MAX_PAGE = 50  # 1,000 results deep is enough for a citizen; deeper paging costs the cluster

#: facet name → (field, size)
FACETS = {
    "kind": ("kind", 2),
    "category": ("category", 30),
    "latest_outcome": ("latest_outcome", 5),
    "year": ("years", 20),
    "district": ("district", 20),
    "supervision_class": ("supervision_class", 4),
    "grade": ("grade", 10),
}
HIGHLIGHTED = ("name", "brand", "manufacturer", "model_spec", "former_names", "address")
IDENTIFIER_FIELDS = {"uscc": "uscc", "gtin": "gtins", "licence": "licences"}


@dataclass
class Hit:
    kind: str
    object_id: int
    score: float | None
    highlights: dict[str, list[str]]


@dataclass
class LookupResults:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    page: int = 1

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, (self.total + PAGE_SIZE - 1) // PAGE_SIZE)


class LookupQuery:
    """Builds the engine request for a query, its filters, sort order and page."""

    def __init__(
        self,
        text: str,
        filters: dict[str, list[str]] | None = None,
        sort: str = "relevance",
        page: int = 1,
    ):
        self.text = clean_query(text)
        self.filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v}
        self.sort = sort if sort in ("relevance", "date") else "relevance"
        self.page = min(max(page, 1), MAX_PAGE)

    # -- the text query ---------------------------------------------------------------------

    def text_query(self, text: str, *, strict: bool = True):
        """Name matches first, then brand, maker and the rest; identifiers exact."""
        should = [
            Q("match_phrase", name={"query": text, "boost": 6}),
            Q("match", **{"name.prefix": {"query": text, "boost": 5}}),
            Q(
                "match",
                name={"query": text, "boost": 3, "minimum_should_match": "75%" if strict else "1"},
            ),
            Q("match_phrase", brand={"query": text, "boost": 4}),
            Q("match", **{"brand.prefix": {"query": text, "boost": 3}}),
            Q("match", former_names={"query": text, "boost": 2, "minimum_should_match": "75%"}),
            # The maker's name as written: "75% of the bigrams" of 上海东泰实业有限公司 also
            # matches the products of every 上海东…实业有限公司 (170,000 of a million).
            Q("match_phrase", manufacturer={"query": text, "boost": 1.5}),
            Q("match", model_spec={"query": text, "boost": 2, "minimum_should_match": "75%"}),
            Q("term", **{"model_spec.exact": {"value": text, "boost": 6}}),
            Q("match", address={"query": text, "boost": 0.3, "minimum_should_match": "100%"}),
        ]
        compact_text = compact(text)
        if kind := identifier_kind(text):
            should.append(
                Q("term", **{IDENTIFIER_FIELDS[kind]: {"value": compact_text, "boost": 50}})
            )
        if is_latin(text):
            letters = text.replace(" ", "")
            should += [
                Q("match", pinyin={"query": letters, "boost": 3}),
                Q(
                    "match",
                    **{
                        "pinyin.full": {
                            "query": letters,
                            "boost": 2,
                            "fuzziness": "AUTO",
                            "prefix_length": 1,
                        }
                    },
                ),
            ]
        elif not strict:  # typos in Chinese: any shared bigram will do
            should.append(Q("match", manufacturer={"query": text}))
        return Q("bool", should=should, minimum_should_match=1)

    def _filters(self) -> list:
        return [Q("terms", **{FACETS[name][0]: values}) for name, values in self.filters.items()]

    def search(self):
        search = engine.dsl.Search(using=engine.get_client(), index=alias_name())
        if self.text:
            search = search.query(self.text_query(self.text))
        search = search.filter("bool", filter=self._filters()) if self.filters else search
        for name, (field_name, size) in FACETS.items():
            search.aggs.bucket(name, "terms", field=field_name, size=size)
        if self.sort == "date":
            search = search.sort(
                {"latest_checked_on": {"order": "desc", "missing": "_last"}}, "_score"
            )
        search = search.highlight(*HIGHLIGHTED, number_of_fragments=0)
        search = search.highlight_options(
            pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html"
        )
        search = search.source(["kind", "object_id"])
        start = (self.page - 1) * PAGE_SIZE
        return search[start : start + PAGE_SIZE].extra(track_total_hits=True)

    def execute(self) -> LookupResults:
        response = self.search().execute()
        hits = [
            Hit(hit.kind, hit.object_id, hit.meta.score, hit.meta.to_dict().get("highlight", {}))
            for hit in response
        ]
        facets = {
            name: [(bucket.key, bucket.doc_count) for bucket in response.aggregations[name].buckets]
            for name in FACETS
        }
        return LookupResults(self.text, response.hits.total.value, hits, facets, self.page)

    def suggestions(self, size: int = 5) -> list[str]:
        """Names close to a query that found nothing: looser matching, fuzzy pinyin."""
        if not self.text:
            return []
        search = engine.dsl.Search(using=engine.get_client(), index=alias_name())
        search = search.query(self.text_query(self.text, strict=False)).source(["label"])
        return list(dict.fromkeys(hit.label for hit in search[:size].execute()))


def autocomplete(text: str, size: int = 8) -> list[dict[str, Any]]:
    """Prefix matches on names, brands and pinyin, for the search box as one types."""
    text = clean_query(text)
    if not text:
        return []
    should = [
        Q("match", **{"name.prefix": {"query": text, "boost": 3}}),
        Q("match", **{"brand.prefix": {"query": text, "boost": 2}}),
    ]
    if is_latin(text):
        should.append(Q("match", pinyin={"query": text.replace(" ", "")}))
    if kind := identifier_kind(text):
        should.append(Q("term", **{IDENTIFIER_FIELDS[kind]: compact(text)}))
    search = engine.dsl.Search(using=engine.get_client(), index=alias_name())
    search = search.query("bool", should=should, minimum_should_match=1)
    search = search.source(["kind", "object_id", "label"])[:size]
    return [{"kind": hit.kind, "id": hit.object_id, "label": hit.label} for hit in search.execute()]
