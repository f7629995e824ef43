"""`field__any`: the same rows as `__in`, with the list sent as one array parameter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.registry.models import Enterprise

pytestmark = pytest.mark.django_db


def test_any_matches_what_in_matches_with_one_parameter():
    firms = [Enterprise.objects.create(name=f"上海好学{n}文具有限公司") for n in range(3)]
    names = {firms[0].name_folded, firms[2].name_folded, "没有这家", None}
    pks = Enterprise.objects.values_list("pk", flat=True)
    with CaptureQueriesContext(connection) as queries:
        found = set(pks.filter(name_folded__any=names))
    assert found == {firms[0].pk, firms[2].pk} == set(pks.filter(name_folded__in=names))
    assert "= ANY(" in queries[0]["sql"]
    assert set(Enterprise.objects.filter(pk__any=[f.pk for f in firms])) == set(firms)
    assert not Enterprise.objects.filter(pk__any=[]).exists()
