"""The lookup query: one box for names, brands, pinyin and identifiers, with facets.

A query is read by `search.analysis.parse_query` into words. Every word must be found, each in
any field — brand, product name, the maker's core name, model, category — as one
`cross_fields` match per word, so "恒泰 移动电源" finds 恒泰's power banks first and not every
maker's. A word may also be found through a product-name synonym (`search.synonyms`, at a
lower weight than the word itself) or through its pinyin (homophone typos). Phrase and prefix
matches on whole names, and enterprises whose own name matches, then rank what was found.
Identifiers (credit code, licence, barcode, model written loosely) are exact keyword terms.

The engine returns ids, highlights, facet counts and each hit's line as published (`shown`).
The user's text only ever reaches match/term queries, never a query-string parser, so query
syntax characters are plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.core.text import core_name, han_pinyin
from search import engine, synonyms
from search.analysis import (
    ParsedQuery,
    code_key,
    gtin14,
    identifier_kind,
    is_han_word,
    is_latin_word,
    parse_query,
    without_brand_mark,
)
from search.documents import PREFIX_MAX, alias_name

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
#: Where a word may be found, and how much each place counts. One analyzer for all, so
#: `cross_fields` treats them as one big field: each term must be somewhere.
WORD_FIELDS = [
    "name^3",
    "brand^3",
    "core^2",
    "model_spec^1.5",
    "category_name^1.5",
    "former_names",
    "manufacturer",
]
#: A word of one or two bigrams must match whole; a longer one may miss a fifth of them
#: (恒泰移动电源 has no 泰移), so 移动电源 alone (three of five) is not enough.
WORD_MATCH = "2<80%"
#: The engine refuses a query of more than 1,024 clauses (terms × fields): a citizen's query
#: is read as at most this many words of at most this many characters, and only short words
#: get synonyms, a few in all.
MAX_WORDS, MAX_WORD_LENGTH = 8, 24
SYNONYM_WORD_LENGTH, MAX_SYNONYMS = 8, 3
ADDRESS_QUERY_LENGTH = 30  # longer texts are names, not addresses
SYNONYM_WEIGHT = 0.6  # a word found only through a synonym counts less than the word itself
PINYIN_WEIGHT = 0.4  # …and one found only by its sound less again


@dataclass
class Hit:
    kind: str
    object_id: int
    score: float | None
    highlights: dict[str, list[str]]
    shown: dict[str, Any] | None  # `search.documents.shown_*`; None from an older index


@dataclass
class LookupResults:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    page: int = 1
    relaxed: bool = False  # nothing had every word: these have all but one (`LookupQuery`)

    def __post_init__(self):
        self.relaxed = self.relaxed and self.total > 0  # nothing even then: nothing to qualify

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, (self.total + PAGE_SIZE - 1) // PAGE_SIZE)


def _in_any_field(text: str, boost: float = 1.0, *, loose: bool = False):
    return Q(
        "multi_match",
        query=text,
        type="cross_fields",
        fields=WORD_FIELDS,
        minimum_should_match="1" if loose else WORD_MATCH,
        boost=boost,
    )


def _pinyin_prefix(letters: str, boost: float = 1.0):
    return Q("match", pinyin={"query": letters[:PREFIX_MAX], "boost": boost})


def _starts(field_name: str, text: str, boost: float = 1.0):
    """`field_name` (an edge n-gram field) starts with `text`, cut to the longest prefix held."""
    return Q("match", **{field_name: {"query": text[:PREFIX_MAX], "boost": boost}})


def _word_clause(word: str, synonyms_of_word: list[str], *, loose: bool = False):
    """The ways one word may be found; at least one must hold. Loose: any of its characters
    (for suggesting names close to a query that found nothing)."""
    ways = [_in_any_field(_distinctive(word), loose=loose)]
    if brand := without_brand_mark(word):
        ways.append(_in_any_field(brand))
    ways += [_in_any_field(v, SYNONYM_WEIGHT) for v in synonyms_of_word]
    if is_han_word(word):
        if len(word) >= 2:
            ways.append(_pinyin_prefix(han_pinyin(word)[0], PINYIN_WEIGHT))
    elif is_latin_word(word):
        ways.append(_pinyin_prefix(word, 1.5))
        if len(word) >= 4 or loose:
            ways.append(
                Q(
                    "match",
                    **{
                        "pinyin.full": {
                            "query": word,
                            "fuzziness": "AUTO",
                            "prefix_length": 1,
                            "boost": 0.8,
                        }
                    },
                )
            )
    if len(key := code_key(word)) >= 3:
        ways.append(Q("term", codes={"value": key, "boost": 2}))
    return Q("bool", should=ways, minimum_should_match=1)


def _distinctive(word: str) -> str:
    """A full enterprise name as its core (上海东泰实业有限公司 → 东泰实业): the pairs 上海, 有限,
    公司 are in the maker field of nearly every document, and matching four fifths of all
    pairs made the engine walk them for a million products. The phrase boosters of
    `text_query` still put the enterprise of that exact name first."""
    return core_name(word) if is_han_word(word) else word


def _synonyms_of(words: list[str]) -> list[list[str]]:
    """Each word's product-name synonyms, within the query's budget."""
    budget, found = MAX_SYNONYMS, []
    for word in words:
        some = synonyms.variants(word, limit=budget) if len(word) <= SYNONYM_WORD_LENGTH else []
        budget -= len(some)
        found.append(some)
    return found


def _as_pinyin(parsed: ParsedQuery) -> str:
    """The whole query as pinyin letters: hengtai电器 → hengtaidianqi, 恒太电器 → hengtaidianqi."""
    return "".join(
        han_pinyin(word)[0] if is_han_word(word) else word
        for word in parsed.words
        if is_han_word(word) or is_latin_word(word)
    )


def _identifier_clauses(parsed: ParsedQuery) -> list:
    kind = identifier_kind(parsed.raw)
    if kind == "uscc":  # the enterprise itself, then the products it makes
        return [
            Q("term", uscc={"value": parsed.key, "boost": 50}),
            Q("constant_score", filter=Q("term", codes=parsed.key), boost=20),
        ]
    if kind == "gtin":
        return [Q("term", codes={"value": gtin14(parsed.key), "boost": 50})]
    if len(parsed.key) >= 3:  # a licence, or a model written loosely ("ht 10000")
        return [Q("term", codes={"value": parsed.key, "boost": 50 if kind else 8})]
    return []


def text_query(parsed: ParsedQuery, *, strict: bool = True, relaxed: bool = False):
    """Every word found (one may be missing from three on; one more when `relaxed`), ranked
    by whole-name matches."""
    text, words = parsed.text, [word[:MAX_WORD_LENGTH] for word in parsed.words[:MAX_WORDS]]
    clauses = [
        _word_clause(word, alternatives, loose=not strict)
        for word, alternatives in zip(words, _synonyms_of(words), strict=True)
    ]
    needed = len(clauses) if len(clauses) <= 2 else len(clauses) - 1
    needed = max(1, needed - 1) if relaxed else needed
    spoken = _as_pinyin(parsed)
    name_like = [
        Q("match_phrase", name={"query": text}),
        Q("match_phrase", former_names={"query": text}),
        _starts("core.prefix", text.replace(" ", "")),
    ]
    if spoken:
        name_like.append(_pinyin_prefix(spoken))
    # An enterprise whose own name (or its sound) is the query outranks products that
    # merely carry the word as a brand: "chenxing" is 晨星 the firm before 晨星 pens.
    enterprise_first = Q(
        "bool",
        filter=[Q("term", kind="enterprise")],
        should=name_like,
        minimum_should_match=1,
        boost=6,
    )
    boosters = [
        Q("match_phrase", name={"query": text, "boost": 6}),
        Q("match_phrase", former_names={"query": text, "boost": 5}),
        _starts("name.prefix", text, 5),
        _starts("core.prefix", text.replace(" ", ""), 3),
        Q("match_phrase", brand={"query": text, "boost": 4}),
        _starts("brand.prefix", text, 3),
        # The maker's name as written: "75% of the bigrams" of 上海东泰实业有限公司 also
        # matches the products of every 上海东…实业有限公司 (170,000 of a million).
        Q("match_phrase", manufacturer={"query": text, "boost": 1.5}),
        Q("term", **{"model_spec.exact": {"value": text, "boost": 6}}),
        enterprise_first,
    ]
    if len(text) <= ADDRESS_QUERY_LENGTH:
        boosters.append(
            Q("match", address={"query": text, "boost": 0.3, "minimum_should_match": "100%"})
        )
    if spoken and not parsed.latin:
        boosters.append(_pinyin_prefix(spoken, 2))
    found = Q("bool", should=clauses, minimum_should_match=needed if strict else 1)
    ways = [Q("bool", must=[found], should=boosters)] if clauses else []
    if len(words) > 1 and spoken:
        # Pinyin typed with spaces, or split where a citizen paused: "rong ze fang bao",
        # "Mingl ong" are one name's sound, not words of their own.
        ways.append(Q("bool", must=[_pinyin_prefix(spoken)], should=[enterprise_first]))
    return Q("bool", should=ways + _identifier_clauses(parsed), minimum_should_match=1)


class LookupQuery:
    """Builds the engine request for a query, its filters, sort order and page."""

    def __init__(
        self,
        text: str,
        filters: dict[str, list[str]] | None = None,
        sort: str = "relevance",
        page: int = 1,
    ):
        self.parsed = parse_query(text)
        self.text = self.parsed.text
        self.filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v}
        self.sort = sort if sort in ("relevance", "date") else "relevance"
        self.page = min(max(page, 1), MAX_PAGE)

    def __bool__(self) -> bool:
        return bool(self.parsed or self.filters)

    def _filters(self) -> list:
        filters = [Q("terms", **{FACETS[name][0]: values}) for name, values in self.filters.items()]
        if self.parsed.outcome:
            filters.append(Q("term", outcomes=self.parsed.outcome))
        if self.parsed.year:
            filters.append(Q("term", years=self.parsed.year))
        return filters

    def _search(self):
        search = engine.dsl.Search(using=engine.get_client(), index=alias_name())
        if filters := self._filters():
            search = search.filter("bool", filter=filters)
        return search

    def search(self, *, relaxed: bool = False):
        search = self._search()
        if self.text:
            search = search.query(text_query(self.parsed, relaxed=relaxed))
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
        search = search.source(["kind", "object_id", "shown"])
        start = (self.page - 1) * PAGE_SIZE
        return search[start : start + PAGE_SIZE].extra(track_total_hits=True)

    def execute(self) -> LookupResults:
        return self.results(self.search().execute())

    def results(self, response) -> LookupResults:
        """The answer to `search()`, read. When no document has every word of a query of
        several ("Kailang 烧水壶": the brand's only kettle is a 开水器, a word the synonyms do
        not know), those with all words but one, said so on the page, rather than nothing."""
        found = self._read(response)
        if found.total or len(self.parsed.words) < 2:
            return found
        return self._read(self.search(relaxed=True).execute(), relaxed=True)

    def _read(self, response, relaxed: bool = False) -> LookupResults:
        """Ids, highlights and lines of the hits, facet counts."""
        hits = [
            Hit(
                hit.kind,
                hit.object_id,
                hit.meta.score,
                hit.meta.to_dict().get("highlight", {}),
                hit.to_dict().get("shown"),
            )
            for hit in response
        ]
        facets = {
            name: [(bucket.key, bucket.doc_count) for bucket in response.aggregations[name].buckets]
            for name in FACETS
        }
        return LookupResults(self.text, response.hits.total.value, hits, facets, self.page, relaxed)

    def suggestions(self, size: int = 5) -> list[str]:
        """Names close to a query that found nothing: any word will do, fuzzy pinyin."""
        if not self.text:
            return []
        search = self._search().query(text_query(self.parsed, strict=False)).source(["label"])
        return list(dict.fromkeys(hit.label for hit in search[:size].execute()))


def autocomplete(text: str, size: int = 8) -> list[dict[str, Any]]:
    """Names, core names, brands, pinyin and initials that start with what was typed, and
    the brands among them, for the search box as one types."""
    parsed = parse_query(text)
    typed = parsed.raw.replace(" ", "")
    if not typed:
        return []
    starts = [
        _starts("name.prefix", typed, 3),
        _starts("core.prefix", typed, 4),
        _starts("brand.prefix", typed, 2),
    ]
    brand_starts = [_starts("brand.prefix", typed)]
    if parsed.latin:
        starts.append(_pinyin_prefix(typed))
        brand_starts.append(_starts("brand_pinyin", typed))
    starts += _identifier_clauses(parsed)
    search = engine.dsl.Search(using=engine.get_client(), index=alias_name())
    search = search.query("bool", should=starts, minimum_should_match=1)
    brands = search.aggs.bucket(
        "brands", "filter", Q("bool", should=brand_starts, minimum_should_match=1)
    )
    brands.bucket("labels", "terms", field="brand_label", size=3)
    search = search.source(["kind", "object_id", "label"])[:size]
    response = search.execute()
    items = [
        {"kind": "brand", "id": None, "label": bucket.key}
        for bucket in response.aggregations.brands.labels.buckets
    ]
    items += [{"kind": hit.kind, "id": hit.object_id, "label": hit.label} for hit in response]
    return items[:size]
