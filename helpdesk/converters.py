"""The `int` of every route: an id that fits the database's INTEGER column, or no match (404).

Werkzeug's own `int` takes any run of Unicode digits ("٣", twenty digits, 2**63): SQLite then
raises OverflowError and PostgreSQL "integer out of range", a 500 where a 404 belongs.
"""

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER, the type of every id column


class IdConverter(IntegerConverter):
    regex = r"[0-9]{1,10}"  # ASCII digits; more than ten cannot fit

    def __init__(self, map: Map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
