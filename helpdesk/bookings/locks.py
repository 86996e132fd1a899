"""The people lock: the rules that read someone's other sessions hold under concurrent writes.

The mentor's weekly cap and buffer are read-then-write rules that no constraint expresses: on
PostgreSQL's READ COMMITTED two transactions could each count the same sessions and both insert.
So every transaction that puts a session on someone's timetable (request, reschedule, reassign)
first locks the rows of the people whose time it takes, and reads their sessions after: as
READ COMMITTED gives each statement a fresh snapshot, it then sees every session committed by
the transactions that held the lock before it (REPEATABLE READ would not). On SQLite the
clause is dropped: there every write transaction starts with BEGIN IMMEDIATE
(helpdesk.db.harden_sqlite), which serializes them.
"""

from helpdesk.accounts.models import User
from helpdesk.extensions import db


def lock_people(*user_ids: int) -> None:
    """Hold these users' rows until the transaction ends; call before reading their sessions.

    Rows are locked in ascending id order (LockRows runs above the sort), so two transactions
    that need some of the same people queue instead of deadlocking. FOR NO KEY UPDATE conflicts
    with itself but not with the key-share locks foreign keys take: rows that merely point at
    the user (a help request, a history step) are still written without waiting.
    """
    db.session.execute(
        db.select(User.id)
        .where(User.id.in_(sorted(set(user_ids))))
        .order_by(User.id)
        .with_for_update(key_share=True)
    ).all()
