"""Keeps Alembic's autogenerate (and `flask db check`) from dropping the hand-written search indexes.

The index is not in the models because each database spells it differently: an FTS5 table and
its shadow tables on SQLite, a generated tsvector column with a GIN index on PostgreSQL. Without
this hook, autogenerate would see them as leftovers and write ops that drop them. Registered
through Alembic's documented third-party comparator registry, after its own comparisons.
"""

from alembic.autogenerate import comparators
from alembic.operations import ops
from alembic.util import DispatchPriority, PriorityDispatchResult

SEARCH_TABLE_PREFIXES = ("tip_fts", "search_word_fts")
SEARCH_COLUMN = ("tip", "search_vector")
SEARCH_INDEXES = ("ix_tip_search_vector", "ix_search_word_trgm")


def _is_search_index_op(op) -> bool:
    if isinstance(op, ops.DropTableOp):
        return op.table_name.startswith(SEARCH_TABLE_PREFIXES)
    if isinstance(op, ops.DropColumnOp):
        return (op.table_name, op.column_name) == SEARCH_COLUMN
    if isinstance(op, ops.DropIndexOp):
        return op.index_name in SEARCH_INDEXES
    return False


def _prune(container) -> None:
    kept = []
    for op in container.ops:
        if isinstance(op, ops.ModifyTableOps):
            _prune(op)
            if not op.ops:
                continue
        elif _is_search_index_op(op):
            continue
        kept.append(op)
    container.ops[:] = kept


@comparators.dispatch_for("schema", priority=DispatchPriority.LAST)
def _keep_search_index(_autogen_context, upgrade_ops, _schemas):
    _prune(upgrade_ops)
    return PriorityDispatchResult.CONTINUE
