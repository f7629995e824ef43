"""`portal.core.bulk`: rows written with COPY read back as `save()` would write them."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from portal.core.bulk import copy_insert, copy_rows
from portal.registry.models import District, Enterprise
from search.models import PendingIndexUpdate

pytestmark = pytest.mark.django_db


def test_copied_rows_get_their_ids_defaults_timestamps_json_and_search_columns():
    minhang = District.objects.get(code="minhang")
    firms = [
        {
            "name": f"上海好学{n}文具有限公司",
            "name_folded": f"上海好学{n}文具有限公司",
            "former_names": [f"上海好学{n}文具厂", "“旧名”\t\\N"],  # COPY's tab and null marker
            "district_id": minhang.pk,
            "address": "" if n else "上海市闵行区\n二行",
        }
        for n in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        ids = Enterprise.objects.copy_rows(firms)
    assert len(queries) <= 2  # the ids, then one COPY
    assert len(set(ids)) == 3 and all(ids)
    stored = Enterprise.objects.in_bulk(ids)
    for pk, firm in zip(ids, firms, strict=True):
        row = stored[pk]
        assert (row.name, row.former_names, row.address) == (
            firm["name"],
            firm["former_names"],
            firm["address"],
        )
        assert row.district_id == minhang.pk and row.uscc is None
        assert row.supervision_class == "" and row.class_assessed_on is None  # defaults
        assert row.created_at is not None and row.created_at == row.updated_at
        assert "haoxue" in row.search_pinyin and row.search_text.startswith("上海好学")
    # The sequence moved past the copied ids: the next save gets a new one.
    later = Enterprise.objects.create(name="上海后来有限公司")
    assert later.pk > max(ids)


def test_a_row_naming_no_field_is_refused():
    with pytest.raises(ValueError, match="no field objectid"):
        copy_rows(PendingIndexUpdate, [{"kind": "product", "objectid": 1}])


def test_copied_instances_get_their_ids_and_timestamps():
    rows = [PendingIndexUpdate(kind="product", object_id=n) for n in range(1, 4)]
    assert copy_insert(PendingIndexUpdate, rows) == rows
    stored = PendingIndexUpdate.objects.in_bulk([row.pk for row in rows])
    assert [(stored[r.pk].object_id, stored[r.pk].created_at) for r in rows] == [
        (r.object_id, r.created_at) for r in rows
    ]
    assert all(r.created_at and not r._state.adding for r in rows)


def test_an_empty_list_writes_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert copy_insert(PendingIndexUpdate, []) == []
    assert len(queries) == 0


def test_a_row_the_table_refuses_stops_the_copy_and_writes_nothing():
    before = PendingIndexUpdate.objects.count()
    rows = [
        PendingIndexUpdate(kind="product", object_id=1),
        PendingIndexUpdate(kind="x" * 21, object_id=2),
    ]
    with pytest.raises(DataError, match="too long"), transaction.atomic():
        copy_insert(PendingIndexUpdate, rows)
    assert PendingIndexUpdate.objects.count() == before
