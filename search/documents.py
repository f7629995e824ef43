"""The lookup index: enterprises and products in one index, so one query ranks them together
and one set of facets counts both.

Text fields hold folded text (see `search.analysis`); the engine adds CJK bigrams (with
unigrams, for one-character queries) and edge n-grams for "only the first characters".
Identifiers are exact keywords. Documents are built from database rows by `build_*`. Each
also carries, unindexed, what a line of the results shows as published (`shown`), so the
results page needs no database query for its rows; the database fallback builds the same
`shown` from the same rows (`shown_enterprise`, `shown_product`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.conf import settings

from portal.core.text import core_name, han_pinyin, normalise, pinyin_forms
from search.analysis import code_key, gtin14
from search.engine import dsl, index_name

ALIAS = "lookup"

cjk_bigram = dsl.token_filter("anxin_cjk_bigram", "cjk_bigram", output_unigrams=True)
PREFIX_MAX = 20  # longest prefix indexed; queries for prefixes are cut to this length
prefix_ngram = dsl.token_filter("anxin_prefix", "edge_ngram", min_gram=1, max_gram=PREFIX_MAX)

zh_text = dsl.analyzer(
    "zh_text", tokenizer="standard", filter=["cjk_width", "lowercase", cjk_bigram]
)
# Queries are read as bigrams only (a lone character still gives its unigram): half the terms
# of a long query, and each term is a real pair of the name's characters.
zh_search = dsl.analyzer(
    "zh_search",
    tokenizer="standard",
    filter=[
        "cjk_width",
        "lowercase",
        dsl.token_filter("anxin_cjk_pairs", "cjk_bigram", output_unigrams=False),
    ],
)
# The whole name, cut into its prefixes: 海尔集团 → 海, 海尔, 海尔集 …; the query stays whole.
name_prefix = dsl.analyzer("name_prefix", tokenizer="keyword", filter=["lowercase", prefix_ngram])
whole = dsl.analyzer("whole", tokenizer="keyword", filter=["lowercase"])
# Pinyin words cut into prefixes: haierjituan → h, ha, hai, hai … ; hejt → h, he, hej, hejt.
pinyin_prefix = dsl.analyzer(
    "pinyin_prefix", tokenizer="whitespace", filter=["lowercase", prefix_ngram]
)
words = dsl.analyzer("words", tokenizer="whitespace", filter=["lowercase"])


def _text(**kwargs) -> Any:
    return dsl.Text(analyzer=zh_text, search_analyzer=zh_search, **kwargs)


def _name_field() -> Any:
    return _text(fields={"prefix": dsl.Text(analyzer=name_prefix, search_analyzer=whole)})


class LookupDocument(dsl.Document):
    kind = dsl.Keyword()  # "enterprise" | "product"
    object_id = dsl.Integer()
    label = dsl.Keyword(index=False)  # the name as written, for suggestions and autocomplete
    name = _name_field()
    # The distinctive part of the enterprise's (or the maker's) name: 上海晨星文具制造有限公司
    # → 晨星文具制造, so that 晨星文 completes to it and "晨星 笔" finds its products.
    core = _name_field()
    former_names = _text()
    brand = _name_field()
    brand_label = dsl.Keyword()  # the brand as written, counted for autocomplete
    brand_pinyin = dsl.Text(analyzer=pinyin_prefix, search_analyzer=words)
    model_spec = _text(fields={"exact": dsl.Keyword(normalizer="lowercase")})
    manufacturer = _text()
    category_name = _text()
    address = _text()
    pinyin = dsl.Text(
        analyzer=pinyin_prefix, search_analyzer=words, fields={"full": dsl.Text(analyzer=words)}
    )
    uscc = dsl.Keyword()
    # Identifiers in their loose form (`code_key`): credit code, licence numbers without
    # province or dashes, barcodes as GTIN-14, the model without separators.
    codes = dsl.Keyword()
    category = dsl.Keyword()
    district = dsl.Keyword()
    supervision_class = dsl.Keyword()
    latest_outcome = dsl.Keyword()
    outcomes = dsl.Keyword()  # every outcome of its public results: "不合格" asks for "fail"
    latest_year = dsl.Integer()
    latest_checked_on = dsl.Date()
    years = dsl.Integer()
    grade = dsl.Keyword()  # "<scheme>:<grade>" of each approved third-party grade
    shown = dsl.Object(enabled=False)  # a results line as published: see `shown_*`

    class Index:
        name = ALIAS  # documents are written with explicit index names; this is a placeholder


#: One shard holds millions of these small documents; on a cluster, `SEARCH_REPLICAS` copies
#: on other nodes keep every lookup answered when a node dies (docs/search.md, "Cluster").
def index_settings() -> dict:
    return {
        "number_of_shards": 1,
        "number_of_replicas": settings.SEARCH_REPLICAS,
        "refresh_interval": "1s",
    }


def alias_name() -> str:
    return index_name(ALIAS)


def lookup_index(name: str | None = None) -> Any:
    """The index definition (analysis + mapping) under a concrete or the alias name."""
    index = dsl.Index(name or alias_name())
    index.settings(**index_settings())
    index.document(LookupDocument)
    return index


def definition_digest() -> str:
    """A fingerprint of the index definition, kept in the index's mapping `_meta`: an index
    built by older code (other fields or analysis) is known to need a rebuild."""
    definition = json.dumps(lookup_index("any").to_dict(), sort_keys=True, default=str)
    return hashlib.sha256(definition.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ResultFacts:
    """What a document needs of one spot-check result (loaded as plain values, not models)."""

    outcome: str
    year: int
    published_on: date | None
    category: str | None


def _latest(results: list[ResultFacts]) -> dict[str, Any]:
    """Latest outcome, year and date of results ordered newest first."""
    if not results:
        return {"latest_outcome": "none", "outcomes": [], "years": []}
    latest = results[0]
    return {
        "latest_outcome": latest.outcome,
        "outcomes": sorted({r.outcome for r in results}),
        "latest_year": latest.year,
        "latest_checked_on": latest.published_on,
        "years": sorted({r.year for r in results}),
    }


class EnterpriseRow(NamedTuple):
    """What a document needs of an enterprise, read as plain values (`ENTERPRISE_FIELDS`)."""

    pk: int
    name: str
    former_names: list[str]
    address: str
    uscc: str | None
    district: str | None
    supervision_class: str


ENTERPRISE_FIELDS = (
    "pk",
    "name",
    "former_names",
    "address",
    "uscc",
    "district__name",
    "supervision_class",
)


class ProductRow(NamedTuple):
    """What a document needs of a product and its maker, as plain values (`PRODUCT_FIELDS`)."""

    pk: int
    name: str
    brand: str
    model_spec: str
    category: str | None
    maker: str | None
    maker_uscc: str | None
    maker_district: str | None
    maker_class: str | None


PRODUCT_FIELDS = (
    "pk",
    "name",
    "brand",
    "model_spec",
    "category__name",
    "manufacturer__name",
    "manufacturer__uscc",
    "manufacturer__district__name",
    "manufacturer__supervision_class",
)


def _codes(*values: str | None) -> list[str]:
    return sorted({key for value in values if len(key := code_key(value)) >= 3})


def _joined_pinyin(product: ProductRow) -> list[str]:
    """Brand and name as one word (hengtaiyidongdianyuan, zhongkaizhinengmensuo), for
    "hengtai移动电源" typed in one go."""
    brand, name = pinyin_forms(product.brand)[:1], han_pinyin(product.name)[0]
    return [brand[0] + name] if brand and name else []


def product_label(brand: str, name: str, model_spec: str) -> str:
    """A product as `Product.__str__` writes it."""
    return " ".join(p for p in (brand, name, model_spec) if p)


def shown_enterprise(enterprise: EnterpriseRow) -> dict[str, Any]:
    """What a results line shows of an enterprise, as published."""
    return {
        "name": enterprise.name,
        "uscc": enterprise.uscc or "",
        "district": enterprise.district or "",
        "supervision_class": enterprise.supervision_class or "",
    }


def shown_product(product: ProductRow, grade: str | None) -> dict[str, Any]:
    """What a results line shows of a product, as published, with its newest approved grade."""
    return {
        "name": product.name,
        "brand": product.brand,
        "model_spec": product.model_spec,
        "maker": product.maker or "",
        "grade": grade or "",
    }


def build_enterprise(
    enterprise: EnterpriseRow, results: list[ResultFacts], licences: list[str]
) -> dict[str, Any]:
    names = [enterprise.name, *enterprise.former_names]
    return {
        "_id": f"enterprise-{enterprise.pk}",
        "kind": "enterprise",
        "object_id": enterprise.pk,
        "label": enterprise.name,
        "name": normalise(enterprise.name),
        "core": normalise(core_name(enterprise.name)),
        "former_names": [normalise(n) for n in enterprise.former_names],
        "address": normalise(enterprise.address),
        "pinyin": " ".join(pinyin_forms(*names)),
        "uscc": enterprise.uscc,
        "codes": _codes(enterprise.uscc, *licences),
        "district": enterprise.district,
        "supervision_class": enterprise.supervision_class or None,
        "category": sorted({r.category for r in results if r.category}),
        "shown": shown_enterprise(enterprise),
        **_latest(results),
    }


def build_product(
    product: ProductRow,
    results: list[ResultFacts],
    gtins: list[str],
    grades: list[str] | None,
    newest_grade: str | None = None,
) -> dict[str, Any]:
    return {
        "_id": f"product-{product.pk}",
        "kind": "product",
        "object_id": product.pk,
        "label": product_label(product.brand, product.name, product.model_spec),
        "name": normalise(product.name),
        "brand": normalise(product.brand),
        "brand_label": product.brand or None,
        "brand_pinyin": " ".join(pinyin_forms(product.brand)),
        "model_spec": normalise(product.model_spec),
        "manufacturer": normalise(product.maker),
        "core": normalise(core_name(product.maker)) if product.maker else "",
        "category_name": normalise(product.category),
        "pinyin": " ".join(pinyin_forms(product.brand, product.name) + _joined_pinyin(product)),
        "uscc": product.maker_uscc,
        # The model as a whole and each of its parts: "MB-GZ1001 5L 860W" is found as mbgz1001.
        "codes": _codes(
            product.model_spec, *product.model_spec.split(), *(gtin14(g) for g in gtins)
        ),
        "category": product.category,
        "district": product.maker_district,
        "supervision_class": product.maker_class or None,
        "grade": grades or [],
        "shown": shown_product(product, newest_grade),
        **_latest(results),
    }
