"""The kinds of record kept about a person: each names the tables it exports. Tests compare them
with the metadata, so a new table that points at a person fails until it is exported (a kind
here, gathered in collect.py) or listed in NOT_EXPORTED with the reason."""

from dataclasses import dataclass, field

from helpdesk.accounts.models import User
from helpdesk.workshops.records import COLUMNS as WORKSHOP_COLUMNS

NOT_EXPORTED = {
    "search_document": "the tip search index: rebuilt from published tips, holds nothing more",
    "search_posting": "the tip search index: rebuilt from published tips, holds nothing more",
    "two_step_secret": "the authenticator key, encrypted: a secret, not something to read",
    "recovery_code": "one-way hashes of recovery codes: nothing a person could read",
    "two_step_event": "sign-in security events (set up, reset, recovery code used): the operator's",
    "concern": "safeguarding records, held by the advisor and the safeguarding contact, who "
    "answer a request for them themselves (a concern may be about someone else's child too)",
    "concern_event": "a concern's history: see concern",
    "concern_settings": "which staff member is the safeguarding contact",
    "hidden_recognition": "the advisor's marks of what the recognition page leaves out: no text, "
    "and what it hides (sessions, hours, tips, kudos) is exported with its own kind",
    "survey": "a term's survey: when the advisor opened and closed it",
    "survey_response": "end-of-term survey answers: anonymous in every report unless the person "
    "allowed a quote; kept apart from the person's record so they stay anonymous",
    "booking_series": "a weekly series' pattern (weekday or period, first and last date) and no "
    "text: each of its dates is a session, exported with the person's sessions",
}


@dataclass
class Section:
    key: str  # the CSV's file name and the JSON key
    title: str
    tables: tuple[str, ...]
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)

    def as_dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class ScreenshotFile:
    id: int
    request_id: int
    content_type: str

    @property
    def file_name(self) -> str:
        extension = "png" if self.content_type == "image/png" else "jpg"
        return f"screenshots/request-{self.request_id}-screenshot-{self.id}.{extension}"


@dataclass
class PersonRecord:
    person: User
    sections: list[Section]
    screenshots: list[ScreenshotFile]
    hours: float
    sessions_completed: int
    kudos: int

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


KINDS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("profile", "Account", ("user_account",),
     "id full_name email role school grade active has_password has_calendar_link created_at "
     "last_login_at"),
    ("mentor_profile", "Mentor profile", ("mentor_profile",),
     "bio story weekly_cap offers_online offers_in_person"),
    ("skills", "Skills", ("mentor_skill",), "skill level"),
    ("availability", "Availability", ("availability_window",),
     "id period start_time end_time weekdays day_type on"),
    ("time_off", "Time off", ("time_off",), "id starts_on ends_on note"),
    ("sessions", "Sessions", ("booking",),
     "id role mentor teacher skill starts_at ends_at minutes status topic learning_goal format "
     "room meeting_url notes created_at"),
    ("session_history", "Session history", ("booking_event",),
     "session_id at by from_status to_status reason"),
    ("session_notes", "Session notes", ("session_report",),
     "session_id author covered steps links created_at"),
    ("reflections", "Reflections", ("reflection",),
     "session_id side author learned view_change classroom_use rating went_well try_next kudos "
     "created_at"),
    ("workshops", "Workshops", ("workshop", "workshop_host", "workshop_seat"), WORKSHOP_COLUMNS),
    ("kudos", "Kudos", (), "session_id from kudos created_at"),
    ("free_periods", "Free periods", ("teacher_free_period",), "period day"),
    ("pairings", "Pairings", ("pairing", "pairing_goal"),
     "id role mentor teacher skill status focus starts_on ends_on decline_reason goals "
     "created_at closed_at"),
    ("pairing_progress", "Pairing goal progress", ("pairing_goal_update",),
     "pairing_id goal at by status note"),
    ("pairing_reflections", "Closing reflections", ("pairing_reflection",),
     "pairing_id side about_program view_change future_use learned applied created_at"),
    ("hours", "Hours", (), "session_id starts_at minutes hours"),
    ("hours_ledger", "Hours ledger", ("hours_entry",),
     "id kind title description occurred_on minutes_claimed status verified_minutes verified_by "
     "verified_at reason created_at"),
    ("hours_ledger_history", "Hours ledger history", ("hours_event",),
     "entry_id at by from_status to_status from_minutes to_minutes reason"),
    ("certificates", "Hours certificates", ("hours_certificate",),
     "id kind code hours issued_at revoked_at revoke_reason activities"),
    ("tips", "Tips", ("tip", "tip_skill"),
     "id role title status skills body review_comment views helpful created_at published_at"),
    ("tip_history", "Tip history", ("tip_event",), "tip_id at by from_status to_status comment"),
    ("tip_votes", "Tips marked helpful", ("tip_vote",), "tip_id created_at"),
    ("help_requests", "Help requests", ("help_request",),
     "id role requester mentor skill status summary details device urgency room around "
     "created_at claimed_at resolved_at escalated_at"),
    ("help_request_messages", "Help-request messages", ("request_message",),
     "request_id author body created_at"),
    ("help_request_history", "Help-request history", ("request_event",),
     "request_id at by from_status to_status reason"),
    ("screenshots", "Screenshots", ("request_screenshot",),
     "id request_id file content_type width height created_at"),
    ("desk_notices", "Help-desk email notices", ("desk_pending_notice", "desk_mail_throttle"),
     "request_id noticed_at emailed_at"),
    ("notifications", "Notifications", ("notification",), "message link created_at read_at"),
    ("email", "Email sent to them", ("outbox_message",), "subject body status created_at sent_at"),
    ("access_log", "Access log", ("access_log_entry",),
     "at actor_id action subject_id detail ip_address"),
)  # fmt: skip


def empty_sections() -> list[Section]:
    return [
        Section(key, title, tables, tuple(columns.split())) for key, title, tables, columns in KINDS
    ]


def tables_exported() -> set[str]:
    return {table for section in empty_sections() for table in section.tables}


# key (file name), title, the tables it exports, its columns
