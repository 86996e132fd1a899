"""Declarative base, the aware-UTC column type, and SQLite hardening."""

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, String, any_, bindparam, cast, event, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """An instant: refuses naive datetimes, stores UTC, always returns aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused; pass an aware datetime")
        value = value.astimezone(UTC)
        # SQLite has no time zones: store naive UTC text there.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def one_of(
    column, values: Iterable[int | str], dialect: str, name: str | None = None
) -> ColumnElement[bool]:
    """`column IN values` with the values as one text parameter (PostgreSQL: split into an array;
    SQLite: a JSON list read by json_each), not one each: one statement text for any number of
    values, so it is compiled once and, on PostgreSQL, prepared and planned once (psycopg
    prepares a statement run five times); a list of a hundred ids otherwise cost a fresh plan on
    every page. Values are ids and code-made names: never the separator, LIST_SEPARATOR.

    With `name`, the parameter is named and left empty (`values` unused) for a statement built
    once: pass `listed(values, dialect)` under that name when executing it."""
    value = None if name is not None else listed(values, dialect)
    parameter = bindparam(name, value, type_=String)
    if dialect == "postgresql":
        split = func.string_to_array(parameter, LIST_SEPARATOR, type_=ARRAY(String))
        return column == any_(cast(split, ARRAY(column.type)))
    return column.in_(select(func.json_each(parameter).table_valued("value").c.value))


LIST_SEPARATOR = "\x1f"  # ASCII's unit separator


def listed(values: Iterable[int | str], dialect: str) -> str:
    """The values of a `one_of` parameter as the dialect's statement reads them."""
    values = list(values)
    if dialect == "postgresql":
        return LIST_SEPARATOR.join(map(str, values))
    return json.dumps(values)


# An execution option that overrides the request's method for one transaction, set before its
# first statement: db.session.connection(execution_options={WRITE_LOCK: True}) for a GET that
# writes (a page's access-log entry); False for a long read in a POST (building a download).
WRITE_LOCK = "helpdesk_write_lock"


def harden_sqlite(
    engine: Engine, wants_write_lock: Callable[[], bool], busy_timeout_ms: int = 5000
) -> None:
    """Foreign keys, WAL, a busy timeout, and real transactions on SQLite.

    pysqlite's own transaction handling starts transactions late and never for
    SELECT, so savepoints and isolation mean nothing; we emit BEGIN ourselves.
    Writes take the lock up front (BEGIN IMMEDIATE): a deferred transaction that
    upgrades to a writer deadlocks with another such transaction instead of waiting.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        asked = connection.get_execution_options().get(WRITE_LOCK)
        writes = wants_write_lock() if asked is None else asked
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def render_migration_item(type_: str, obj, _autogen_context) -> str | bool:
    """Alembic writes our column types as the plain types they store."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
