"""Demo: this term and the one before as reporting terms, a few sessions and help requests in
the earlier term (so "what changed" has something to compare), and this term's closed survey
with answers, some allowing quotes and three of them picked. Idempotent: each part is made once."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from helpdesk import demo_records
from helpdesk.accounts.models import Role, User
from helpdesk.accounts.services import find_user_by_email
from helpdesk.bookings.models import Booking, BookingEvent, BookingFormat, BookingStatus
from helpdesk.dashboard.models import Term
from helpdesk.extensions import db
from helpdesk.reflections.models import SessionReport
from helpdesk.requests.models import HelpRequest, RequestStatus
from helpdesk.skills.models import Skill
from helpdesk.surveys.models import QuoteChoice, Survey, SurveyResponse

TERM_WEEKS = 19

EARLIER_SESSIONS = (  # (mentor, teacher, weeks into the earlier term, status)
    ("maya.chen", "helen.park", 1, BookingStatus.COMPLETED),
    ("leo.martins", "angela.moretti", 2, BookingStatus.COMPLETED),
    ("aisha.bello", "brian.castillo", 3, BookingStatus.COMPLETED),
    ("maya.chen", "david.osei", 5, BookingStatus.NO_SHOW),
    ("ethan.novak", "helen.park", 6, BookingStatus.COMPLETED),
    ("leo.martins", "james.whitaker", 8, BookingStatus.COMPLETED),
    ("aisha.bello", "karen.lindqvist", 10, BookingStatus.CANCELLED),
    ("maya.chen", "linda.alvarez", 12, BookingStatus.COMPLETED),
)
EARLIER_REQUESTS = (  # (teacher, weeks into the earlier term, school hours it took, by mentor)
    ("helen.park", 2, 3, "maya.chen"),
    ("nancy.huang", 4, 6, "leo.martins"),
    ("patricia.dunn", 7, 2, "aisha.bello"),
)

TEACHER_ANSWERS = (  # (teacher, quote, before, after, answers, picked)
    (
        "helen.park",
        QuoteChoice.NAMED,
        2,
        4,
        {
            "thoughts": "Having students teach me felt strange for a week and then completely "
            "natural. They are patient teachers.",
            "learned": "How to build a class page and keep it tidy.",
            "applied": "My class page now has the week's plan and the slides.",
        },
        "thoughts",
    ),
    (
        "angela.moretti",
        QuoteChoice.UNNAMED,
        3,
        4,
        {
            "view_changed": "I used to avoid new tools. Now I try them with my class.",
            "will_use": "Google Forms for quick exit tickets.",
        },
        "view_changed",
    ),
    (
        "brian.castillo",
        QuoteChoice.NO,
        2,
        3,
        {"thoughts": "Useful, though finding a free period was hard."},
        None,
    ),
    (
        "david.osei",
        QuoteChoice.NO,
        3,
        3,
        {"learned": "Screen mirroring, finally."},
        None,
    ),
)
MENTOR_ANSWERS = (  # (mentor, quote, answers, picked)
    (
        "maya.chen",
        QuoteChoice.NAMED,
        {
            "learned": "Adults learn differently: slower at first, then they ask better questions.",
            "proud": "Ms. Park's class page.",
        },
        "learned",
    ),
    (
        "leo.martins",
        QuoteChoice.UNNAMED,
        {"proud": "I explained something I thought was obvious, and it was not."},
        None,
    ),
    (
        "aisha.bello",
        QuoteChoice.NO,
        {"would_change": "Longer sessions for the big topics."},
        None,
    ),
)


def _season(day: date) -> str:
    return f"{'Fall' if day.month >= 8 else 'Spring'} {day.year}"


def _person(local: str, domain: str, mentor: bool = False) -> User | None:
    return find_user_by_email(f"{'student.' if mentor else ''}{local}@{domain}")


def seed_dashboard(now: datetime, domain: str) -> int:
    """Create what is missing of the demo's terms, the earlier term's history and the survey."""
    advisor = find_user_by_email(f"advisor@{domain}")
    if advisor is None or advisor.school.term_starts_on is None:
        return 0
    count = 0
    current, earlier = _terms(advisor.school.term_starts_on)
    count += 2 if current.id is None else 0
    db.session.flush()
    count += _earlier_history(earlier, domain, ZoneInfo(advisor.school.timezone))
    count += _survey(current, advisor, now, domain)
    return count


def _terms(school_starts_on: date) -> tuple[Term, Term]:
    record = demo_records.created("dashboard:terms")
    if record is not None:
        current = db.session.get(Term, record.record_id)
        if current is not None:
            earlier = db.session.scalar(
                select(Term)
                .where(Term.ends_on < current.starts_on)
                .order_by(Term.ends_on.desc())
                .limit(1)
            )
            if earlier is not None:
                return current, earlier
    starts = school_starts_on
    ends = starts + timedelta(weeks=TERM_WEEKS, days=-3)
    earlier_starts = starts - timedelta(weeks=TERM_WEEKS + 2)
    earlier_ends = starts - timedelta(days=3)
    current = _term(_season(starts), starts, ends)
    earlier = _term(_season(earlier_starts), earlier_starts, earlier_ends)
    db.session.flush()
    if record is None:
        demo_records.remember("dashboard:terms", current.id)
    return current, earlier


def _term(name: str, starts_on: date, ends_on: date) -> Term:
    term = db.session.scalar(select(Term).where(Term.name == name))
    if term is None:
        term = Term(name=name, starts_on=starts_on, ends_on=ends_on)
        db.session.add(term)
    return term


def _skills() -> list[Skill]:
    return list(
        db.session.scalars(
            select(Skill).where(Skill.is_escalate_only.is_(False)).order_by(Skill.id).limit(6)
        )
    )


def _earlier_history(term: Term, domain: str, zone: ZoneInfo) -> int:
    if demo_records.created("dashboard:earlier-history") is not None:
        return 0
    skills = _skills()
    if not skills:
        return 0
    count = 0
    for n, (mentor, teacher, week, status) in enumerate(EARLIER_SESSIONS):
        mentor_user, teacher_user = _person(mentor, domain, True), _person(teacher, domain)
        if mentor_user is None or teacher_user is None:
            continue
        day = term.starts_on + timedelta(weeks=week, days=n % 4)
        starts = datetime.combine(day, time(10, 0), zone).astimezone(UTC)
        booking = Booking(
            mentor_id=mentor_user.id,
            teacher_id=teacher_user.id,
            skill_id=skills[n % len(skills)].id,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=40),
            status=status,
            topic=f"{skills[n % len(skills)].name} basics",
            learning_goal="Get started.",
            format=BookingFormat.IN_PERSON,
            room="Library",
            created_at=starts - timedelta(days=7),
        )
        db.session.add(booking)
        db.session.flush()
        # Its history, as the services would have written it.
        steps = [(None, "requested", teacher_user.id, booking.created_at)]
        if status is not BookingStatus.DECLINED:
            steps.append(("requested", "approved", None, booking.created_at + timedelta(hours=2)))
        steps.append((steps[-1][1], status.value, mentor_user.id, booking.ends_at))
        for from_status, to_status, actor_id, moment in steps:
            db.session.add(
                BookingEvent(
                    booking_id=booking.id,
                    actor_id=actor_id,
                    from_status=from_status,
                    to_status=to_status,
                    at=moment,
                )
            )
        if status is BookingStatus.COMPLETED:  # every completed session has its notes
            db.session.add(
                SessionReport(
                    booking_id=booking.id,
                    author_id=mentor_user.id,
                    covered=f"The basics of {skills[n % len(skills)].name}.",
                    steps="Tried it together, then on their own.",
                )
            )
        count += 1
    for n, (teacher, week, hours, mentor) in enumerate(EARLIER_REQUESTS):
        teacher_user, mentor_user = _person(teacher, domain), _person(mentor, domain, True)
        if teacher_user is None or mentor_user is None:
            continue
        opened = datetime.combine(
            term.starts_on + timedelta(weeks=week, days=1), time(9, 0), zone
        ).astimezone(UTC)
        db.session.add(
            HelpRequest(
                requester_id=teacher_user.id,
                skill_id=skills[n % len(skills)].id,
                mentor_id=mentor_user.id,
                status=RequestStatus.RESOLVED,
                summary="The projector shows nothing",
                created_at=opened,
                claimed_at=opened + timedelta(hours=1),
                first_response_at=opened + timedelta(hours=1),
                resolved_at=opened + timedelta(hours=hours),
                resolved_by_id=mentor_user.id,
            )
        )
        count += 1
    demo_records.remember("dashboard:earlier-history", None)
    return count


def _survey(term: Term, advisor: User, now: datetime, domain: str) -> int:
    if demo_records.created("dashboard:survey") is not None:
        return 0
    survey = db.session.scalar(select(Survey).where(Survey.term_id == term.id))
    if survey is None:
        survey = Survey(
            term_id=term.id,
            opened_by_id=advisor.id,
            opened_at=now - timedelta(days=14),
            closed_at=now - timedelta(days=2),
        )
        db.session.add(survey)
        db.session.flush()
    count = 1
    rows = [
        (_person(t, domain), "teacher", quote, answers, picked, before, after)
        for t, quote, before, after, answers, picked in TEACHER_ANSWERS
    ] + [
        (_person(m, domain, True), "mentor", quote, answers, picked, None, None)
        for m, quote, answers, picked in MENTOR_ANSWERS
    ]
    for person, side, quote, answers, picked, before, after in rows:
        if person is None or person.role not in (Role.TEACHER, Role.MENTOR):
            continue
        exists = db.session.scalar(
            select(SurveyResponse.id).where(
                SurveyResponse.survey_id == survey.id, SurveyResponse.respondent_id == person.id
            )
        )
        if exists is not None:
            continue
        db.session.add(
            SurveyResponse(
                survey_id=survey.id,
                respondent_id=person.id,
                side=side,
                quote=quote,
                picked=picked,
                confidence_before=before,
                confidence_after=after,
                created_at=now - timedelta(days=10),
                **answers,
            )
        )
        count += 1
    demo_records.remember("dashboard:survey", survey.id)
    return count
