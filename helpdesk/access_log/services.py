"""Writing the access log and purging it after the retention period."""

from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select

from helpdesk.access_log.models import (
    DETAIL_MAX,
    AccessAction,
    AccessLogEntry,
    AccessLogPurgePermit,
)
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.formatting import plural

PURGE_PERMIT_ID = 1


def record_access(
    action: AccessAction,
    *,
    actor_id: int | None,
    subject_id: int | None = None,
    detail: str = "",
    ip_address: str = "",
    at: datetime | None = None,
) -> AccessLogEntry:
    """Add one entry to the current transaction: it is kept only if the work it records commits.

    `detail` is for ids and counts, never names: it is cut to fit and made one line.
    """
    entry = AccessLogEntry(
        at=at or utcnow(),
        actor_id=actor_id,
        action=AccessAction(action).value,
        subject_id=subject_id,
        detail=" ".join(detail.split())[:DETAIL_MAX],
        ip_address=(ip_address or "")[:45],
    )
    db.session.add(entry)
    return entry


def record_role_change(
    person_id: int, *, actor_id: int | None, old: str, new: str, ip_address: str = ""
) -> AccessLogEntry:
    """For any feature that changes someone's role: one entry, in the change's transaction."""
    return record_access(
        AccessAction.ROLE_CHANGED,
        actor_id=actor_id,
        subject_id=person_id,
        detail=f"{old} to {new}",
        ip_address=ip_address,
    )


def record_status_change(
    person_id: int, action: AccessAction, *, actor_id: int | None, ip_address: str = ""
) -> AccessLogEntry:
    """Deactivated, reactivated or anonymized: one entry, in the change's transaction."""
    if action not in (AccessAction.DEACTIVATED, AccessAction.REACTIVATED, AccessAction.ANONYMIZED):
        raise ValueError(f"{action} is not a status change")
    return record_access(action, actor_id=actor_id, subject_id=person_id, ip_address=ip_address)


def retention_words(days: int) -> str:
    """ "3 years" for 1096 days (leap days are not worth a mention), else "90 days"."""
    years, rest = divmod(days, 365)
    if years and rest <= years // 4 + 1:
        return plural(years, "year")
    return plural(days, "day")


def retention_cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def purge_expired(now: datetime, days: int) -> int:
    """Delete entries older than `days` and note the purge itself; safe to run again (the second
    run finds nothing and writes nothing). The caller commits."""
    if days < 1:
        raise ValueError("the retention period must be at least one day")
    cutoff = retention_cutoff(now, days)
    expired = db.session.scalar(
        select(func.count()).select_from(AccessLogEntry).where(AccessLogEntry.at < cutoff)
    )
    if not expired:
        return 0
    db.session.execute(insert(AccessLogPurgePermit).values(id=PURGE_PERMIT_ID))
    removed = db.session.execute(delete(AccessLogEntry).where(AccessLogEntry.at < cutoff)).rowcount
    db.session.execute(
        delete(AccessLogPurgePermit).where(AccessLogPurgePermit.id == PURGE_PERMIT_ID)
    )
    record_access(
        AccessAction.LOG_PURGED,
        actor_id=None,
        detail=f"{removed} entries older than {days} days",
        at=now,
    )
    return removed
