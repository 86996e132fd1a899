"""Finding a mentor: who knows the topic and is free, best match first.

Best match first: a mentor's skill level counts most (expert 3, confident 2, can help 1), then
fairness (fewer sessions already this week ranks higher), then your good past sessions with them.
"""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from sqlalchemy.orm import lazyload

from helpdesk.accounts.models import User
from helpdesk.availability.models import AvailabilityWindow, ProgramSettings, TimeOff
from helpdesk.availability.services import booking_rules, program_settings
from helpdesk.availability.slots import (
    Busy,
    Rules,
    Slot,
    Window,
    bookable_slots,
    day_begins,
    still_bookable,
)
from helpdesk.bookings.models import HOLDING_STATUSES, Booking, BookingStatus
from helpdesk.calendar.models import DayType
from helpdesk.calendar.services import load_calendars
from helpdesk.db import one_of
from helpdesk.extensions import db
from helpdesk.finder import cache
from helpdesk.mentors.models import MentorProfile, MentorSkill, SkillLevel
from helpdesk.reflections.models import Reflection
from helpdesk.schools.models import School
from helpdesk.workshops.models import WorkshopHost

SCORE_EXPLANATION = (
    "Best match first: skill level counts most (expert, then confident, then can help), "
    "then mentors with fewer sessions this week, then mentors you have had good sessions with."
)
LEVEL_WEIGHT = 10
WEEK_LOAD_WEIGHT = 3
PAST_SESSION_WEIGHT = 2
PAST_SESSION_CAP = 3
MAX_RANGE_DAYS = 31
PAGE_SIZE = 20
BATCH = 32  # mentors whose slots are computed together: usually one page in one round
GOOD_RATING = 4
# Sessions last at most 120 minutes (program settings); a day is a safe upper bound.
LONGEST_SESSION = timedelta(days=1)
NOT_HOLDING_STATUSES = tuple(s for s in BookingStatus if s not in HOLDING_STATUSES)


class FinderError(ValueError):
    """A search that cannot be run; the message is safe to show."""


@dataclass
class MentorMatch:
    mentor_id: int
    level: SkillLevel
    slots: list[Slot]
    sessions_this_week: int
    good_past_sessions: int
    # Filled by load_profiles: find_mentors does unless told not to (the finder page loads
    # only the mentors whose cards it has to render).
    mentor: User | None = None
    profile: MentorProfile | None = None
    version: str = (
        ""  # the mentor's own stamp when searched through the cache (helpdesk.finder.cache)
    )

    @property
    def score(self) -> int:
        return match_score(self.level, self.sessions_this_week, self.good_past_sessions)


def match_score(level: int, sessions_this_week: int, good_past_sessions: int) -> int:
    """Level weighs most, then a light week, then good past sessions together (capped)."""
    return (
        LEVEL_WEIGHT * level
        - WEEK_LOAD_WEIGHT * sessions_this_week
        + PAST_SESSION_WEIGHT * min(good_past_sessions, PAST_SESSION_CAP)
    )


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    # A day's wall clock lies within UTC-14..UTC+14 of its date; widen by a day either side.
    return (
        datetime.combine(start - timedelta(days=1), time.min, UTC),
        datetime.combine(end + timedelta(days=2), time.min, UTC),
    )


def find_mentors(
    *,
    skill_id: int,
    start: date,
    end: date,
    session_minutes: int,
    now: datetime,
    teacher: User | None = None,
    school_id: int | None = None,
    online_only: bool = False,
    mentor_id: int | None = None,
    exclude_booking_id: int | None = None,
    limit: int | None = None,
    skip: int = 0,
    scope: tuple | None = None,
    with_profiles: bool = True,
    settings: ProgramSettings | None = None,
) -> list[MentorMatch]:
    """Mentors with the skill and at least one open slot in [start, end], best match first.

    Ranking needs no slots (level, this week's load, past sessions), so mentors are taken in
    ranked order and their slots computed a batch at a time; with `limit`, work stops once
    the page is full instead of computing every mentor's slots. With a cache `scope` (the finder
    page) it reuses what earlier searches computed from the same data (helpdesk.finder.cache).
    """
    if end < start:
        raise FinderError("The end date must be on or after the start date.")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise FinderError(f"Search at most {MAX_RANGE_DAYS} days at a time.")
    settings = settings or program_settings()
    if session_minutes not in settings.lengths:
        raise FinderError("Choose one of the session lengths the program offers.")

    if scope is None:
        candidates, calendars = _candidate_context(skill_id, school_id, online_only, mentor_id)
        load = _sessions_this_week(candidates, calendars, now) if candidates else {}
        good_past = (
            _good_past_sessions(teacher, [c.mentor_id for c in candidates])
            if teacher is not None and candidates
            else {}
        )
        versions: dict[int, str] = {}
    else:
        candidates, calendars = cache.remember(
            (scope, "candidates", skill_id, school_id, online_only, mentor_id),
            lambda: _candidate_context(skill_id, school_id, online_only, mentor_id),
        )
        if not candidates:
            return []
        versions = cache.candidate_stamps(
            skill_id, [c.mentor_id for c in candidates], teacher.id if teacher is not None else None
        )
        question = (skill_id, school_id, online_only, mentor_id)
        load, by_score = _cached_ranking(question, candidates, calendars, scope, versions)
        good_past = (
            {}
            if teacher is None
            else cache.remember(
                (scope, "good-past", teacher.id, versions[teacher.id]),
                lambda: _good_past_sessions(teacher),
            )
        )
    if not candidates:
        return []
    if scope is None or any(c.mentor_id in good_past for c in candidates):
        ranked = _by_score(candidates, load, good_past)
    else:
        ranked = by_score  # the same order when the teacher had no good session with any of them
    if scope is None:
        slots_of = _SlotMaker(
            settings, calendars, start, end, session_minutes, now, exclude_booking_id
        )
    else:
        slots_of = _CachedSlots(
            settings,
            calendars,
            start,
            end,
            session_minutes,
            now,
            scope,
            exclude_booking_id,
            versions,
        )
    open_to_teacher = _open_to(teacher)
    found: list[tuple[_Candidate, list[Slot]]] = []
    matched = 0
    for offset in range(0, len(ranked), BATCH):
        batch = ranked[offset : offset + BATCH]
        slots_in_batch = slots_of(batch)
        for candidate in batch:
            slots = open_to_teacher(slots_in_batch[candidate.mentor_id])
            if not slots:
                continue
            matched += 1
            if matched > skip:
                found.append((candidate, slots))
            if limit is not None and len(found) >= limit:
                break
        if limit is not None and len(found) >= limit:
            break
    matches = [
        MentorMatch(
            c.mentor_id,
            SkillLevel(c.level),
            slots,
            load[c.mentor_id],
            good_past.get(c.mentor_id, 0),
            version=versions.get(c.mentor_id, ""),
        )
        for c, slots in found
    ]
    if with_profiles:
        load_profiles(matches)
    return matches


def _open_to(teacher: User | None):
    """Drops the slots on days the teacher's own school is closed (a closure at either side's
    school cancels a session, so none is offered); applied after any cache, per teacher."""
    if teacher is None:
        return lambda slots: slots
    calendar = load_calendars([teacher.school])[teacher.school_id]
    if not calendar.closed:
        return lambda slots: slots
    return lambda slots: [
        s for s in slots if s.start_at.astimezone(calendar.tz).date() not in calendar.closed
    ]


def _candidate_context(skill_id, school_id, online_only, mentor_id):
    """Who offers the skill, and their schools' calendars: the same for everyone who asks."""
    candidates = _candidates(skill_id, school_id, online_only, mentor_id)
    if not candidates:
        return [], {}
    calendars = load_calendars(
        db.session.scalars(
            db.select(School).where(School.id.in_({c.school_id for c in candidates}))
        )
    )
    return candidates, calendars


def _cached_ranking(question, candidates, calendars, scope, versions):
    """This week's load of each candidate and their order by score (nobody's past sessions
    counted), kept under all their stamps together; when one mentor's stamp moved, only the
    mentors whose sessions changed are counted again (each load is kept under its own stamp)."""
    zone = calendars[candidates[0].school_id].tz
    key = (scope, "ranking", question, tuple(versions[c.mentor_id] for c in candidates))

    def rank():
        load = _cached_load(candidates, calendars, scope, versions, zone)
        return load, _by_score(candidates, load, {})

    return cache.remember(key, rank)


def _cached_load(candidates, calendars, scope, versions, zone) -> dict[int, int]:
    """This week's sessions of each candidate, kept per mentor under their own stamp: only the
    mentors whose sessions changed are counted again, in one query."""
    keys = {
        c.mentor_id: (scope, "load", str(zone), c.mentor_id, versions[c.mentor_id])
        for c in candidates
    }
    load = defaultdict(int)
    missing = []
    for candidate in candidates:
        count = cache.get(keys[candidate.mentor_id])
        if count is None:
            missing.append(candidate)
        else:
            load[candidate.mentor_id] = count
    if missing:
        counted = _sessions_this_week(missing, calendars, scope[-1], zone)
        for candidate in missing:
            load[candidate.mentor_id] = counted[candidate.mentor_id]
            cache.put(keys[candidate.mentor_id], counted[candidate.mentor_id])
    return load


def _by_score(candidates, load, good_past) -> list["_Candidate"]:
    return sorted(
        candidates,
        key=lambda c: (
            -match_score(c.level, load[c.mentor_id], good_past.get(c.mentor_id, 0)),
            c.mentor_id,
        ),
    )


class _SlotMaker:
    """Open slots of a batch of candidates over one date range, in a fixed number of queries."""

    def __init__(
        self,
        settings,
        calendars,
        start,
        end,
        session_minutes,
        now,
        exclude_booking_id,
        longer_horizon=timedelta(0),
    ):
        self.settings, self.calendars = settings, calendars
        self.longer_horizon = longer_horizon
        self.start, self.end, self.session_minutes = start, end, session_minutes
        self.now, self.exclude_booking_id = now, exclude_booking_id
        # Whole weeks, for the weekly cap; earlier sessions cannot touch these dates.
        self.busy_bounds = _utc_bounds(_week_start(start), _week_start(end) + timedelta(days=6))
        self.days_by_school: dict[int, dict] = {}
        self.rules: dict[int | None, Rules] = {}

    def __call__(self, batch: list["_Candidate"]) -> dict[int, list[Slot]]:
        """Every mentor of the batch, with their open slots (an empty list for none)."""
        slots: dict[int, list[Slot]] = {c.mentor_id: [] for c in batch}
        if not batch:
            return slots
        windows = _windows_by_mentor([c.mentor_id for c in batch], self.start, self.end)
        with_windows = [c for c in batch if c.mentor_id in windows]  # no window, no slot
        if not with_windows:
            return slots
        ids = [c.mentor_id for c in with_windows]
        time_off = _time_off_by_mentor(ids, self.start, self.end)
        busy = _busy_by_mentor(ids, *self.busy_bounds, self.exclude_booking_id)
        for candidate in with_windows:
            calendar = self.calendars[candidate.school_id]
            if candidate.school_id not in self.days_by_school:
                self.days_by_school[candidate.school_id] = calendar.days(self.start, self.end)
            if candidate.weekly_cap not in self.rules:
                rules = booking_rules(self.settings, self.session_minutes, candidate.weekly_cap)
                self.rules[candidate.weekly_cap] = replace(
                    rules, horizon=rules.horizon + self.longer_horizon
                )
            slots[candidate.mentor_id] = bookable_slots(
                windows=windows[candidate.mentor_id],
                school_days=self.days_by_school[candidate.school_id],
                tz=calendar.tz,
                rules=self.rules[candidate.weekly_cap],
                now=self.now,
                start=self.start,
                end=self.end,
                busy=busy.get(candidate.mentor_id, []),
                time_off=time_off.get(candidate.mentor_id, []),
            )
        return slots


class _CachedSlots:
    """Open slots from the cache, kept per mentor a week at a time: computed once per scope at
    its start (with the horizon one scope longer), then cut to this moment and these dates. A
    search computes only the weeks it asks about that no earlier search computed, for the
    mentors missing them, in one round of queries."""

    def __init__(
        self,
        settings,
        calendars,
        start,
        end,
        session_minutes,
        now,
        scope,
        exclude_booking_id,
        versions,
    ):
        self.calendars, self.now, self.start, self.end = calendars, now, start, end
        self.settings, self.session_minutes = settings, session_minutes
        self.exclude_booking_id, self.versions = exclude_booking_id, versions
        self.rules = booking_rules(settings, session_minutes)
        self.computed_at = computed_at = scope[-1]
        self.key = (scope, "slots", session_minutes, exclude_booking_id)
        # Slots are never earlier than the scope's start nor later than its horizon.
        first = max(start, (computed_at - timedelta(days=1)).date())
        last = min(end, (computed_at + self.rules.horizon + timedelta(days=2)).date())
        self.weeks = [
            _week_start(first) + timedelta(weeks=n)
            for n in range(((last - _week_start(first)).days // 7 + 1) if first <= last else 0)
        ]

    def __call__(self, batch: list["_Candidate"]) -> dict[int, list[Slot]]:
        # One entry per mentor: their weeks computed so far, filled in as searches ask.
        known: dict[int, dict[date, list[Slot]]] = {}
        for c in batch:
            key = (*self.key, c.mentor_id, self.versions[c.mentor_id])
            known[c.mentor_id] = weeks = cache.get(key)
            if weeks is None:
                known[c.mentor_id] = weeks = {}
                cache.put(key, weeks)
        missing = [c for c in batch if any(m not in known[c.mentor_id] for m in self.weeks)]
        if missing:
            self._compute(missing, known)
        zones = {c.mentor_id: self.calendars[c.school_id].tz for c in batch}
        return _CutOnDemand(
            lambda mentor_id: still_bookable(
                [slot for monday in self.weeks for slot in known[mentor_id][monday]],
                self.rules,
                self.now,
                self.start,
                self.end,
                zones[mentor_id],
            )
        )

    def _compute(self, missing: list["_Candidate"], known: dict) -> None:
        mondays = [m for m in self.weeks if any(m not in known[c.mentor_id] for c in missing)]
        maker = _SlotMaker(
            self.settings,
            self.calendars,
            mondays[0],
            mondays[-1] + timedelta(days=6),
            self.session_minutes,
            self.computed_at,
            self.exclude_booking_id,
            longer_horizon=cache.SCOPE_LENGTH,
        )
        computed = maker(missing)
        weeks = [m for m in self.weeks if mondays[0] <= m <= mondays[-1]]
        for candidate in missing:
            # Sorted slots, cut where each local week begins: one bisection a week.
            slots, zone = computed[candidate.mentor_id], self.calendars[candidate.school_id].tz
            low = 0
            for monday in weeks:
                following = day_begins(monday + timedelta(days=7), zone)
                high = bisect_left(slots, following, lo=low, key=_starts_at)
                known[candidate.mentor_id][monday] = slots[low:high]
                low = high


def _starts_at(slot: Slot) -> datetime:
    return slot.start_at


class _CutOnDemand(dict):
    """Mentor id -> slots, cut when first asked for: a page is often full before the batch ends."""

    def __init__(self, cut):
        super().__init__()
        self.cut = cut

    def __missing__(self, mentor_id: int) -> list[Slot]:
        self[mentor_id] = slots = self.cut(mentor_id)
        return slots


def rules_snapshot(scope: tuple | None) -> ProgramSettings:
    """The program's rules: a detached copy kept with the scope's other entries."""

    def copy() -> ProgramSettings:
        settings = program_settings()
        columns = ProgramSettings.__table__.columns.keys()
        return ProgramSettings(**{name: getattr(settings, name) for name in columns})

    return cache.remember((scope, "rules"), copy) if scope is not None else program_settings()


def load_profiles(matches: list[MentorMatch]) -> None:
    """Fill in the matches' mentors and profiles (with user and school), in one query."""
    if not matches:
        return
    profiles = {
        p.user_id: p
        for p in db.session.scalars(
            db.select(MentorProfile)
            .where(MentorProfile.user_id.in_([m.mentor_id for m in matches]))
            .options(lazyload(MentorProfile.skills))
        )
    }
    for match in matches:
        match.profile = profiles[match.mentor_id]
        match.mentor = match.profile.user


def _sessions_this_week(candidates, calendars, now: datetime, zone=None) -> dict[int, int]:
    """Sessions and workshops each mentor holds this week (the fairness measure), in one query.

    The week is the first candidate school's calendar week (or `zone`'s); a few hours' shift
    between time zones at the week's edges does not matter for ranking.
    """
    zone = zone or calendars[candidates[0].school_id].tz
    monday = _week_start(now.astimezone(zone).date())
    ids = [c.mentor_id for c in candidates]
    dialect = _dialect()
    week = (
        datetime.combine(monday, time.min, zone),
        datetime.combine(monday + timedelta(days=7), time.min, zone),
    )
    held = db.union_all(
        db.select(Booking.mentor_id.label("mentor_id")).where(
            one_of(Booking.mentor_id, ids, dialect),
            Booking.status.not_in(NOT_HOLDING_STATUSES),
            Booking.starts_at >= week[0],
            Booking.starts_at < week[1],
        ),
        db.select(WorkshopHost.mentor_id.label("mentor_id")).where(
            one_of(WorkshopHost.mentor_id, ids, dialect),
            WorkshopHost.is_holding.is_(True),
            WorkshopHost.starts_at >= week[0],
            WorkshopHost.starts_at < week[1],
        ),
    ).subquery()
    rows = _read(db.select(held.c.mentor_id, db.func.count()).group_by(held.c.mentor_id))
    return defaultdict(int, rows)


@dataclass(frozen=True)
class _Candidate:
    mentor_id: int
    level: int
    weekly_cap: int | None
    school_id: int
    timezone: str


def _candidates(
    skill_id: int, school_id: int | None, online_only: bool, mentor_id: int | None
) -> list[_Candidate]:
    """Active mentors with the skill, as plain rows: only the ones shown become ORM objects."""
    statement = (
        db.select(
            MentorSkill.mentor_id,
            MentorSkill.level,
            MentorProfile.weekly_cap,
            User.school_id,
            School.timezone,
        )
        .join(MentorProfile, MentorProfile.user_id == MentorSkill.mentor_id)
        .join(User, User.id == MentorSkill.mentor_id)
        .join(School, School.id == User.school_id)
        .where(MentorSkill.skill_id == skill_id, User.is_active.is_(True))
    )
    if school_id:
        statement = statement.where(User.school_id == school_id)
    if online_only:
        statement = statement.where(MentorProfile.offers_online.is_(True))
    if mentor_id:
        statement = statement.where(MentorSkill.mentor_id == mentor_id)
    return [_Candidate(*row) for row in db.session.execute(statement)]


def _windows_by_mentor(ids: list[int], start: date, end: date) -> dict[int, list[Window]]:
    """The mentors' windows that can apply in [start, end], read as plain rows."""
    result: dict[int, list[Window]] = defaultdict(list)
    rows = _read(
        db.select(
            AvailabilityWindow.mentor_id,
            AvailabilityWindow.start_time,
            AvailabilityWindow.end_time,
            AvailabilityWindow.period_name,
            AvailabilityWindow.weekdays,
            DayType.name,
            AvailabilityWindow.on,
        )
        .outerjoin(DayType, DayType.id == AvailabilityWindow.day_type_id)
        .where(
            one_of(AvailabilityWindow.mentor_id, ids, _dialect()),
            db.or_(AvailabilityWindow.on.is_(None), AvailabilityWindow.on.between(start, end)),
        )
    )
    for mentor_id, *window in rows:
        result[mentor_id].append(_engine_window(*window))
    return result


@lru_cache(maxsize=4096)
def _engine_window(
    start: time | None,
    end: time | None,
    period: str | None,
    weekdays: int,
    day_type: str | None,
    on: date | None,
) -> Window:
    """The same Window as availability's as_engine_window, shared: many mentors pick alike."""
    return Window(
        start=start,
        end=end,
        period=period,
        weekdays=frozenset(d for d in range(7) if weekdays & (1 << d)),
        day_types=frozenset([day_type]) if day_type is not None else frozenset(),
        on=on,
    )


def _time_off_by_mentor(
    ids: list[int], start: date, end: date
) -> dict[int, list[tuple[date, date]]]:
    result: dict[int, list[tuple[date, date]]] = defaultdict(list)
    rows = _read(
        db.select(TimeOff.mentor_id, TimeOff.starts_on, TimeOff.ends_on).where(
            one_of(TimeOff.mentor_id, ids, _dialect()),
            TimeOff.starts_on <= end,
            TimeOff.ends_on >= start,
        )
    )
    for mentor_id, starts_on, ends_on in rows:
        result[mentor_id].append((starts_on, ends_on))
    return result


def _busy_by_mentor(
    ids: list[int], since: datetime, until: datetime, exclude_booking_id: int | None = None
) -> dict[int, list[Busy]]:
    """Sessions holding the mentors' time that overlap [since, until)."""
    result: dict[int, list[Busy]] = defaultdict(list)
    # Both bounds on starts_at let the (mentor_id, starts_at) index read only the weeks asked
    # for. Status is written as NOT IN the other statuses: given `status IN (...)`, SQLite
    # without statistics walks the (status, created_at) index instead, most of the table. No
    # condition on ends_at: PostgreSQL took it as independent of starts_at and expected a few
    # rows where there are thousands; a session ending before `since` blocks nothing asked for.
    # Workshops they host hold their time too (helpdesk.workshops), read in the same query.
    dialect = _dialect()
    sessions = db.select(Booking.mentor_id, Booking.starts_at, Booking.ends_at).where(
        one_of(Booking.mentor_id, ids, dialect),
        Booking.status.not_in(NOT_HOLDING_STATUSES),
        Booking.starts_at >= since - LONGEST_SESSION,
        Booking.starts_at < until,
    )
    if exclude_booking_id is not None:
        sessions = sessions.where(Booking.id != exclude_booking_id)
    workshops = db.select(
        WorkshopHost.mentor_id, WorkshopHost.starts_at, WorkshopHost.ends_at
    ).where(
        one_of(WorkshopHost.mentor_id, ids, dialect),
        WorkshopHost.is_holding.is_(True),
        WorkshopHost.starts_at >= since - LONGEST_SESSION,
        WorkshopHost.starts_at < until,
    )
    for mentor_id, starts_at, ends_at in _read(db.union_all(sessions, workshops)):
        result[mentor_id].append(Busy(starts_at, ends_at))
    return result


def _good_past_sessions(teacher: User, ids: list[int] | None = None) -> dict[int, int]:
    """The teacher's completed sessions they did not rate poorly, per mentor (of `ids`)."""
    rows = db.session.execute(
        db.select(Booking.mentor_id, db.func.count())
        .where(
            Booking.teacher_id == teacher.id,
            one_of(Booking.mentor_id, ids, _dialect()) if ids is not None else db.true(),
            Booking.status == BookingStatus.COMPLETED,
            # a session the teacher rated 3 or lower does not count as a good one
            ~db.exists().where(
                Reflection.booking_id == Booking.id,
                Reflection.author_id == teacher.id,
                Reflection.rating < GOOD_RATING,
            ),
        )
        .group_by(Booking.mentor_id)
    )
    return dict(rows.all())


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _read(statement):
    """Plain rows through the session's connection, all at once: no ORM loading for rows only
    read, no row-by-row fetching."""
    return db.session.connection().execute(statement).all()


def schools() -> list[School]:
    return list(db.session.scalars(db.select(School).order_by(School.name)))
