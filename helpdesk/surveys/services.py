"""Opening and closing a term's survey, answering it once, and what the advisor reads of it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, insert, literal, select
from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role, User
from helpdesk.dashboard.models import Term
from helpdesk.extensions import db
from helpdesk.notifications.models import Notification
from helpdesk.surveys.models import (
    MENTOR_QUESTIONS,
    TEACHER_QUESTIONS,
    QuoteChoice,
    Survey,
    SurveyResponse,
)

OPEN_MESSAGE = "Tell us how the term went: the {term} survey is open."


class SurveyError(Exception):
    """A survey action refused; the message is safe to show."""


def survey_of(term: Term) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.term_id == term.id))


def open_survey(term: Term, by: User, now: datetime, link: str) -> Survey:
    """Open the term's survey and tell every active teacher and mentor (in the app)."""
    if survey_of(term) is not None:
        raise SurveyError(f"The {term.name} survey has already been opened.")
    survey = Survey(term_id=term.id, opened_by_id=by.id, opened_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(survey)
            db.session.flush()
    except IntegrityError:
        raise SurveyError(f"The {term.name} survey has already been opened.") from None
    # One statement, however many people: a notification row each, written with the survey.
    db.session.execute(
        insert(Notification).from_select(
            ["user_id", "message", "link", "created_at"],
            select(
                User.id,
                literal(OPEN_MESSAGE.format(term=term.name)[:300]),
                literal(link),
                literal(now, Notification.created_at.type),
            ).where(User.role.in_((Role.TEACHER, Role.MENTOR)), User.is_active.is_(True)),
        )
    )
    return survey


def close_survey(survey: Survey, now: datetime) -> None:
    if not survey.is_open:
        raise SurveyError("That survey is already closed.")
    survey.closed_at = now
    db.session.flush()


def waiting_survey(user: User) -> Survey | None:
    """The open survey this teacher or mentor has not answered yet (the home page's card)."""
    if not (user.is_teacher or user.is_mentor):
        return None
    answered = select(SurveyResponse.id).where(
        SurveyResponse.survey_id == Survey.id, SurveyResponse.respondent_id == user.id
    )
    return db.session.scalar(
        select(Survey)
        .where(Survey.closed_at.is_(None), ~answered.exists())
        .order_by(Survey.opened_at.desc())
        .limit(1)
    )


def response_of(survey: Survey, user: User) -> SurveyResponse | None:
    return db.session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.respondent_id == user.id
        )
    )


def questions_for(user: User) -> tuple[tuple[str, str], ...]:
    return TEACHER_QUESTIONS if user.is_teacher else MENTOR_QUESTIONS


def submit_response(
    survey: Survey,
    user: User,
    answers: dict[str, str],
    quote: QuoteChoice,
    now: datetime,
    confidence_before: int | None = None,
    confidence_after: int | None = None,
) -> tuple[SurveyResponse, bool]:
    """Record this person's one response; (response, False) when they had answered already
    (a double submit), which changes nothing."""
    if not survey.is_open:
        raise SurveyError("This survey is closed: it no longer takes answers.")
    if not survey.can_answer(user):
        raise SurveyError("This survey is for teachers and student mentors.")
    earlier = response_of(survey, user)
    if earlier is not None:
        return earlier, False
    allowed = {key for key, _ in questions_for(user)}
    response = SurveyResponse(
        survey_id=survey.id,
        respondent_id=user.id,
        side="teacher" if user.is_teacher else "mentor",
        quote=quote,
        created_at=now,
        **{key: (text or "").strip() for key, text in answers.items() if key in allowed},
    )
    if user.is_teacher:
        response.confidence_before = confidence_before
        response.confidence_after = confidence_after
    try:
        with db.session.begin_nested():
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        earlier = response_of(survey, user)
        if earlier is None:
            raise
        return earlier, False
    return response, True


def pick_quote(response: SurveyResponse, field: str | None) -> None:
    """Choose one answer of a response for the board report (None: pick none)."""
    if field is not None:
        if not response.allows_quote:
            raise SurveyError("This person did not allow a quote.")
        if field not in {key for key, _ in response.questions} or not getattr(response, field):
            raise SurveyError("Pick one of the answers this person wrote.")
    response.picked = field
    db.session.flush()


@dataclass(frozen=True)
class Quote:
    text: str
    attribution: str
    question: str


@dataclass(frozen=True)
class Results:
    teachers: int
    mentors: int
    confidence_before: float | None  # teachers' average, 1–5
    confidence_after: float | None
    more_confident: int  # teachers whose after is above their before
    quotable: int  # responses that allow a quote

    @property
    def total(self) -> int:
        return self.teachers + self.mentors


def results(survey: Survey) -> Results:
    """The survey's aggregates, in one statement: nobody is named in them."""
    teacher = SurveyResponse.side == "teacher"

    def counted(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        select(
            counted(teacher),
            counted(SurveyResponse.side == "mentor"),
            func.avg(case((teacher, SurveyResponse.confidence_before))),
            func.avg(case((teacher, SurveyResponse.confidence_after))),
            counted(
                and_(teacher, SurveyResponse.confidence_after > SurveyResponse.confidence_before)
            ),
            counted(SurveyResponse.quote != QuoteChoice.NO),
        ).where(SurveyResponse.survey_id == survey.id)
    ).one()
    teachers, mentors, before, after, more, quotable = row
    return Results(
        int(teachers),
        int(mentors),
        None if before is None else round(float(before), 1),
        None if after is None else round(float(after), 1),
        int(more),
        int(quotable),
    )


def responses(survey: Survey) -> list[SurveyResponse]:
    """Every response, for the advisor (shown without names unless a quote is allowed)."""
    return list(
        db.session.scalars(
            select(SurveyResponse)
            .where(SurveyResponse.survey_id == survey.id)
            .order_by(SurveyResponse.side.desc(), SurveyResponse.id)
        )
    )


def picked_quotes(survey: Survey) -> list[Quote]:
    """The quotes the advisor picked for the board report, teachers first."""
    picked = db.session.scalars(
        select(SurveyResponse)
        .where(
            SurveyResponse.survey_id == survey.id,
            SurveyResponse.picked.is_not(None),
            SurveyResponse.quote != QuoteChoice.NO,
        )
        .order_by(SurveyResponse.side.desc(), SurveyResponse.id)
    )
    quotes = []
    for response in picked:
        question = dict(response.questions).get(response.picked, "")
        text = getattr(response, response.picked, "")
        if text:
            quotes.append(Quote(text, response.attribution, question))
    return quotes
