"""Product-name synonyms: the everyday and the official name of one product (充电宝 / 移动电源).

The lookup expands a query with `variants()` rather than giving the engine a synonym filter
(decision 0008). Groups are `SynonymGroup` rows that editors change in the admin; the shipped
dictionary (`data/synonyms.txt`) seeds them. Each process keeps the groups compiled and
reloads them when the version stamp in the cache changes (every save or delete bumps it) or,
should the cache be unavailable, when the table's count or latest change differs (checked at
most every `DATABASE_CHECK_SECONDS`), so an edit reaches every process within a minute.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from itertools import combinations, product
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import MAX_TERM_LENGTH, SynonymGroup, split_terms

logger = logging.getLogger(__name__)

SHIPPED = Path(__file__).resolve().parent / "data" / "synonyms.txt"
VERSION_KEY = "search:synonyms:version"
# The cache is asked at most once a second, the database at most every half minute: a lookup
# costs a dictionary walk, not a round trip.
CACHE_CHECK_SECONDS = 1.0
DATABASE_CHECK_SECONDS = 30.0
_SECTION = re.compile(r"^#\s*(\d{2,6}\s+\S.*)$")


@dataclass(frozen=True)
class Compiled:
    """Each term's whole group, and the lengths of the terms starting with each character
    (longest first): a match is a few slices looked up in a dict, whatever the dictionary's
    size."""

    group_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, groups: list[list[str]]) -> Compiled:
        group_of: dict[str, tuple[str, ...]] = {}
        for terms in groups:
            group = tuple(terms)
            for term in group:
                group_of.setdefault(term, group)  # validation keeps terms unique; first wins
        lengths: dict[str, set[int]] = {}
        for term in group_of:
            lengths.setdefault(term[0], set()).add(len(term))
        return cls(
            group_of, {first: tuple(sorted(n, reverse=True)) for first, n in lengths.items()}
        )

    def find(self, text: str) -> list[tuple[int, str]]:
        """(start, term) of the terms in `text`: leftmost, then longest, never overlapping."""
        found = []
        position = 0
        while position < len(text):
            for length in self.lengths.get(text[position], ()):
                end = position + length
                term = text[position:end]
                if term in self.group_of and _whole_word(text, position, end):
                    found.append((position, term))
                    position = end
                    break
            else:
                position += 1
        return found


def _is_latin(character: str) -> bool:
    return character.isascii() and character.isalnum()


def _whole_word(text: str, start: int, end: int) -> bool:
    """Latin terms match whole words only (tv not in tvb); Chinese has no word boundaries."""
    if start > 0 and _is_latin(text[start]) and _is_latin(text[start - 1]):
        return False
    return not (end < len(text) and _is_latin(text[end - 1]) and _is_latin(text[end]))


@dataclass
class _State:
    compiled: Compiled | None = None
    version: str | None = None
    fingerprint: tuple | None = None
    cache_checked_at: float = 0.0
    database_checked_at: float = 0.0


_state = _State()


def _cached_version() -> str | None:
    try:
        return cache.get(VERSION_KEY)
    except Exception:  # a cache that is down must not break lookups: the database check remains
        logger.warning("Synonym version stamp unavailable from the cache", exc_info=True)
        return None


def _fingerprint() -> tuple:
    figures = SynonymGroup.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    return (figures["count"], figures["latest"])


def _load(version: str | None, now: float) -> Compiled:
    fingerprint = _fingerprint()  # before the rows: a change in between shows at the next check
    groups = SynonymGroup.objects.filter(enabled=True).order_by("pk")
    compiled = Compiled.of(list(groups.values_list("normalised_terms", flat=True)))
    _state.compiled, _state.version, _state.fingerprint = compiled, version, fingerprint
    _state.cache_checked_at = _state.database_checked_at = now
    return compiled


def _current() -> Compiled:
    """This process's compiled dictionary, reloaded when another process changed a group."""
    now = time.monotonic()
    compiled = _state.compiled
    if compiled is not None and now - _state.cache_checked_at < CACHE_CHECK_SECONDS:
        return compiled
    version = _cached_version()
    if compiled is None or version != _state.version:
        return _load(version, now)
    _state.cache_checked_at = now
    if now - _state.database_checked_at >= DATABASE_CHECK_SECONDS:
        if _fingerprint() != _state.fingerprint:
            return _load(version, now)
        _state.database_checked_at = now
    return compiled


def terms_in(text: str) -> list[str]:
    """The synonym terms in `text` (normalised), in order: 电饭锅 rather than 饭锅 in it."""
    return [term for _start, term in _current().find(text)]


def variants(text: str, limit: int = 8) -> list[str]:
    """Other phrasings of `text` (normalised: simplified, lower case, single spaces), each
    synonym term in it replaced by the other terms of its group: one term replaced before two,
    in the order the terms and the group were written; never `text` itself."""
    compiled = _current()
    found = compiled.find(text)
    others = [[t for t in compiled.group_of[term] if t != term] for _start, term in found]
    results: dict[str, None] = {}
    for size in range(1, len(found) + 1):
        for positions in combinations(range(len(found)), size):
            for choice in product(*(others[p] for p in positions)):
                if len(results) >= limit:
                    return list(results)
                phrasing = _rewrite(text, found, dict(zip(positions, choice, strict=True)))
                if phrasing != text:
                    results[phrasing] = None
    return list(results)


def _rewrite(text: str, found: list[tuple[int, str]], replacement: dict[int, str]) -> str:
    pieces, position = [], 0
    for index, (start, term) in enumerate(found):
        pieces += [text[position:start], replacement.get(index, term)]
        position = start + len(term)
    return "".join([*pieces, text[position:]])


def forget() -> None:
    """Recompile at the next lookup in this process."""
    _state.compiled = None


def bump_version() -> None:
    """Tell every process to recompile (through the cache); this one at once."""
    forget()
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the other processes then notice within DATABASE_CHECK_SECONDS
        logger.warning("Could not bump the synonym version stamp", exc_info=True)


@receiver(post_save, sender=SynonymGroup)
@receiver(post_delete, sender=SynonymGroup)
def group_changed(**kwargs) -> None:
    """This process sees its own change at once; the others once it is committed."""
    forget()
    transaction.on_commit(bump_version, robust=True)


def read_dictionary(path: Path = SHIPPED) -> list[tuple[str, list[str]]]:
    """(section, terms) of each group in a Solr-style synonyms file: one group a line, terms
    separated by commas; `# 0110 移动电源` lines name the catalogue section of the lines after.

    Raises ValueError naming the line of a group that the admin would refuse as well."""
    groups, section, seen = [], "", {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if line.startswith("#"):
            heading = _SECTION.match(line)
            section = heading.group(1).strip() if heading else section
            continue
        if not line:
            continue
        terms = split_terms(line)
        if len(terms) < 2:
            raise ValueError(f"{path}, line {number}: a group needs two different terms.")
        for term in terms:
            if len(term) > MAX_TERM_LENGTH:
                raise ValueError(f"{path}, line {number}: “{term}” is too long.")
            if term in seen:
                raise ValueError(f"{path}, line {number}: “{term}” is on line {seen[term]} too.")
            seen[term] = number
        groups.append((section, terms))
    return groups


def load_groups(model, groups: list[tuple[str, list[str]]]) -> tuple[int, int]:
    """Create the groups none of whose terms is in a group yet; (created, skipped).

    `model` is `SynonymGroup` or its historical version in a migration, so rows are written
    in bulk: no signals, no revisions; the caller bumps the version."""
    known = {
        term for terms in model.objects.values_list("normalised_terms", flat=True) for term in terms
    }
    new = []
    for section, terms in groups:
        if known.intersection(terms):
            continue
        known.update(terms)
        new.append(model(terms="，".join(terms), normalised_terms=terms, note=section))
    model.objects.bulk_create(new)
    return len(new), len(groups) - len(new)
