"""Imports every feature's models so the metadata (and Alembic) sees all tables."""

from helpdesk.access_log.models import AccessLogEntry, AccessLogPurgePermit
from helpdesk.accounts.models import RecoveryCode, Role, TwoStepEvent, TwoStepSecret, User
from helpdesk.accounts.throttle import ThrottleEvent
from helpdesk.availability.models import AvailabilityWindow, ProgramSettings, TimeOff
from helpdesk.bookings.models import Booking, BookingEvent
from helpdesk.calendar.models import BellSchedule, Closure, DayException, DayType, Period
from helpdesk.concerns.models import Concern, ConcernEvent, ConcernSettings
from helpdesk.dashboard.models import Term
from helpdesk.demo_records import DemoRecord
from helpdesk.hours import receivers  # noqa: F401  (the ledger listens to sessions and requests)
from helpdesk.hours.models import Certificate, HoursEntry, HoursEvent, HoursSettings
from helpdesk.mail.models import OutboxMessage
from helpdesk.mentors.models import MentorProfile, MentorSkill
from helpdesk.notifications.models import Notification
from helpdesk.pairings.models import (
    GoalUpdate,
    Pairing,
    PairingGoal,
    PairingReflection,
    TeacherFreePeriod,
)
from helpdesk.recognition.models import HiddenRecognition
from helpdesk.reflections.models import Reflection, SessionReport
from helpdesk.requests.models import (
    DeskMailThrottle,
    DeskPendingNotice,
    DeskSettings,
    HelpRequest,
    RequestEvent,
    RequestMessage,
    RequestScreenshot,
)
from helpdesk.safeguarding.models import SafeguardingSettings
from helpdesk.schools.models import School
from helpdesk.series.models import BookingSeries
from helpdesk.skills.models import Skill
from helpdesk.stamps import ChangeStamp
from helpdesk.surveys.models import Survey, SurveyResponse
from helpdesk.tips import index  # noqa: F401  (keeps the search index in step with tips)
from helpdesk.tips.index_models import (
    SearchDocument,
    SearchPosting,
    SearchStats,
    SearchTerm,
    SearchWord,
    SynonymGroup,
)
from helpdesk.tips.models import Tip, TipEvent, TipVote, tip_skill
from helpdesk.workshops.models import Workshop, WorkshopHost, WorkshopSeat

__all__ = [
    "AccessLogEntry",
    "AccessLogPurgePermit",
    "AvailabilityWindow",
    "BellSchedule",
    "Booking",
    "BookingEvent",
    "BookingSeries",
    "ChangeStamp",
    "Closure",
    "Concern",
    "ConcernEvent",
    "ConcernSettings",
    "DayException",
    "DayType",
    "DemoRecord",
    "DeskMailThrottle",
    "DeskPendingNotice",
    "DeskSettings",
    "Certificate",
    "HelpRequest",
    "HiddenRecognition",
    "HoursEntry",
    "HoursEvent",
    "HoursSettings",
    "MentorProfile",
    "MentorSkill",
    "Notification",
    "GoalUpdate",
    "Pairing",
    "PairingGoal",
    "PairingReflection",
    "TeacherFreePeriod",
    "OutboxMessage",
    "Period",
    "RecoveryCode",
    "Reflection",
    "ProgramSettings",
    "RequestEvent",
    "RequestMessage",
    "RequestScreenshot",
    "SafeguardingSettings",
    "Role",
    "School",
    "SearchDocument",
    "SearchPosting",
    "SearchStats",
    "SearchTerm",
    "SearchWord",
    "SessionReport",
    "Skill",
    "Survey",
    "SurveyResponse",
    "SynonymGroup",
    "ThrottleEvent",
    "Term",
    "TimeOff",
    "Tip",
    "TipEvent",
    "TipVote",
    "TwoStepEvent",
    "TwoStepSecret",
    "User",
    "Workshop",
    "WorkshopHost",
    "WorkshopSeat",
    "tip_skill",
]
