"""Change stamps: rows naming a scope of shared data, renewed in the same transaction as each change.

A worker process caches what it computed under the stamps it read. A change commits new stamps
with the change itself, so every process sees them at once and no cached entry outlives its data.

A stamp covers as little as the change touches: a district-wide one for what is rarely changed
(topics, program rules, school calendars), and scoped ones named after it, `<name>:user:<id>`,
for one person's data. Stamps are derived from the changed rows themselves (`renew_on_row_change`):
a booking renews its mentor's and its teacher's stamps and nobody else's, so writes for different
mentors never touch the same stamp row, and one person's change leaves the others' entries valid.

Two ways to renew: a service calls `renew_stamp` (the tip library: a few services change it), or
the stamps watch tables, and every transaction that writes to them renews the stamps its rows
name (many services change sessions and availability, none can forget). Renewals are the
transaction's last statements before COMMIT, in sorted order (no deadlock between two writers),
so their row locks are held only for the commit and never while the transaction waits on another.
A bulk UPDATE or DELETE reads the rows it is about to change first (locking them on PostgreSQL),
so it renews the same stamps as the same change made through the ORM.
"""

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import Any

from sqlalchemy import BindParameter, String, event, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from helpdesk.db import listed, one_of
from helpdesk.extensions import db

_PENDING = "helpdesk.stamps.pending"
_READ = "helpdesk.stamps.read"  # stamps this transaction has read: name -> stamp (None: no row)
Row = Callable[[str], Any]  # a changed row's value of a column (an attribute, for ORM objects)


@dataclass(frozen=True)
class _Watch:
    names: Callable[[Row], Iterable[str]]  # the stamps a row's change renews
    attributes: frozenset[str] | None  # the attributes that matter (None: any change)
    columns: tuple[str, ...]  # the columns `names` reads
    wide: str  # renewed instead when the rows are unknown (a statement without a WHERE)


# table name -> what its changes renew
_watched: dict[str, list[_Watch]] = {}


class ChangeStamp(db.Model):
    __tablename__ = "change_stamp"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


def current_stamp(name: str) -> str | None:
    """The stamp as this transaction sees it; None before the first change."""
    return db.session.scalar(select(ChangeStamp.stamp).where(ChangeStamp.name == name))


def read_stamps(names: Iterable[str]) -> dict[str, str]:
    """Many stamps in one query; a scope never changed yet has no row and is left out.

    A stamp this transaction has read already is not asked for again until it ends (or renews
    it): a page reads all it needs in one query, and later lookups come from that. An earlier
    read is safe to key on, being older than any data read after it."""
    wanted = set(names)
    if not wanted:
        return {}
    session = db.session()
    known = session.info.setdefault(_READ, {})
    missing = sorted(wanted - known.keys())
    if missing:
        dialect = session.get_bind().dialect.name
        found = dict(
            session.connection()
            .execute(_read_statement(dialect), {"names": listed(missing, dialect)})
            .all()
        )
        known.update((name, found.get(name)) for name in missing)
    return {name: known[name] for name in wanted if known[name] is not None}


@cache
def _read_statement(dialect: str):
    return select(ChangeStamp.name, ChangeStamp.stamp).where(
        one_of(ChangeStamp.name, (), dialect, name="names")
    )


def renew_stamp(name: str) -> None:
    """Mark the data called `name` as changed (commits or rolls back with the caller's change)."""
    _renew(db.session(), name)


def renew_on_change(name: str, tables: dict[str, Iterable[str] | None]) -> None:
    """Renew stamp `name` with every transaction that writes to these tables.

    `tables` maps a table name to the attributes that matter (None: all); an ORM change to
    other attributes only (a user's last sign-in, say) leaves the stamp alone.
    """
    for table, attributes in tables.items():
        renew_on_row_change(table, lambda _row, name=name: (name,), (), name, attributes)


def renew_on_row_change(
    table: str,
    names: Callable[[Row], Iterable[str]],
    columns: Iterable[str],
    wide: str,
    attributes: Iterable[str] | None = None,
) -> None:
    """Renew the stamps `names(row)` gives for each row of `table` a transaction writes: for a
    changed row, those of its values before and after. `columns` are the ones `names` reads;
    `wide` is renewed when a statement's rows cannot be known."""
    watch = _Watch(
        names, None if attributes is None else frozenset(attributes), tuple(columns), wide
    )
    _watched.setdefault(table, []).append(watch)


def watched_tables(name: str) -> set[str]:
    """The tables whose changes renew stamp `name` or the stamps scoped under it."""
    return {table for table, watches in _watched.items() if any(_covers(name, w) for w in watches)}


def renewed_by(table: str, row: Row) -> set[str]:
    """The stamps a change to this row of `table` renews (for tests of what each cache watches)."""
    return {name for watch in _watched.get(table, ()) for name in watch.names(row)}


def _covers(name: str, watch: _Watch) -> bool:
    return watch.wide == name or watch.wide.startswith(f"{name}:")


def has_pending_changes(name: str) -> bool:
    """Whether this transaction has written data stamped `name` or a scope under it: then read
    it fresh, not cached."""
    session = db.session()
    scoped = f"{name}:"
    if any(p == name or p.startswith(scoped) for p in session.info.get(_PENDING, ())):
        return True
    for _obj, watches in _unflushed_changes(session):
        if any(_covers(name, watch) for watch in watches):
            return True
    return False


def _renew(session: Session, name: str) -> None:
    session.info.get(_READ, {}).pop(name, None)
    values = {"stamp": uuid.uuid4().hex}
    renewed = session.execute(
        update(ChangeStamp).where(ChangeStamp.name == name).values(**values),
        execution_options={"synchronize_session": False},
    )
    if renewed.rowcount:
        return
    try:
        with session.begin_nested():
            session.add(ChangeStamp(name=name, **values))
    except IntegrityError:  # another transaction created the row first
        session.execute(update(ChangeStamp).where(ChangeStamp.name == name).values(**values))


def _note(session: Session, names: Iterable[str]) -> None:
    session.info.setdefault(_PENDING, set()).update(names)


def _unflushed_changes(session: Session, objects=None):
    """(object, the watches its change concerns) for each watched object not flushed yet."""
    for obj in chain(session.new, session.dirty, session.deleted) if objects is None else objects:
        table = getattr(getattr(obj, "__table__", None), "name", None)
        if table not in _watched:
            continue
        state = inspect(obj)
        if state.pending or obj in session.deleted:
            yield obj, _watched[table]
            continue
        changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
        watches = [w for w in _watched[table] if w.attributes is None or w.attributes & changed]
        if changed and watches:
            yield obj, watches


def _old_value(state, key: str):
    history = state.attrs[key].history
    return history.deleted[0] if history.deleted else state.attrs[key].value


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    # Changed and deleted rows, while their old values can still be read; new rows wait for
    # after_flush, where the keys a relationship sets (a booking's mentor_id) are filled in.
    for obj, watches in _unflushed_changes(session, chain(session.dirty, session.deleted)):
        state = inspect(obj)
        for watch in watches:
            _note(session, watch.names(lambda key, obj=obj: getattr(obj, key)))
            if obj not in session.deleted:
                _note(session, watch.names(lambda key, state=state: _old_value(state, key)))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    for obj, watches in _unflushed_changes(session, list(session.new)):
        for watch in watches:
            _note(session, watch.names(lambda key, obj=obj: getattr(obj, key)))


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if table is None or table.name not in _watched:
        return
    watches = _watched[table.name]
    rows = _inserted_rows(state) if state.is_insert else _rows_to_change(state, table, watches)
    for watch in watches:
        if rows is None:
            _note(state.session, (watch.wide,))
            continue
        for row in rows:
            _note(state.session, watch.names(row.get))


def _inserted_rows(state) -> list[Mapping[str, Any]] | None:
    parameters = state.parameters
    if isinstance(parameters, Mapping):
        parameters = [parameters]
    if parameters:
        return [_by_column_name(p) for p in parameters]
    values = _set_values(state.statement)
    return None if values is None else [values]


def _rows_to_change(state, table, watches: list[_Watch]) -> list[Mapping[str, Any]] | None:
    """The rows an UPDATE or DELETE changes, as they are and (an UPDATE) as they will be."""
    where = state.statement.whereclause
    columns = sorted({c for w in watches for c in w.columns})
    if where is None:
        return None
    if not columns:
        return [{}]
    query = select(*(table.c[c] for c in columns)).where(where)
    if state.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    before = [dict(row) for row in state.session.execute(query).mappings()]
    if state.is_delete:
        return before
    values = _set_values(state.statement)
    if values is None or any(
        c in values and values[c] is _UNKNOWN for c in columns
    ):  # a scope column set to an expression: its new value is unknown here
        return None
    return before + [{**row, **values} for row in before]


_UNKNOWN = object()


def _set_values(statement) -> dict[str, Any] | None:
    """An INSERT's or UPDATE's literal values by column name (_UNKNOWN for expressions)."""
    values = getattr(statement, "_values", None)
    if values is None:
        return None
    result = {}
    for column, value in values.items():
        key = column if isinstance(column, str) else getattr(column, "key", None)
        if key is None:
            return None
        result[key] = value.value if isinstance(value, BindParameter) else _UNKNOWN
    return result


def _by_column_name(parameters: Mapping) -> dict[str, Any]:
    return {getattr(k, "key", k): v for k, v in parameters.items()}


@event.listens_for(Session, "before_commit")
def _renew_before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the renewal waits for the real commit
    session.flush()
    for name in sorted(session.info.pop(_PENDING, ())):
        _renew(session, name)


@event.listens_for(Session, "after_rollback")
def _forget_on_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_READ, None)


@event.listens_for(Session, "after_commit")
def _forget_read_stamps(session: Session) -> None:
    session.info.pop(_READ, None)
