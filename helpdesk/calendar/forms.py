from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from helpdesk.forms_common import multi_line, plausible_date, single_line


class TermForm(FlaskForm):
    term_starts_on = DateField("First day of term", validators=[InputRequired(), plausible_date])
    term_ends_on = DateField("Last day of term", validators=[InputRequired(), plausible_date])
    submit = SubmitField("Save term")

    def validate_term_ends_on(self, field) -> None:
        if self.term_starts_on.data and field.data and field.data <= self.term_starts_on.data:
            raise ValidationError("The term must end after it starts.")


class ScheduleForm(FlaskForm):
    name = StringField(
        "Schedule name",
        validators=[DataRequired(), Length(max=60), single_line],
        description="e.g. Regular, Early dismissal",
    )
    periods = TextAreaField(
        "Periods",
        validators=[DataRequired(), Length(max=4000), multi_line],
        description="One per line: name, start, end. For example: Period 4, 10:00, 10:50",
    )
    submit = SubmitField("Save schedule")


class DayTypeForm(FlaskForm):
    name = StringField(
        "Day type",
        validators=[DataRequired(), Length(max=40), single_line],
        description="e.g. A, B",
    )
    schedule_id = SelectField("Bell schedule", coerce=int)
    rotation_position = IntegerField(
        "Place in the rotation",
        validators=[Optional(), NumberRange(min=1, max=10)],
        description="1 for A, 2 for B. Leave empty if this day type does not rotate.",
    )
    submit = SubmitField("Save day type")


class ExceptionForm(FlaskForm):
    on = DateField("Date", validators=[InputRequired(), plausible_date])
    day_type_id = SelectField("Day type that day", coerce=int)
    schedule_id = SelectField(
        "Bell schedule that day", coerce=int, description="e.g. Early dismissal"
    )
    note = StringField("Note", validators=[Length(max=120), single_line])
    submit = SubmitField("Save exception")


class ClosureForm(FlaskForm):
    on = DateField("Date", validators=[InputRequired(), plausible_date])
    name = StringField(
        "Reason",
        validators=[DataRequired(), Length(max=200), single_line],
        description="e.g. Thanksgiving, State testing",
    )
    submit = SubmitField("Close this day")


class IcsImportForm(FlaskForm):
    file = FileField(
        "District calendar (.ics)",
        validators=[
            FileRequired(),
            FileAllowed(["ics"], "Choose an .ics file."),
            FileSize(max_size=2 * 1024 * 1024, message="The file may be at most 2 MB."),
        ],
        description="Every event inside the term becomes a closed day.",
    )
    submit = SubmitField("Import closures")
