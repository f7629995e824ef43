"""Lookup from the database when the engine cannot be reached: no facets, no highlights, but
an answer that reads the query as the engine does (`parse_query`).

It matches the stored search columns of enterprises and products (`fill_search_columns`):
every word must be found somewhere — the object's folded text, its maker's, its category's
name, or a pinyin form that starts with the word (a Chinese word through its pinyin, so
homophone typos still match) — or the whole query is one of its identifiers (credit code,
licence, model, barcode), written loosely. Verdict and year words keep only objects with a
public result of that outcome or year. Enterprises and products are ranked together by a
`CASE` score in one `UNION` query: two queries per lookup (count and page), whatever the
query; when no object has every word of a query of several, two more for those with all words
but one, as the engine does.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When

from portal.core.text import fold, han_pinyin
from portal.inspections.models import SpotCheckResult
from portal.registry.models import Enterprise, Licence, Product, ProductBarcode
from portal.registry.validators import LICENCE_KEY, code_key, gtin14, stored_forms
from search import synonyms
from search.analysis import ParsedQuery, is_han_word, is_latin_word, parse_query
from search.indexing import shown_lines
from search.queries import MAX_PAGE, PAGE_SIZE, Hit, LookupResults

# Scores, best first; ties are broken by kind (enterprises first), then name, then id.
IDENTIFIER, NAME, OWN_TEXT, OTHER = 4, 3, 2, 1
MIN_CODE_PREFIX = 3  # a shorter model prefix ("A", "HT") would match half the register


def database_lookup(text: str, page: int = 1) -> LookupResults:
    query = parse_query(text)
    page = min(max(page, 1), MAX_PAGE)
    if not query:
        return LookupResults(query.raw, 0, [], page=page)
    found = _enterprises(query).union(_products(query), all=True)
    total, relaxed = found.count(), False
    if not total and len(query.words) > 1:  # as the engine: then all words but one
        found = _enterprises(query, True).union(_products(query, True), all=True)
        total, relaxed = found.count(), True
    start = (page - 1) * PAGE_SIZE
    rows = found.order_by("-score", "kind", "sort_name", "pk")[start : start + PAGE_SIZE]
    shown = shown_lines([(kind, pk) for pk, kind, _score, _name in rows])
    hits = [
        Hit(kind, pk, None, {}, shown[kind, pk])
        for pk, kind, _score, _name in rows
        if (kind, pk) in shown  # not deleted since the first query
    ]
    return LookupResults(query.raw, total, hits, page=page, relaxed=relaxed)


def _alternatives(word: str) -> list[str]:
    """The spellings a word is looked up in: itself and its product-name synonyms."""
    return [word, *synonyms.variants(word)]


def _enterprises(query: ParsedQuery, relaxed: bool = False):
    return _ranked(
        Enterprise.objects,
        "enterprise",
        query,
        matched=_words_found(query.words, relaxed, owners=("",)),
        identifier=_enterprise_identifier(query.key),
        better=(_name_like(query), NAME),
        results_of="producer",
    )


def _products(query: ParsedQuery, relaxed: bool = False):
    return _ranked(
        Product.objects,
        "product",
        query,
        matched=_words_found(query.words, relaxed, owners=("", "manufacturer__"), product=True),
        identifier=_product_identifier(query.key),
        better=(_all_words(query.words, owners=("",), pinyin=False), OWN_TEXT),
        results_of="product",
    )


def _ranked(objects, kind: str, query: ParsedQuery, matched, identifier, better, results_of):
    """The rows of one kind that match, as (id, kind, score, name): an identifier scores
    IDENTIFIER, `better` (a condition and its score) lifts a row above the rest. Verdict and
    year words filter; alone, they list everything they allow."""
    condition, whens = Q(), []
    if query.words:
        condition = matched if identifier is None else matched | identifier
        whens.append(When(better[0], then=Value(better[1])))
        if identifier is not None:
            whens.insert(0, When(identifier, then=Value(IDENTIFIER)))
    results = SpotCheckResult.public.filter(**{results_of: OuterRef("pk")})
    if query.outcome:
        results = results.filter(outcome=query.outcome)
    if query.year:
        results = results.filter(batch__year=query.year)
    if query.outcome or query.year:
        condition &= Q(Exists(results))
    return (
        objects.filter(condition)
        .order_by()  # the models' default ordering is not allowed inside a UNION on SQLite
        .annotate(
            kind=Value(kind),
            score=Case(*whens, default=Value(OTHER), output_field=IntegerField()),
            sort_name=F("name"),
        )
        .values_list("pk", "kind", "score", "sort_name")
    )


def _words_found(words, relaxed: bool, **where) -> Q:
    """Every word found, or when `relaxed` every word but one (any one)."""
    if not relaxed:
        return _all_words(words, **where)
    return reduce(or_, (_all_words(words[:i] + words[i + 1 :], **where) for i in range(len(words))))


def _all_words(words, owners: tuple[str, ...], product: bool = False, pinyin: bool = True) -> Q:
    """Every word found in one of the owners' columns ("" the object itself,
    "manufacturer__" a product's maker) or, for products, the category name or model key.
    Adjacent Latin words may also be one pinyin written with spaces ("hai er" → haier)."""
    required = []
    for run in _runs(words):
        each = reduce(and_, (_word(w, owners, product, pinyin) for w in run))
        if len(run) > 1:
            each |= _word("".join(run), owners, product, pinyin)
        required.append(each)
    return reduce(and_, required, Q())


def _runs(words) -> list[list[str]]:
    """Words in order, adjacent Latin-letter words grouped: hai, er, 电器 → [hai, er], [电器]."""
    runs: list[list[str]] = []
    for word in words:
        if runs and is_latin_word(word) and is_latin_word(runs[-1][-1]):
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _word(word: str, owners: tuple[str, ...], product: bool, pinyin: bool) -> Q:
    """Where one word may be found."""
    found = Q()
    for spelling in _alternatives(word):
        # Without `pinyin`, Latin letters still count (they can only be pinyin), sounds do not.
        sound = _pinyin_of(spelling) if pinyin or is_latin_word(spelling) else ""
        for owner in owners:
            found |= Q(**{f"{owner}search_text__contains": spelling})
            if sound:
                found |= Q(**{f"{owner}search_pinyin__contains": f" {sound}"})
        if product:
            found |= Q(category__name__contains=spelling)
    key = code_key(word)
    if product and len(key) >= MIN_CODE_PREFIX and not key.isalpha():
        found |= Q(search_codes__startswith=key)  # a model written loosely: mbfb40s701
    return found


def _pinyin_of(word: str) -> str:
    """What a word is looked for among pinyin forms: itself when Latin letters, the pinyin of
    a Chinese word of two characters or more (one character's sound matches too much)."""
    if is_latin_word(word):
        return word
    if is_han_word(word) and len(word) >= 2:
        return han_pinyin(word)[0]
    return ""


def _name_like(query: ParsedQuery) -> Q:
    """The query is how an enterprise is called: its name, a former name or its core name
    starts with it, or (pinyin, "chen xing") one of their pinyin forms does."""
    name = fold(query.text)
    if not name:
        return Q(pk__in=[])
    like = Q(search_text__startswith=name) | Q(search_text__contains=f" {name}")
    if is_latin_word(name):
        like |= Q(search_pinyin__contains=f" {name}")
    return like


def _enterprise_identifier(key: str) -> Q | None:
    """Credit code, or licence number with or without dashes and province prefix."""
    if not key:
        return None
    identifier = Q(search_codes=key)
    if licence := LICENCE_KEY.match(key):
        # Stored numbers are validated: XK with dashes, optionally after a province.
        number = f"{licence[1]}{licence[2]}-{licence[3]}-{licence[4]}" if licence[1] else key
        licences = Licence.objects.filter(enterprise=OuterRef("pk"), number__endswith=number)
        identifier |= Q(Exists(licences))
    return identifier


def _product_identifier(key: str) -> Q | None:
    """Model written loosely (MB-FB40S701 as "mb fb40s701"), or barcode in any length."""
    if not key:
        return None
    identifier = Q(search_codes=key)
    if code14 := gtin14(key):
        barcodes = ProductBarcode.objects.filter(
            product=OuterRef("pk"), gtin__in=stored_forms(code14)
        )
        identifier |= Q(Exists(barcodes))
    return identifier
