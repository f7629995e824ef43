"""ETag and Last-Modified of API answers, worked out before anything is serialised.

Two things move when published data changes, and the validators follow both:

- one aggregate over the filtered rows: how many, the highest id and the newest timestamp the
  dataset has (`Dataset.modified`): inserts, deletes and timestamped edits, including bulk
  writes that send no signals (the importer's rows, whose batch it re-saves);
- the time of the last change to any model the datasets read (`last_change`), set after
  commit by the signals below: edits of rows without a timestamp (licences, categories,
  results edited in the admin, district names), page publishing, moves and deletions.

The second is kept in the default cache, shared by every process when it is Redis (the
production default). When it is missing (first request, eviction) it starts at "now", which
only makes clients fetch again. See docs/api.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Count, Max, Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from wagtail.signals import page_published, page_unpublished, post_page_move

from .datasets import DATASETS, Dataset

LAST_CHANGE_KEY = "opendata:last-change"


def models_read(serializer) -> set[type[Model]]:
    """The serializer's model and every model its fields reach through relations: their
    sources, or the relation a computed field names as what it `reads`."""
    found = {serializer.Meta.model}
    for field in serializer.fields.values():
        reads = getattr(field, "reads", None)
        model = serializer.Meta.model
        for name in filter(None, reads.split(".") if reads is not None else field.source_attrs):
            try:
                relation = model._meta.get_field(name)
            except FieldDoesNotExist:  # "pk", a property
                break
            if not relation.is_relation:
                break
            model = relation.related_model
            found.add(model)
    return found


def watched_models() -> set[type[Model]]:
    """Every model whose rows some dataset shows, derived from the datasets' serializers."""
    return set().union(*(models_read(d.serializer_class()) for d in DATASETS.values()))


def _record_change(**kwargs) -> None:
    # After commit: a request served before it must not see the new time with the old rows.
    transaction.on_commit(lambda: cache.set(LAST_CHANGE_KEY, time.time(), timeout=None))


def connect_signals() -> None:
    """Called from `OpenDataConfig.ready`."""
    for model in watched_models():
        post_save.connect(_record_change, sender=model, dispatch_uid=f"opendata-{model._meta}")
        post_delete.connect(_record_change, sender=model, dispatch_uid=f"opendata-{model._meta}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_record_change, dispatch_uid="opendata-pages")


def last_change() -> float:
    return cache.get_or_set(LAST_CHANGE_KEY, time.time, timeout=None)


@dataclass(frozen=True)
class State:
    """What the validators of one answer are computed from, and the validators."""

    rows: int
    etag: str
    last_modified: datetime.datetime


def validators(dataset: Dataset, queryset: QuerySet, request) -> State:
    """The validators of the answer to `request` over the rows of `queryset`, in one query.

    The ETag is weak: it names the data and the request (address, query string, host), not
    the bytes.
    """
    changed = last_change()
    figures = _figures(dataset, queryset, request, changed)
    stamps = [value for key, value in figures.items() if key.startswith("modified_") and value]
    last_modified = max(
        [*stamps, datetime.datetime.fromtimestamp(changed, tz=datetime.UTC)]
    ).replace(microsecond=0)
    identity = json.dumps(
        [request.build_absolute_uri(), figures, changed], default=str, sort_keys=True
    )
    etag = f'W/"{hashlib.sha256(identity.encode()).hexdigest()[:32]}"'
    return State(figures["rows"], etag, last_modified)


def _figures(dataset: Dataset, queryset: QuerySet, request, changed: float) -> dict:
    """The aggregate, kept OPEN_API_VALIDATOR_TTL seconds per address and change time: it
    scans every filtered row, so without this a 304 of a large list would cost as much as the
    list. A signalled change moves `changed` and so misses the cache at once; rows written in
    bulk without signals show within the TTL (shorter than OPEN_API_MAX_AGE anyway)."""
    key = (
        "opendata:figures:"
        + hashlib.sha256(f"{request.build_absolute_uri()}|{changed}".encode()).hexdigest()
    )
    figures = cache.get(key)
    if figures is None:
        figures = queryset.order_by().aggregate(
            rows=Count("pk"),
            last_id=Max("pk"),
            **{f"modified_{n}": Max(path) for n, path in enumerate(dataset.modified)},
        )
        cache.set(key, figures, timeout=settings.OPEN_API_VALIDATOR_TTL)
    return figures


def not_modified(request, state: State):
    """The 304 to answer with when the client's copy is current, else None."""
    return get_conditional_response(
        request, etag=state.etag, last_modified=int(state.last_modified.timestamp())
    )


def add_headers(response, state: State, max_age: int):
    response.headers["ETag"] = state.etag
    response.headers["Last-Modified"] = http_date(state.last_modified.timestamp())
    patch_cache_control(response, public=True, max_age=max_age)
    return response
