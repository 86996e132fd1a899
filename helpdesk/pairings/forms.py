from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from helpdesk.forms_common import multi_line, plausible_date, single_line
from helpdesk.pairings.models import CLOSING_QUESTIONS, GoalStatus
from helpdesk.safeguarding.validators import NoContactDetails

# Goals, progress notes and reflections are read by a student and an adult (safeguarding).
IN_PAIRINGS = NoContactDetails("pairings")
IN_REFLECTIONS = NoContactDetails("reflections")
GOAL = [Optional(), Length(max=300), single_line, IN_PAIRINGS]


class FreePeriodsForm(FlaskForm):
    """The grid's checkboxes are rendered by the template (one per period and day); the view
    reads them as `free` values and the service checks each against the bell schedule."""

    free = SelectMultipleField(
        "Free periods", validate_choice=False, widget=ListWidget(), option_widget=CheckboxInput()
    )
    submit = SubmitField("Save my free periods")


class _Dates:
    starts_on = DateField("Starts on", validators=[InputRequired(), plausible_date])
    ends_on = DateField(
        "Ends on",
        validators=[InputRequired(), plausible_date],
        description="The end of term, or the date you agree.",
    )

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The end date must be on or after the start date.")


class GoalsForm(FlaskForm):
    """The pair's 1-3 learning goals; the pairing and approval forms carry them too."""

    goal_1 = StringField("Learning goal 1", validators=GOAL)
    goal_2 = StringField("Learning goal 2 (optional)", validators=GOAL)
    goal_3 = StringField("Learning goal 3 (optional)", validators=GOAL)

    @property
    def goal_texts(self) -> list[str]:
        return [f.data or "" for f in (self.goal_1, self.goal_2, self.goal_3)]

    submit = SubmitField("Save our goals")


class NewPairingForm(_Dates, GoalsForm):
    # The mentor is a radio group of the ranked suggestions (pairings/_suggestions.html),
    # read by the view as `mentor_id`.
    teacher_id = HiddenField(validators=[DataRequired()])
    skill_id = HiddenField()
    focus = TextAreaField(
        "What the teacher wants to learn",
        validators=[Length(max=1000), multi_line, IN_PAIRINGS],
    )
    submit = SubmitField("Pair them")


class ChooseTeacherForm(FlaskForm):
    class Meta:
        csrf = False  # a GET that only chooses whose suggestions to show

    teacher = SelectField("Teacher", coerce=int, validators=[InputRequired()])
    skill = SelectField("What they want to learn", coerce=int, validators=[Optional()])
    submit = SubmitField("Show suggestions")


class RequestForm(_Dates, FlaskForm):
    skill_id = SelectField("Topic", coerce=int, validators=[Optional()])
    focus = TextAreaField(
        "What would you like to learn?",
        validators=[
            DataRequired(message="Say what you would like to learn."),
            Length(max=1000),
            multi_line,
            IN_PAIRINGS,
        ],
        description="For example: “I'd like a regular mentor for Google Classroom.”",
    )
    mentor_id = SelectField(
        "A mentor you would like (optional)", coerce=int, validators=[Optional()]
    )
    submit = SubmitField("Send my request")


class ApproveForm(_Dates, GoalsForm):
    """With the suggestions' radio group, `mentor_id`, read by the view."""

    submit = SubmitField("Approve with this mentor")


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        "Why not (the teacher reads this)",
        validators=[DataRequired(message="Say why."), Length(max=1000), multi_line, IN_PAIRINGS],
    )
    submit = SubmitField("Decline the request")


class ProgressForm(FlaskForm):
    status = RadioField(
        "Where it stands",
        choices=[SelectChoice(s.value, s.label) for s in GoalStatus],
        validators=[DataRequired()],
    )
    note = StringField(
        "Short note (optional)", validators=[Length(max=300), single_line, IN_PAIRINGS]
    )
    submit = SubmitField("Save progress")


def _reflection_field(question: str) -> TextAreaField:
    return TextAreaField(question, validators=[Length(max=3000), multi_line, IN_REFLECTIONS])


ClosingReflectionForm = type(
    "ClosingReflectionForm",
    (FlaskForm,),
    {
        **{column: _reflection_field(question) for column, question in CLOSING_QUESTIONS},
        "submit": SubmitField("Save my reflection"),
    },
)
