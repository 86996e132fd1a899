import enum
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.clock import utcnow
from helpdesk.db import UTCDateTime
from helpdesk.extensions import db

DETAIL_MAX = 200


class AccessAction(enum.StrEnum):
    """What was done. Stored as its value; new actions are added here, never renamed."""

    RECORD_VIEWED = "record.viewed"
    RECORD_EXPORTED = "record.exported"
    PROFILE_VIEWED = "profile.viewed"
    CONTACTS_LISTED = "contacts.listed"
    SESSION_VIEWED = "session.viewed"
    REQUEST_VIEWED = "request.viewed"
    ROLE_CHANGED = "role.changed"
    DEACTIVATED = "person.deactivated"
    REACTIVATED = "person.reactivated"
    ANONYMIZED = "person.anonymized"
    INVITED = "person.invited"
    INVITATION_RESENT = "invitation.resent"
    PEOPLE_IMPORTED = "people.imported"
    REPORT_VIEWED = "report.viewed"
    LOG_EXPORTED = "log.exported"
    LOG_PURGED = "log.purged"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    AccessAction.RECORD_VIEWED: "Opened the person's record",
    AccessAction.RECORD_EXPORTED: "Downloaded the person's whole record",
    AccessAction.PROFILE_VIEWED: "Opened the mentor's profile",
    AccessAction.CONTACTS_LISTED: "Listed people with their email addresses",
    AccessAction.SESSION_VIEWED: "Opened a session with the student",
    AccessAction.REQUEST_VIEWED: "Opened a help request with the student",
    AccessAction.ROLE_CHANGED: "Changed the person's role",
    AccessAction.DEACTIVATED: "Deactivated the person",
    AccessAction.REACTIVATED: "Reactivated the person",
    AccessAction.ANONYMIZED: "Anonymized the person",
    AccessAction.INVITED: "Invited the person",
    AccessAction.INVITATION_RESENT: "Sent a new invitation",
    AccessAction.PEOPLE_IMPORTED: "Imported people from a CSV",
    AccessAction.REPORT_VIEWED: "Opened a report",
    AccessAction.LOG_EXPORTED: "Downloaded the access log",
    AccessAction.LOG_PURGED: "Removed entries past the retention period",
}


class AccessLogEntry(db.Model):
    """One access, append-only: the app has no update or delete path, and the database refuses
    both (triggers in the migration) except the retention purge.

    People are kept as plain ids, not foreign keys: the log outlives the accounts it names, and
    `detail` holds ids and counts only, never names or email addresses.
    """

    __tablename__ = "access_log_entry"
    __table_args__ = (
        Index("ix_access_log_entry_subject_at", "subject_id", "at"),
        Index("ix_access_log_entry_actor_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None]  # None: a command run by the operator (cron)
    action: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]  # the person the entry is about, when there is one
    detail: Mapped[str] = mapped_column(String(DETAIL_MAX), default="")
    ip_address: Mapped[str] = mapped_column(String(45), default="")

    @property
    def action_label(self) -> str:
        try:
            return AccessAction(self.action).label
        except ValueError:  # an action a later version wrote
            return self.action


class AccessLogPurgePermit(db.Model):
    """Present only inside the purge's own transaction: the triggers let rows be deleted while a
    permit row exists, and no other transaction ever sees an uncommitted one."""

    __tablename__ = "access_log_purge_permit"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
