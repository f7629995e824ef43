"""The API's fields and its validators' watch list come from one place: the datasets."""

from __future__ import annotations

import pytest

from portal.opendata.conditional import watched_models
from portal.opendata.datasets import DATASETS
from portal.registry.models import ProductCategory

pytestmark = pytest.mark.django_db


def loaded_models(queryset) -> set:
    """The query's model and every model it loads along (select_related, prefetch_related)."""

    def joined(tree: dict, prefix: str = ""):
        for name, below in tree.items():
            yield prefix + name
            yield from joined(below, f"{prefix}{name}__")

    lookups = [
        *joined(queryset.query.select_related or {}),
        *(
            getattr(lookup, "prefetch_through", lookup)
            for lookup in queryset._prefetch_related_lookups
        ),
    ]
    found = {queryset.model}
    for lookup in lookups:
        model = queryset.model
        for name in lookup.split("__"):
            model = model._meta.get_field(name).related_model
            found.add(model)
    return found


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_model_a_dataset_loads_is_watched_by_the_validators(name):
    """A model missing here would give clients a stale 304 after an edit of its rows."""
    assert loaded_models(DATASETS[name].queryset()) - watched_models() == set()


def test_categories_publish_every_group_flag():
    fields = list(DATASETS["categories"].serializer_class().fields)
    assert [flag for flag in ProductCategory.GROUP_FLAGS if flag not in fields] == []
