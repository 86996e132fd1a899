"""Weekly series: plan the dates (with why each cannot be booked), book them, approve, cancel.

Each date becomes an ordinary session (Booking, with series_id), inserted the way
helpdesk.bookings.commands.request_booking inserts one: under the people lock, in a savepoint of
its own, so the database's overlap guard holds for every date and one date taken meanwhile
leaves the others booked. The program's booking horizon (weeks ahead for a one-off session)
does not bound a series: the term's end and MAX_OCCURRENCES do.
"""

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role, User
from helpdesk.availability.services import booking_rules, program_settings
from helpdesk.availability.slots import Busy, bookable_slots, day_begins
from helpdesk.bookings.commands import JUST_TAKEN, is_first_pairing, is_overlap
from helpdesk.bookings.lifecycle import BookingError, record, transition
from helpdesk.bookings.locks import lock_people
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingFormat, BookingStatus
from helpdesk.calendar.models import Closure
from helpdesk.calendar.services import load_calendars
from helpdesk.extensions import db

# The finder's loaders read a mentor's windows, time off and sessions in one query each; they
# are the same rows the slot engine gets for a one-off booking (private there, shared here).
from helpdesk.finder.services import _busy_by_mentor, _time_off_by_mentor, _windows_by_mentor
from helpdesk.formatting import plural
from helpdesk.idempotent import earlier_submission, insert_once
from helpdesk.mentors.models import MentorProfile, MentorSkill
from helpdesk.safeguarding.services import meeting_link_refusal
from helpdesk.series import notices
from helpdesk.series.expansion import Expansion, Occurrence, Pattern, expand
from helpdesk.series.models import BookingSeries, SeriesKind
from helpdesk.skills.models import Skill

ACTIVE = (BookingStatus.REQUESTED, BookingStatus.APPROVED)


class SeriesError(BookingError):
    """A series that cannot be planned or booked; the message is safe to show."""


@dataclass(frozen=True)
class PlannedDate:
    occurrence: Occurrence
    problem: str = ""

    @property
    def is_bookable(self) -> bool:
        return not self.problem

    @property
    def on(self) -> date:
        return self.occurrence.on

    @property
    def start_at(self) -> datetime | None:
        return self.occurrence.start_at


@dataclass(frozen=True)
class Plan:
    dates: list[PlannedDate]
    expansion: Expansion
    timezone: str

    @property
    def bookable(self) -> list[PlannedDate]:
        return [d for d in self.dates if d.is_bookable]

    @property
    def refused(self) -> list[PlannedDate]:
        return [d for d in self.dates if not d.is_bookable]


@dataclass
class SeriesRequest:
    teacher_id: int
    mentor_id: int
    skill_id: int
    pattern: Pattern
    topic: str
    learning_goal: str
    format: BookingFormat
    room: str = ""
    meeting_url: str = ""
    notes: str = ""
    request_key: str | None = None
    agrees_to_norms: bool = False


@dataclass
class Outcome:
    series: BookingSeries
    booked: list[Booking] = field(default_factory=list)
    failed: list[tuple[PlannedDate, str]] = field(default_factory=list)
    repeated: bool = False  # the same form again: nothing new was booked


def parties(teacher_id: int, mentor_id: int, skill_id: int) -> tuple[User, User, Skill]:
    """The teacher, the mentor and the topic, each checked: a series needs all three."""
    mentor = db.session.get(User, mentor_id)
    if mentor is None or mentor.role is not Role.MENTOR or not mentor.is_active:
        raise SeriesError("That mentor is not available.")
    teacher = db.session.get(User, teacher_id)
    if teacher is None or teacher.role is not Role.TEACHER or not teacher.is_active:
        raise SeriesError("Choose a teacher.")
    skill = db.session.get(Skill, skill_id)
    if skill is None:
        raise SeriesError("Choose a topic.")
    offers = db.session.scalar(
        db.select(
            db.exists().where(MentorSkill.mentor_id == mentor.id, MentorSkill.skill_id == skill.id)
        )
    )
    if not offers:
        raise SeriesError(f"{mentor.display_name} does not offer {skill.name}.")
    return teacher, mentor, skill


def calendar_of(mentor: User, pattern: Pattern) -> Expansion:
    """The series' dates on the school calendar alone (closures, rotation, early dismissals,
    term end), before anyone's availability is read."""
    return _on_calendar(mentor, pattern)[0]


def _on_calendar(mentor: User, pattern: Pattern):
    school = mentor.school
    if school.term_starts_on is None or school.term_ends_on is None:
        raise SeriesError("The school calendar has no term yet, so a series has no dates.")
    if pattern.starts_on > school.term_ends_on:
        raise SeriesError("The term has ended by then: a series must start before the term ends.")
    calendar = load_calendars([school])[school.id]
    first = max(pattern.starts_on, school.term_starts_on)
    closed = dict(
        db.session.execute(
            db.select(Closure.on, Closure.name).where(
                Closure.school_id == school.id, Closure.on.between(first, school.term_ends_on)
            )
        ).all()
    )
    days = calendar.days(first, school.term_ends_on)
    expansion = expand(
        pattern,
        days=days,
        closed=closed,
        term_start=school.term_starts_on,
        term_end=school.term_ends_on,
        tz=calendar.tz,
        shortened={on for on, o in calendar.overrides.items() if o.periods is not None},
    )
    return expansion, days, calendar.tz


def plan_series(teacher: User, mentor: User, pattern: Pattern, now: datetime) -> Plan:
    """Every date of the series on the mentor's school calendar, each with why it cannot be
    booked (closed, no such period, too soon, time off, either side busy, the mentor's weekly
    cap or buffer, outside their availability), in a fixed number of queries."""
    school = mentor.school
    settings = program_settings()
    if pattern.minutes not in settings.lengths:
        raise SeriesError("Choose one of the session lengths the program offers.")
    expansion, days, tz = _on_calendar(mentor, pattern)
    timed = [o for o in expansion.occurrences if o.start_at is not None]
    if not timed:
        return Plan(
            [PlannedDate(o, o.problem) for o in expansion.occurrences], expansion, school.timezone
        )
    checker = _Checker(teacher, mentor, booking_rules(settings, pattern.minutes, _own_cap(mentor)),
                       timed, days, tz, now)  # fmt: skip
    dates = []
    for occurrence in expansion.occurrences:
        if occurrence.start_at is None:
            dates.append(PlannedDate(occurrence, occurrence.problem))
        else:
            dates.append(PlannedDate(occurrence, checker.problem(occurrence)))
    return Plan(dates, expansion, school.timezone)


def _own_cap(mentor: User) -> int | None:
    return db.session.scalar(
        db.select(MentorProfile.weekly_cap).where(MentorProfile.user_id == mentor.id)
    )


class _Checker:
    """The slot engine's rules for each date, with the series' own earlier dates counted as
    busy (a weekly cap of 2 and an A/B rotation can give three A days in one week)."""

    def __init__(self, teacher, mentor, rules, timed, days, tz, now):
        self.teacher, self.mentor, self.days, self.tz, self.now = teacher, mentor, days, tz, now
        last = timed[-1].end_at
        # Finer starts than the finder's 15 minutes, so "3:20 PM" inside a window is a slot.
        self.rules = replace(
            rules, step_minutes=5, horizon=max(rules.horizon, last - now + timedelta(days=1))
        )
        lo_day, hi_day = timed[0].on, timed[-1].on
        since = day_begins(lo_day - timedelta(days=lo_day.weekday()), tz)
        until = day_begins(hi_day + timedelta(days=7 - hi_day.weekday()), tz)
        self.windows = _windows_by_mentor([mentor.id], lo_day, hi_day).get(mentor.id, [])
        self.time_off = _time_off_by_mentor([mentor.id], lo_day, hi_day).get(mentor.id, [])
        self.busy = _busy_by_mentor([mentor.id], since, until).get(mentor.id, [])
        self.teacher_busy = db.session.execute(
            db.select(Booking.starts_at, Booking.ends_at).where(
                Booking.teacher_id == teacher.id,
                Booking.status.in_(HOLDING_STATUSES),
                Booking.starts_at < last,
                Booking.ends_at > timed[0].start_at,
            )
        ).all()
        self.accepted: list[Busy] = []

    def problem(self, o: Occurrence) -> str:
        """Why this date cannot be booked, or "" (and it then counts as busy for the next)."""
        problem = self._problem(o)
        if not problem:
            self.accepted.append(Busy(o.start_at, o.end_at))
        return problem

    def _problem(self, o: Occurrence) -> str:
        name = self.mentor.display_name
        if o.start_at < self.now + self.rules.min_notice:
            hours = int(self.rules.min_notice.total_seconds() // 3600)
            return f"Too soon: sessions are booked at least {plural(hours, 'hour')} ahead"
        if any(first <= o.on <= final for first, final in self.time_off):
            return f"{name} is away (time off)"
        if any(s < o.end_at and e > o.start_at for s, e in self.teacher_busy):
            return f"{self.teacher.full_name} already has a session then"
        if any(b.start_at < o.end_at and b.end_at > o.start_at for b in self.busy):
            return f"{name} already has a session then"
        if self._is_slot(o, self.rules, [*self.busy, *self.accepted]):
            return ""
        if not self._is_slot(o, replace(self.rules, weekly_cap=None, buffer_minutes=0), []):
            return f"Outside {name}'s availability"
        cap = self.rules.weekly_cap
        monday = o.on - timedelta(days=o.on.weekday())
        begins, ends = day_begins(monday, self.tz), day_begins(monday + timedelta(days=7), self.tz)
        that_week = sum(1 for b in [*self.busy, *self.accepted] if begins <= b.start_at < ends)
        if cap is not None and that_week >= cap:
            return f"{name} is fully booked that week ({plural(cap, 'session')} a week at most)"
        return (
            f"{name} needs {plural(self.rules.buffer_minutes, 'minute')} between sessions, "
            "and has another one too close to that time"
        )

    def _is_slot(self, o: Occurrence, rules, busy) -> bool:
        slots = bookable_slots(
            windows=self.windows,
            school_days={o.on: self.days[o.on]},
            tz=self.tz,
            rules=rules,
            now=self.now,
            start=o.on,
            end=o.on,
            busy=busy,
            time_off=self.time_off,
        )
        return any(slot.start_at == o.start_at for slot in slots)


def _check_words(request: SeriesRequest) -> None:
    if not request.topic.strip():
        raise SeriesError("Say what the sessions are about.")
    if not request.learning_goal.strip():
        raise SeriesError("Every session needs a learning goal: what do you want to be able to do?")
    if request.format is BookingFormat.IN_PERSON and not request.room.strip():
        raise SeriesError("For in-person sessions, say which room.")
    if request.format is BookingFormat.ONLINE:
        problem = meeting_link_refusal(request.meeting_url)
        if problem:
            raise SeriesError(problem)


def book_series(
    actor: User,
    request: SeriesRequest,
    now: datetime,
    confirmed: Collection[datetime] | None = None,
) -> Outcome:
    """Book every bookable date (of those the person confirmed, if given) as a waiting session.

    Rules are read again under the people lock: a date taken since the preview is reported
    with its reason and the others are still booked. The same form sent twice returns the
    first series."""
    lock_people(request.mentor_id, request.teacher_id)
    earlier = earlier_submission(BookingSeries, request.request_key, "requested_by_id", actor.id)
    if earlier is not None:
        return Outcome(earlier, sessions_of(earlier), repeated=True)
    teacher, mentor, skill = parties(request.teacher_id, request.mentor_id, request.skill_id)
    _check_words(request)
    first_time = is_first_pairing(teacher, mentor)
    if first_time and not request.agrees_to_norms:
        raise SeriesError(
            "Before the first session with this mentor, please agree to the program norms."
        )
    plan = plan_series(teacher, mentor, request.pattern, now)
    wanted = [
        d
        for d in plan.dates
        if d.start_at is not None and (confirmed is None or d.start_at in confirmed)
    ]
    if not any(d.is_bookable for d in wanted):
        raise SeriesError(
            "None of these dates can be booked now: "
            + "; ".join(d.problem for d in wanted[:3] or plan.dates[:3])
            + "."
            if wanted or plan.dates
            else "That pattern gives no dates before the term ends."
        )
    pattern = request.pattern
    series = BookingSeries(
        teacher_id=teacher.id,
        mentor_id=mentor.id,
        requested_by_id=actor.id,
        skill_id=skill.id,
        kind=SeriesKind.PERIOD if pattern.period is not None else SeriesKind.WEEKDAY,
        day_type=pattern.day_type,
        period_name=pattern.period,
        weekday=pattern.weekday,
        local_start=pattern.at,
        minutes=pattern.minutes,
        # The pattern's whole span, skipped dates included, so the series page can name them.
        starts_on=plan.dates[0].on,
        ends_on=plan.dates[-1].on,
        request_key=request.request_key,
    )
    raced = insert_once(series, "requested_by_id")
    if raced is not None:
        return Outcome(raced, sessions_of(raced), repeated=True)
    outcome = Outcome(series)
    for planned in wanted:
        if not planned.is_bookable:
            outcome.failed.append((planned, planned.problem))
            continue
        booking = _new_session(series, teacher, mentor, request, planned.occurrence)
        if first_time and not outcome.booked:
            booking.norms_agreed_at = now
        try:
            with db.session.begin_nested():
                db.session.add(booking)
                db.session.flush()
        except IntegrityError as error:
            if not is_overlap(error):
                raise
            outcome.failed.append((planned, JUST_TAKEN))
            continue
        record(booking, actor, None, BookingStatus.REQUESTED, "Requested (weekly series)")
        outcome.booked.append(booking)
    if not outcome.booked:
        raise SeriesError("Every date was just taken; look at the dates again.")
    notices.requested(series, outcome.booked, actor)
    return outcome


def _new_session(series, teacher, mentor, request: SeriesRequest, occurrence) -> Booking:
    in_person = request.format is BookingFormat.IN_PERSON
    return Booking(
        mentor_id=mentor.id,
        teacher_id=teacher.id,
        skill_id=series.skill_id,
        series_id=series.id,
        starts_at=occurrence.start_at,
        ends_at=occurrence.end_at,
        status=BookingStatus.REQUESTED,
        topic=request.topic.strip()[:200],
        learning_goal=request.learning_goal.strip(),
        format=request.format,
        room=request.room.strip()[:80] if in_person else "",
        meeting_url="" if in_person else request.meeting_url.strip()[:500],
        notes=request.notes.strip(),
    )


def pattern_of(series: BookingSeries) -> Pattern:
    """The pattern a series was booked with, from its first to its last booked date."""
    return Pattern(
        minutes=series.minutes,
        starts_on=series.starts_on,
        until=series.ends_on,
        period=series.period_name,
        day_type=series.day_type,
        weekday=series.weekday,
        at=series.local_start,
    )


def skipped_dates(series: BookingSeries, sessions: list[Booking]) -> list[Occurrence]:
    """Dates of the pattern with no session: the school calendar's (a closure, no such period)
    as it is now, and dates that could not be booked when the series was requested."""
    zone = ZoneInfo(series.mentor.school.timezone)
    booked = {b.starts_at.astimezone(zone).date() for b in sessions}
    try:
        expansion = calendar_of(series.mentor, pattern_of(series))
    except SeriesError:
        return []
    return [o for o in expansion.occurrences if o.on not in booked]


def sessions_of(series: BookingSeries) -> list[Booking]:
    return list(
        db.session.scalars(
            db.select(Booking)
            .where(Booking.series_id == series.id)
            .order_by(Booking.starts_at, Booking.id)
        )
    )


def approve_series(series: BookingSeries, advisor: User) -> tuple[int, int]:
    """Approve every date still waiting, each by compare-and-swap; one notice for them all.
    Returns (approved, already decided)."""
    approved: list[Booking] = []
    skipped = 0
    for booking in sessions_of(series):
        if booking.status is not BookingStatus.REQUESTED:
            continue
        try:
            with db.session.begin_nested():
                transition(booking, BookingStatus.APPROVED, advisor, "Approved (weekly series)")
        except BookingError:
            skipped += 1
        else:
            approved.append(booking)
    if approved:
        notices.approved(series, approved)
    return len(approved), skipped


def decline_series(series: BookingSeries, actor: User, reason: str) -> int:
    """Decline every date still waiting, with one reason and one notice."""
    if not reason.strip():
        raise SeriesError("Give a reason, so the teacher knows what to do next.")
    declined = []
    for booking in sessions_of(series):
        if booking.status is BookingStatus.REQUESTED:
            try:
                with db.session.begin_nested():
                    transition(booking, BookingStatus.DECLINED, actor, reason)
            except BookingError:
                continue
            declined.append(booking)
    if not declined:
        raise SeriesError("No date of this series is waiting for approval.")
    notices.declined(series, declined, reason)
    return len(declined)


def can_cancel_rest(booking: Booking, user: User, now: datetime) -> bool:
    return booking.series_id is not None and booking.can_cancel(user, now)


def cancel_rest(booking: Booking, actor: User, reason: str, now: datetime) -> list[Booking]:
    """Cancel this date and every later one of its series that is still waiting or approved;
    each side is told once, with all the dates."""
    if not reason.strip():
        raise SeriesError("Give a reason for cancelling.")
    if not can_cancel_rest(booking, actor, now):
        raise SeriesError("This session can no longer be cancelled.")
    series = db.session.get(BookingSeries, booking.series_id)
    cancelled = []
    for later in sessions_of(series):
        if later.starts_at < booking.starts_at or later.starts_at <= now:
            continue
        if later.status not in ACTIVE:
            continue
        was_approved = later.status is BookingStatus.APPROVED
        try:
            with db.session.begin_nested():
                transition(later, BookingStatus.CANCELLED, actor, reason)
        except BookingError:
            continue
        cancelled.append((later, was_approved))
    if not cancelled:
        raise SeriesError("Nothing is left to cancel in this series.")
    notices.cancelled(series, cancelled, reason, actor)
    return [b for b, _ in cancelled]
