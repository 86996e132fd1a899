"""Change stamps: one row per kind of shared data, renewed in the same transaction as each change.

A worker process caches what it computed under the stamp it read. A change commits a new stamp
with the change itself, so every process sees it at once and no cached entry outlives its data.

Two ways to renew: a service calls `renew_stamp` (the tip library: a few services change it), or
`renew_on_change` watches tables, and every transaction that writes to them renews the stamp
(sessions, availability and profiles: many services change them, none can forget). A watched
renewal is the transaction's last statement before COMMIT, so its row lock is held only for the
commit and never while the transaction waits on another lock.
"""

import uuid
from collections.abc import Iterable
from itertools import chain

from sqlalchemy import String, event, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from helpdesk.extensions import db

_PENDING = "helpdesk.stamps.pending"
# table name -> [(stamp name, the attributes that matter; None: any change)]
_watched: dict[str, list[tuple[str, frozenset[str] | None]]] = {}


class ChangeStamp(db.Model):
    __tablename__ = "change_stamp"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


def current_stamp(name: str) -> str | None:
    """The stamp as this transaction sees it; None before the first change."""
    return db.session.scalar(select(ChangeStamp.stamp).where(ChangeStamp.name == name))


def renew_stamp(name: str) -> None:
    """Mark the data called `name` as changed (commits or rolls back with the caller's change)."""
    _renew(db.session(), name)


def renew_on_change(name: str, tables: dict[str, Iterable[str] | None]) -> None:
    """Renew stamp `name` with every transaction that writes to these tables.

    `tables` maps a table name to the attributes that matter (None: all); an ORM change to
    other attributes only (a user's last sign-in, say) leaves the stamp alone.
    """
    for table, attributes in tables.items():
        watch = (name, None if attributes is None else frozenset(attributes))
        _watched.setdefault(table, []).append(watch)


def has_pending_changes(name: str) -> bool:
    """Whether this transaction has written data stamped `name`: then read it fresh, not cached."""
    session = db.session()
    _note_objects(session)
    return name in session.info.get(_PENDING, ())


def _renew(session: Session, name: str) -> None:
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


def _note(session: Session, table: str, changed: set[str] | None = None) -> None:
    for name, attributes in _watched[table]:
        if attributes is None or changed is None or attributes & changed:
            session.info.setdefault(_PENDING, set()).add(name)


def _note_objects(session: Session) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        table = getattr(getattr(obj, "__table__", None), "name", None)
        if table not in _watched:
            continue
        state = inspect(obj)
        if state.pending or obj in session.deleted:
            _note(session, table)
            continue
        changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
        if changed:
            _note(session, table, changed)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    _note_objects(session)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if table is not None and table.name in _watched:
            _note(state.session, table.name)


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
