from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from helpdesk.forms_common import multi_line
from helpdesk.safeguarding.validators import NoContactDetails
from helpdesk.surveys.models import ANSWER_MAX, MENTOR_QUESTIONS, TEACHER_QUESTIONS, QuoteChoice

SCALE = [
    SelectChoice(str(n), label)
    for n, label in (
        (1, "1 – not at all confident"),
        (2, "2"),
        (3, "3"),
        (4, "4"),
        (5, "5 – very confident"),
    )
]


def _answer(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(max=ANSWER_MAX),
            multi_line,
            NoContactDetails("survey answers"),
        ],
    )


def _quote(named: str, unnamed: str) -> RadioField:
    return RadioField(
        "May we quote you in the report to the school board?",
        choices=[
            SelectChoice(QuoteChoice.NO.value, "No, keep my answers anonymous"),
            SelectChoice(QuoteChoice.NAMED.value, named),
            SelectChoice(QuoteChoice.UNNAMED.value, unnamed),
        ],
        default=QuoteChoice.NO.value,
        validators=[DataRequired()],
    )


class _Answers(FlaskForm):
    questions: tuple = ()

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not any((getattr(self, key).data or "").strip() for key, _ in self.questions):
            getattr(self, self.questions[0][0]).errors.append("Answer at least one question.")
            return False
        return True

    def answers(self) -> dict[str, str]:
        return {key: getattr(self, key).data or "" for key, _ in self.questions}


class TeacherAnswersForm(_Answers):
    questions = TEACHER_QUESTIONS
    thoughts = _answer(TEACHER_QUESTIONS[0][1])
    view_changed = _answer(TEACHER_QUESTIONS[1][1])
    will_use = _answer(TEACHER_QUESTIONS[2][1])
    learned = _answer(TEACHER_QUESTIONS[3][1])
    applied = _answer(TEACHER_QUESTIONS[4][1])
    confidence_before = RadioField(
        "Your confidence with technology before this term",
        choices=SCALE,
        coerce=int,
        validators=[DataRequired("Choose how confident you were before.")],
    )
    confidence_after = RadioField(
        "Your confidence with technology now",
        choices=SCALE,
        coerce=int,
        validators=[DataRequired("Choose how confident you are now.")],
    )
    quote = _quote("Yes, with my name", "Yes, as “a teacher”")


class MentorAnswersForm(_Answers):
    questions = MENTOR_QUESTIONS
    learned = _answer(MENTOR_QUESTIONS[0][1])
    proud = _answer(MENTOR_QUESTIONS[1][1])
    would_change = _answer(MENTOR_QUESTIONS[2][1])
    quote = _quote("Yes, with my first name only", "Yes, as “a student mentor”")


class OpenSurveyForm(FlaskForm):
    term = SelectField("Term", coerce=int, validate_choice=False)


class PickQuoteForm(FlaskForm):
    field = HiddenField(validators=[Optional(), Length(max=16)])


class ConfirmForm(FlaskForm):
    """An empty form: a button that changes something carries a CSRF token."""
