"""The recognition page's read model: student mentors' milestones and the thanks teachers chose
to share, for the mentors who opted in, in a fixed handful of queries whatever their number.

Milestones: the first completed session, the tenth, 25 verified hours of service (service_hours,
the one place hours come from), and the most helpful tip of the term: the published tip by a student
mentor with the most "helpful" votes cast since the current term began (ties: the one
published first), shown only if its author opted in. Mentors appear as first name and last
initial only, in the text of shared thanks too.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.extensions import db
from helpdesk.hours.lists import service_minutes_counted
from helpdesk.hours.services import hours_settings
from helpdesk.mentors.models import MentorProfile
from helpdesk.recognition.models import HiddenRecognition
from helpdesk.reflections.models import Reflection
from helpdesk.safeguarding.names import Person, remove_names
from helpdesk.schools.models import School
from helpdesk.tips.models import Tip, TipStatus, TipVote

FIRST_SESSION = "first-session"
TEN_SESSIONS = "ten-sessions"
SERVICE_HOURS = "25-hours"
TOP_TIP = "top-tip"
MILESTONES = (FIRST_SESSION, TEN_SESSIONS, SERVICE_HOURS, TOP_TIP)
THANKS = "thanks:"  # + the reflection's id
HOURS_GOAL = 25
SESSIONS_GOAL = 10
NO_TERM_DAYS = 120  # "this term" before any school has a term
THANKS_SHOWN = 30
OWN_THANKS_SHOWN = 20


def service_hours(mentor_ids: list[int]) -> dict[int, float]:
    """Each mentor's verified service-learning hours from the hours ledger (what the advisor
    approved, of the kinds the settings count): the one place the recognition page reads hours."""
    minutes = service_minutes_counted(mentor_ids, hours_settings())
    return {mentor_id: round(m / 60, 1) for mentor_id, m in minutes.items()}


def thanks_item(reflection_id: int) -> str:
    return f"{THANKS}{reflection_id}"


@dataclass(frozen=True)
class Milestone:
    key: str
    title: str
    detail: str
    at: datetime | None  # when it was reached, where that is one moment
    is_hidden: bool = False
    tip_id: int | None = None


@dataclass
class MentorCard:
    mentor_id: int
    name: str  # "Maya C."
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def visible(self) -> list[Milestone]:
        return [m for m in self.milestones if not m.is_hidden]


@dataclass(frozen=True)
class SharedThanks:
    reflection_id: int
    mentor_id: int
    mentor_name: str
    text: str  # with every student mentor's last name cut to its initial
    teacher_name: str
    at: datetime
    is_hidden: bool = False

    @property
    def item(self) -> str:
        return thanks_item(self.reflection_id)


@dataclass(frozen=True)
class OwnThanks:
    """A kudos the signed-in teacher wrote, which they may share or stop sharing."""

    reflection_id: int
    text: str
    mentor_name: str
    is_shared: bool
    mentor_appears: bool
    at: datetime


@dataclass
class RecognitionPage:
    cards: list[MentorCard]
    thanks: list[SharedThanks]
    own_thanks: list[OwnThanks]
    viewer_appears: bool  # a mentor: whether they opted in
    shows_hidden: bool  # the advisor sees hidden items, marked

    @property
    def has_anything(self) -> bool:
        return bool(self.cards or self.thanks)


def short_name(full_name: str) -> str:
    """First name and last initial, as User.display_name shows a mentor."""
    return User.display_name.fget(_Named(full_name, Role.MENTOR))


@dataclass(frozen=True)
class _Named:
    full_name: str
    role: Role


def recognition_page(viewer: User, now: datetime) -> RecognitionPage:
    """What `viewer` sees: hidden items only for the advisor, their own kudos for a teacher."""
    shows_hidden = viewer.role is Role.ADVISOR
    mentors = dict(
        db.session.execute(
            db.select(User.id, User.full_name)
            .join(MentorProfile, MentorProfile.user_id == User.id)
            .where(
                MentorProfile.is_recognition_public,
                User.role == Role.MENTOR,
                User.is_active,
                User.anonymized_at.is_(None),
            )
        ).all()
    )
    hidden = _hidden(list(mentors)) if mentors else set()
    cards = _cards(mentors, hidden, now) if mentors else []
    if not shows_hidden:
        cards = [c for c in cards if c.visible]
        for card in cards:
            card.milestones = card.visible
    thanks = _shared_thanks(mentors, hidden) if mentors else []
    if not shows_hidden:
        thanks = [t for t in thanks if not t.is_hidden]
    own = _own_thanks(viewer, mentors) if viewer.role is Role.TEACHER else []
    if own:
        cut = _last_names_cut()
        own = [replace(o, text=cut(o.text)) for o in own]
    return RecognitionPage(cards, thanks, own, viewer.id in mentors, shows_hidden)


def _hidden(mentor_ids: list[int]) -> set[tuple[int, str]]:
    return set(
        db.session.execute(
            db.select(HiddenRecognition.mentor_id, HiddenRecognition.item).where(
                HiddenRecognition.mentor_id.in_(mentor_ids)
            )
        ).all()
    )


def _cards(mentors: dict[int, str], hidden: set, now: datetime) -> list[MentorCard]:
    ids = list(mentors)
    found: dict[int, list[Milestone]] = defaultdict(list)

    def add(mentor_id: int, key: str, title: str, detail: str, at=None, tip_id=None) -> None:
        is_hidden = (mentor_id, key) in hidden
        found[mentor_id].append(Milestone(key, title, detail, at, is_hidden, tip_id))

    completed = Booking.status == BookingStatus.COMPLETED
    ranked = (
        db.select(
            Booking.mentor_id,
            Booking.starts_at,
            db.func.row_number()
            .over(partition_by=Booking.mentor_id, order_by=(Booking.starts_at, Booking.id))
            .label("n"),
        )
        .where(Booking.mentor_id.in_(ids), completed)
        .subquery()
    )
    for mentor_id, starts_at, n in db.session.execute(
        db.select(ranked.c.mentor_id, ranked.c.starts_at, ranked.c.n).where(
            ranked.c.n.in_((1, SESSIONS_GOAL))
        )
    ):
        if n == 1:
            add(
                mentor_id,
                FIRST_SESSION,
                "First session",
                "Helped a teacher for the first time",
                starts_at,
            )
        else:
            add(mentor_id, TEN_SESSIONS, "10 sessions", "Ten sessions with teachers", starts_at)
    for mentor_id, hours in service_hours(ids).items():
        if hours >= HOURS_GOAL:
            add(mentor_id, SERVICE_HOURS, "25 hours of service", f"{hours:g} hours so far")
    top = _top_tip(now)
    if top is not None and top[2] in mentors:
        tip_id, title, author_id, votes = top
        detail = f"“{title}”: the most helpful tip this term"
        add(author_id, TOP_TIP, "Most helpful tip", detail, tip_id=tip_id)
    # The newest milestone first; within a card, in the order they are reached.
    order = {key: i for i, key in enumerate(MILESTONES)}
    cards = [
        MentorCard(
            mentor_id, short_name(mentors[mentor_id]), sorted(items, key=lambda m: order[m.key])
        )
        for mentor_id, items in found.items()
    ]
    return sorted(cards, key=lambda c: (c.name.lower(), c.mentor_id))


def term_began(now: datetime) -> datetime:
    """When "this term" began: the latest term start already reached among the district's
    schools, at midnight there; without one, NO_TERM_DAYS ago."""
    row = db.session.execute(
        db.select(School.term_starts_on, School.timezone)
        .where(School.term_starts_on <= now.date())
        .order_by(School.term_starts_on.desc())
        .limit(1)
    ).first()
    if row is None:
        return now - timedelta(days=NO_TERM_DAYS)
    return datetime.combine(row.term_starts_on, time.min, ZoneInfo(row.timezone))


def _top_tip(now: datetime) -> tuple[int, str, int, int] | None:
    votes = db.func.count(TipVote.id)
    row = db.session.execute(
        db.select(Tip.id, Tip.title, Tip.author_id, votes)
        .join(TipVote, TipVote.tip_id == Tip.id)
        .join(User, User.id == Tip.author_id)
        .where(
            Tip.status == TipStatus.PUBLISHED,
            User.role == Role.MENTOR,
            TipVote.created_at >= term_began(now),
        )
        .group_by(Tip.id, Tip.title, Tip.author_id, Tip.published_at)
        .order_by(votes.desc(), Tip.published_at, Tip.id)
        .limit(1)
    ).first()
    return tuple(row) if row is not None else None


def _shared_thanks(mentors: dict[int, str], hidden: set) -> list[SharedThanks]:
    rows = db.session.execute(
        db.select(
            Reflection.id,
            Reflection.kudos,
            Reflection.created_at,
            Booking.mentor_id,
            User.full_name,
        )
        .join(Booking, Booking.id == Reflection.booking_id)
        .join(User, User.id == Reflection.author_id)
        .where(
            Reflection.is_kudos_shared,
            Reflection.kudos != "",
            Booking.mentor_id.in_(list(mentors)),
        )
        .order_by(Reflection.created_at.desc(), Reflection.id.desc())
        .limit(THANKS_SHOWN)
    ).all()
    if not rows:
        return []
    scrub = _last_names_cut()
    return [
        SharedThanks(
            reflection_id,
            mentor_id,
            short_name(mentors[mentor_id]),
            scrub(kudos),
            teacher_name,
            created_at,
            (mentor_id, thanks_item(reflection_id)) in hidden,
        )
        for reflection_id, kudos, created_at, mentor_id, teacher_name in rows
    ]


def _last_names_cut():
    """A function that cuts every student mentor's last name in a text to its initial
    ("Maya Chen" → "Maya C."): a teacher may name any student in a thank-you."""
    last_names: dict[str, str] = {}
    for (full_name,) in db.session.execute(
        db.select(User.full_name).where(User.role == Role.MENTOR, User.anonymized_at.is_(None))
    ):
        parts = full_name.split()
        if len(parts) > 1:
            last = " ".join(parts[1:])
            last_names[last] = f"{parts[-1][0]}."

    def cut(text: str) -> str:
        lowered = text.lower()
        present = [
            Person(last, initial)
            for last, initial in last_names.items()
            if any(part.lower() in lowered for part in last.split())
        ]
        return remove_names(text, present) if present else text

    return cut


def _own_thanks(teacher: User, mentors: dict[int, str]) -> list[OwnThanks]:
    rows = db.session.execute(
        db.select(
            Reflection.id,
            Reflection.kudos,
            Reflection.is_kudos_shared,
            Reflection.created_at,
            Booking.mentor_id,
            User.full_name,
        )
        .join(Booking, Booking.id == Reflection.booking_id)
        .join(User, User.id == Booking.mentor_id)
        .where(Reflection.author_id == teacher.id, Reflection.kudos != "")
        .order_by(Reflection.created_at.desc(), Reflection.id.desc())
        .limit(OWN_THANKS_SHOWN)
    ).all()
    return [
        OwnThanks(rid, kudos, short_name(name), shared, mentor_id in mentors, at)
        for rid, kudos, shared, at, mentor_id, name in rows
    ]
