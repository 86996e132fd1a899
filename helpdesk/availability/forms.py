from datetime import UTC, datetime

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from helpdesk.formatting import local_time
from helpdesk.forms_common import plausible_date, single_line
from helpdesk.locale import LOCALES

_SAMPLE = datetime(2026, 12, 3, 15, 45, tzinfo=UTC)


def locale_choices() -> list[SelectChoice]:
    """Each locale named with the way it writes a time: "English (United States): Thu, Dec 3…"."""
    return [
        SelectChoice(code, f"{name}: {local_time(_SAMPLE, 'America/New_York', code)}")
        for code, name in LOCALES.items()
    ]


WEEKDAY_CHOICES = [
    SelectChoice(n, name) for n, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri"))
]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PeriodWindowForm(FlaskForm):
    period_name = SelectField("Period", validators=[DataRequired()])
    day_type_id = SelectField(
        "On which days", coerce=int, description="A rotation day (A or B days), or every day."
    )
    weekdays = CheckboxesField(
        "Only on these weekdays",
        coerce=int,
        choices=WEEKDAY_CHOICES,
        description="Leave all unticked for every weekday.",
    )
    submit = SubmitField("Add period")


class TimeWindowForm(FlaskForm):
    start_time = TimeField("From", validators=[InputRequired()])
    end_time = TimeField("Until", validators=[InputRequired()])
    day_type_id = SelectField("On which days", coerce=int)
    weekdays = CheckboxesField(
        "Only on these weekdays",
        coerce=int,
        choices=WEEKDAY_CHOICES,
        description="Leave all unticked for every weekday.",
    )
    submit = SubmitField("Add times")

    def validate_end_time(self, field) -> None:
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError("The end time must be after the start time.")


class ExtraWindowForm(FlaskForm):
    on = DateField("Date", validators=[InputRequired(), plausible_date])
    start_time = TimeField("From", validators=[InputRequired()])
    end_time = TimeField("Until", validators=[InputRequired()])
    submit = SubmitField("Add extra time")

    def validate_end_time(self, field) -> None:
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError("The end time must be after the start time.")


class TimeOffForm(FlaskForm):
    starts_on = DateField("First day off", validators=[InputRequired(), plausible_date])
    ends_on = DateField("Last day off", validators=[InputRequired(), plausible_date])
    note = StringField("Note (optional)", validators=[Length(max=120), single_line])
    submit = SubmitField("Add time off")

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The last day must be on or after the first day.")


class SettingsForm(FlaskForm):
    session_lengths = StringField(
        "Session lengths offered (minutes)",
        validators=[DataRequired(), Length(max=60), single_line],
        description="Separate with commas, e.g. 20, 30, 45.",
    )
    buffer_minutes = IntegerField(
        "Buffer between a mentor's sessions (minutes)",
        validators=[InputRequired(), NumberRange(min=0, max=120)],
    )
    min_notice_hours = IntegerField(
        "Minimum notice (hours)", validators=[InputRequired(), NumberRange(min=0, max=24 * 14)]
    )
    horizon_days = IntegerField(
        "Booking horizon (days ahead)", validators=[InputRequired(), NumberRange(min=1, max=180)]
    )
    weekly_cap = IntegerField(
        "Most sessions a mentor takes per week",
        validators=[InputRequired(), NumberRange(min=1, max=40)],
    )
    locale = SelectField(
        "How dates and times are written",
        choices=locale_choices,
        description="For every page and email in the district; each school keeps its time zone.",
    )
    submit = SubmitField("Save settings")

    def validate_session_lengths(self, field) -> None:
        parts = [p.strip() for p in field.data.split(",") if p.strip()]
        # isascii: "²".isdigit() is True, but int() refuses it
        if not parts or not all(p.isascii() and p.isdigit() and 10 <= int(p) <= 120 for p in parts):
            raise ValidationError("Use whole minutes between 10 and 120, separated by commas.")

    @property
    def lengths(self) -> list[int]:
        return [int(p) for p in self.session_lengths.data.split(",") if p.strip()]
