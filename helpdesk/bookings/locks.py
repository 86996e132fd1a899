"""The mentor lock: the rules that read a mentor's other sessions hold under concurrent writes.

The weekly cap and the buffer are read-then-write rules: no constraint can express them, so on
PostgreSQL's READ COMMITTED two transactions could each count the same sessions and both insert.
Every transaction that puts a session on a mentor's timetable (request, reschedule, reassign)
locks the mentor's row first and reads the timetable after, so it sees every session committed
by the transactions that held the lock before it. On SQLite the clause is dropped: there every
write transaction starts with BEGIN IMMEDIATE (helpdesk.db.harden_sqlite), which serializes them.
"""

from helpdesk.accounts.models import User
from helpdesk.extensions import db


def lock_mentors(*mentor_ids: int) -> None:
    """Hold these mentors' rows until the transaction ends; call before reading their sessions.

    Rows are locked in ascending id order (LockRows runs above the sort), so two transactions
    that each need two mentors queue instead of deadlocking. FOR NO KEY UPDATE conflicts with
    itself but not with the key-share locks foreign keys take: rows that merely point at the
    mentor (a help request, a history step) are still written without waiting.
    """
    db.session.execute(
        db.select(User.id)
        .where(User.id.in_(sorted(set(mentor_ids))))
        .order_by(User.id)
        .with_for_update(key_share=True)
    ).all()
