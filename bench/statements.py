"""Counting the SQL statements a request sends (transaction bookkeeping left out)."""

from sqlalchemy import event

BOOKKEEPING = ("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")


class StatementCounter:
    """Listens on an engine while attached; `count` since the last `reset()`."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.count = 0

    def _seen(self, _connection, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(BOOKKEEPING):
            self.count += 1

    def reset(self) -> None:
        self.count = 0

    def attach(self) -> "StatementCounter":
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def detach(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)
