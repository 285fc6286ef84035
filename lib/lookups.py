"""Lookups the ORM has no spelling for.

`InConstants(F("status"), ("routed", "accepted"))` is `status IN ('routed', 'accepted')` with the
values written into the SQL, in the order given, instead of passed as parameters. SQLite uses a
partial index only when the query's WHERE contains the index's condition as the index spells it:
a parameter, or the same values in another order, do not match (PostgreSQL proves the condition
either way). So a filter that must be served by a partial index `Q(field__in=[...])` is written
with the same values in the same order (a tuple the model and the filter share).

Only for code constants: each value must be a plain word (letters, digits, underscores); anything
else is refused, so nothing from a request can reach the SQL this way.
"""

import re

from django.db.models import Lookup

_WORD = re.compile(r"^[A-Za-z0-9_]+\Z")


class InConstants(Lookup):
    lookup_name = "in_constants"
    prepare_rhs = False
    can_use_none_as_rhs = False

    def __init__(self, lhs, rhs):
        values = tuple(str(value) for value in rhs)
        if not values:
            raise ValueError("InConstants needs at least one value")
        for value in values:
            if not _WORD.match(value):
                raise ValueError(f"InConstants takes plain words only, not {value!r}")
        super().__init__(lhs, values)

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [])

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        listed = ", ".join(f"'{value}'" for value in self.rhs)
        return f"{lhs_sql} IN ({listed})", lhs_params
