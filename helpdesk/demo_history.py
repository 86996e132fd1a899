"""Plays the demo's term (helpdesk.demo_story) through the services, with the clock set back.

Sessions are requested, approved, held, reflected on and turned into tips by the same functions
the pages call, each at a moment in the past, so the rules hold, the history and outbox rows are
right and nothing is sent (the outbox only keeps mail for the worker). Every item is created
once, under its key (helpdesk.demo_records).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from helpdesk import clock
from helpdesk.accounts.models import Role, User
from helpdesk.bookings import commands, lists
from helpdesk.bookings.models import Booking, BookingFormat
from helpdesk.calendar import services as calendar
from helpdesk.calendar.models import Closure
from helpdesk.demo_records import created, remember
from helpdesk.demo_story import ASKS, MEET, SESSIONS, Ask, Session
from helpdesk.extensions import db
from helpdesk.reflections import services as reflections
from helpdesk.requests import services as desk
from helpdesk.requests.lifecycle import RequestError
from helpdesk.requests.models import Urgency
from helpdesk.schools.models import School
from helpdesk.skills.models import Skill
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device, Tip, TipStatus

SNOW_DAY_BACK = 6  # school days before today
CONFERENCE_DAY_AHEAD = 7  # school days after today
IT_EMAIL_LOCAL = "it-help"
ESCALATE_ONLY = (
    "Accounts & passwords",
    "Accounts",
    "District accounts and passwords: adult IT only.",
)


@contextmanager
def _clock_at(moment: datetime) -> Iterator[datetime]:
    """Run the services as if it were `moment` (never later than the real now)."""
    previous = clock._source  # restored exactly, whatever clock a test had set
    clock.set_clock(lambda: moment)
    try:
        yield moment
    finally:
        clock.set_clock(previous)


class _Cast:
    """The demo's people, skills and days, looked up once."""

    def __init__(self, domain: str, skills: dict[str, Skill | None], now: datetime):
        self.now = now
        self.people = {
            u.full_name: u
            for u in db.session.scalars(db.select(User).where(User.email.like(f"%@{domain}")))
        }
        self.skills = skills
        self.advisor = next(
            (u for u in self.people.values() if u.role is Role.ADVISOR and u.is_active), None
        )
        self.school = db.session.scalar(db.select(School).order_by(School.id))

    def zone(self, user: User) -> ZoneInfo:
        return ZoneInfo(user.school.timezone)

    def school_days(self, school: School, start: date, end: date) -> list[date]:
        return sorted(calendar.load_calendars([school])[school.id].days(start, end))


def seed_history(now: datetime, domain: str, skills: dict[str, Skill | None]) -> int:
    """Create the missing parts of the demo's term; returns how many items were added."""
    cast = _Cast(domain, skills, now)
    if cast.advisor is None or cast.school is None:
        return 0
    count = _escalation_setup(cast, domain)
    today = now.astimezone(ZoneInfo(cast.school.timezone)).date()
    past = cast.school_days(cast.school, today - timedelta(days=30), today - timedelta(days=1))
    ahead = cast.school_days(cast.school, today + timedelta(days=1), today + timedelta(days=30))
    if len(past) >= SNOW_DAY_BACK:
        count += _closed_day(cast, "snow-day", past[-SNOW_DAY_BACK], "Snow day", "snow_day")
    for session in SESSIONS:
        if session.outcome not in ("snow_day", "conference_day"):
            count += _play(cast, session, today)
    if len(ahead) >= CONFERENCE_DAY_AHEAD:
        day = ahead[CONFERENCE_DAY_AHEAD - 1]
        count += _closed_day(
            cast, "conference-day", day, "Superintendent's conference day", "conference_day"
        )
    for ask in ASKS:
        count += _ask(cast, ask)
    return count


def _escalation_setup(cast: _Cast, domain: str) -> int:
    """An adult-IT-only topic and the IT address, so one request goes to district IT."""
    count = 0
    if created("desk:it-email") is None:
        settings = desk.desk_settings()
        if not settings.it_email:
            settings.it_email = f"{IT_EMAIL_LOCAL}@{domain}"
        remember("desk:it-email", None)
        count += 1
    name, category, description = ESCALATE_ONLY
    record = created(f"skill:{name}")
    if record is None:
        skill = db.session.scalar(db.select(Skill).where(Skill.name == name)) or Skill(
            name=name, category=category, description=description
        )
        db.session.add(skill)
        db.session.flush()
        desk.set_topic_rules(skill, required_level=None, is_escalate_only=True)
        remember(f"skill:{name}", skill.id)
        count += 1
    else:
        skill = db.session.get(Skill, record.record_id) if record.record_id else None
    cast.skills[name] = skill
    return count


def _closed_day(cast: _Cast, key: str, day: date, name: str, outcome: str) -> int:
    """Sessions booked on a day that later closed: the closure cancels them, as it would."""
    if created(f"closure:{key}") is not None:
        return 0
    zone = ZoneInfo(cast.school.timezone)
    count = 0
    for session in (s for s in SESSIONS if s.outcome == outcome):
        count += _play(cast, session, day, on=day)
    closing_at = min(datetime.combine(day, time(6), zone), cast.now - timedelta(hours=20))
    with _clock_at(closing_at) as now:
        if (
            db.session.scalar(
                db.select(Closure).where(Closure.school_id == cast.school.id, Closure.on == day)
            )
            is None
        ):
            calendar.add_closure(cast.school, day, name, cast.advisor, now)
    remember(f"closure:{key}", None)
    return count + 1


def _play(cast: _Cast, session: Session, today: date, on: date | None = None) -> int:
    key = f"session:{session.key}"
    if created(key) is not None:
        return 0
    mentor, teacher = cast.people.get(session.mentor), cast.people.get(session.teacher)
    skill = cast.skills.get(session.skill)
    if mentor is None or teacher is None or skill is None or not mentor.is_active:
        return 0
    booking = _request(cast, session, mentor, teacher, skill, today, on)
    if booking is None:
        return 0
    _follow(cast, session, booking)
    remember(key, booking.id)
    return 1


def _request(cast, session: Session, mentor, teacher, skill, today: date, on: date | None):
    """Book the mentor's first free time from the session's day, asked a few days before."""
    zone = cast.zone(mentor)
    if on is not None:
        first, last = on, on
        ask_at = min(
            datetime.combine(on - timedelta(days=5), time(15, 30), zone),
            cast.now - timedelta(hours=72),
        )
    elif session.days_ago > 0:
        first = today - timedelta(days=session.days_ago)
        last = min(first + timedelta(days=6), today - timedelta(days=1))
        ask_at = datetime.combine(first - timedelta(days=4), time(15, 30), zone)
    else:
        first = today + timedelta(days=-session.days_ago)
        last = first if session.days_ago == 0 else first + timedelta(days=6)
        # Waiting ones were asked 3 hours, a day, two days ago: the queue has an oldest.
        waited = 3 + 24 * (-session.days_ago - 3) if session.outcome == "requested" else 72
        ask_at = cast.now - timedelta(hours=waited)
    ask_at = min(ask_at, cast.now - timedelta(hours=1))
    with _clock_at(ask_at) as now:
        slots = lists.open_slots(
            mentor, skill.id, datetime.combine(first, time(6), zone), session.minutes, now,
            days=(last - first).days + 1,
        )  # fmt: skip
        for slot in slots:
            if session.days_ago > 0 and slot.end_at > cast.now - timedelta(hours=2):
                break
            if on is None and session.days_ago == 0 and slot.start_at <= cast.now:
                continue  # today's: only a time still to come
            try:
                with db.session.begin_nested():
                    return commands.request_booking(
                        teacher, _booking_request(session, mentor, skill, slot), now
                    )
            except commands.BookingError:
                continue
    return None


def _booking_request(session: Session, mentor: User, skill: Skill, slot) -> commands.BookingRequest:
    online = session.format is BookingFormat.ONLINE
    return commands.BookingRequest(
        mentor_id=mentor.id,
        skill_id=skill.id,
        starts_at=slot.start_at,
        minutes=session.minutes,
        topic=session.topic,
        learning_goal=session.goal,
        format=session.format,
        room="" if online else session.room or "Library",
        meeting_url=MEET if online else "",
        request_key=f"demo-{session.key}",
        agrees_to_norms=True,
    )


def _at(cast: _Cast, moment: datetime):
    return _clock_at(min(moment, cast.now - timedelta(minutes=5)))


def _follow(cast: _Cast, session: Session, booking: Booking) -> None:
    """Take the session where the story says it went."""
    outcome = session.outcome
    asked = booking.created_at
    if outcome == "requested":
        return
    if outcome == "declined":
        with _at(cast, asked + timedelta(hours=3)):
            commands.decline_booking(booking, booking.mentor, session.reason)
        return
    with _at(cast, min(asked + timedelta(hours=20), booking.starts_at - timedelta(hours=2))):
        commands.approve_booking(booking, cast.advisor)
    if outcome == "cancelled":
        with _at(cast, booking.starts_at - timedelta(hours=20)) as now:
            commands.cancel_booking(booking, booking.teacher, session.reason, now)
        return
    if outcome not in ("completed", "no_show"):
        return
    ended = booking.ends_at
    notes = session.notes
    with _at(cast, ended + timedelta(hours=2)) as now:
        reflections.complete_session(
            booking,
            booking.mentor,
            now,
            showed_up=outcome == "completed",
            covered=notes.covered if notes else "",
            steps=notes.steps if notes else "",
            links=notes.links if notes else "",
        )
    if outcome != "completed":
        return
    if session.mentor_reflection:
        with _at(cast, ended + timedelta(hours=5)):
            reflections.reflect(
                booking,
                booking.mentor,
                reflections.ReflectionInput(
                    went_well=session.mentor_reflection.went_well,
                    try_next=session.mentor_reflection.try_next,
                ),
            )
    if session.teacher_reflection:
        r = session.teacher_reflection
        with _at(cast, ended + timedelta(days=1)):
            reflections.reflect(
                booking,
                booking.teacher,
                reflections.ReflectionInput(
                    learned=r.learned,
                    rating=r.rating,
                    classroom_use=r.classroom_use,
                    view_change=r.view_change,
                    kudos=r.kudos,
                ),
            )
    if session.tip and created(f"tip:{session.tip.title}") is None:
        with _at(cast, ended + timedelta(days=1, hours=2)):
            tip = tips.create_tip(
                author=booking.mentor,
                title=session.tip.title,
                body=session.tip.body,
                skills=[booking.skill],
                devices=[Device.ANY],
                booking=booking,
            )
            tips.submit_tip(tip, by=booking.mentor)
        if session.tip.published:
            with _at(cast, ended + timedelta(days=3)):
                tips.publish_tip(tip, by=cast.advisor)
        remember(f"tip:{session.tip.title}", tip.id)


def _ask(cast: _Cast, ask: Ask) -> int:
    key = f"help:{ask.key}"
    if created(key) is not None:
        return 0
    requester = cast.people.get(ask.requester)
    mentor = cast.people.get(ask.mentor) if ask.mentor else None
    skill = cast.skills.get(ask.skill)
    if requester is None or skill is None or (ask.mentor and mentor is None):
        return 0
    asked_at = cast.now - timedelta(hours=ask.hours_ago)
    new = desk.NewRequest(
        skill_id=skill.id,
        summary=ask.summary,
        details=ask.details,
        device=ask.device,
        urgency=Urgency(ask.urgency),
        room=ask.room,
        request_key=f"demo-{ask.key}",
    )
    try:
        with db.session.begin_nested():
            help_request = _asked(cast, ask, new, requester, mentor, asked_at)
    except (RequestError, tips.TipError):
        return 0
    if help_request is None:
        return 0
    remember(key, help_request.id)
    return 1


def _asked(cast, ask: Ask, new, requester: User, mentor: User | None, asked_at: datetime):
    if ask.outcome == "self_served":
        tip = db.session.scalar(
            db.select(Tip).where(Tip.title == ask.tip_title, Tip.status == TipStatus.PUBLISHED)
        )
        if tip is None:
            return None
        with _at(cast, asked_at) as now:
            return desk.self_serve(requester, new, tip, now)
    with _at(cast, asked_at) as now:
        help_request = desk.open_request(requester, new, now)
    if ask.outcome == "closed":
        with _at(cast, asked_at + timedelta(hours=4)):
            desk.close_request(help_request, requester, "It started working after a restart.")
    if mentor is None:
        return help_request
    step = asked_at + timedelta(hours=1)
    with _at(cast, step) as now:
        desk.claim_request(help_request, mentor, now)
    for number, message in enumerate(ask.messages, start=1):
        author = mentor if message.author == "mentor" else requester
        with _at(cast, step + timedelta(hours=number)) as now:
            desk.post_message(help_request, author, message.body, now)
    done_at = step + timedelta(hours=len(ask.messages) + 1)
    if ask.outcome == "waiting":
        with _at(cast, done_at) as now:
            desk.mark_waiting(help_request, mentor, now)
    elif ask.outcome == "resolved":
        with _at(cast, done_at) as now:
            desk.resolve_request(help_request, mentor, now)
        if ask.tip_title and created(f"tip:{ask.tip_title}") is None:
            with _at(cast, done_at + timedelta(hours=1)):
                tip = desk.seed_tip(help_request, mentor)
                tips.update_tip(
                    tip, by=mentor, title=ask.tip_title, body=tip.body,
                    skills=tip.skills, devices=[Device.ANY],
                )  # fmt: skip
                tips.submit_tip(tip, by=mentor)
            remember(f"tip:{ask.tip_title}", tip.id)
    return help_request
