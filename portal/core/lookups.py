"""`field__any=values`: `__in` with the list sent as one array parameter on PostgreSQL.

`__in` gives each value a placeholder of its own: for the importer's lookups of 1,000 names,
keys or identities a chunk, Django preparing each value and psycopg splitting a query of
1,000 placeholders (a new text every time, so never cached) cost more CPU than PostgreSQL
spent answering. `= ANY(%s)` sends the list as one array, in a query text that stays the same.
"""

from __future__ import annotations

from django.db.models import Field
from django.db.models.lookups import In


@Field.register_lookup
class AnyOf(In):
    """Like `__in` (values prepared by the field, None never matches); SQLite gets `IN`."""

    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, params = self.process_lhs(compiler, connection)
        values = [value for value in self.rhs if value is not None]
        return f"{lhs} = ANY(%s)", (*params, values)
