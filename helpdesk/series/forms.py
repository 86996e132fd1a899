"""The series form: the one-off booking form's words (topic, goal, place: the same fields and
safeguarding checks), plus who, the pattern and how long it runs."""

from datetime import datetime

from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SubmitField,
    TimeField,
)
from wtforms.validators import NumberRange, Optional

from helpdesk.bookings.forms import BookingForm
from helpdesk.forms_common import EARLIEST_DATE, LATEST_DATE
from helpdesk.series.expansion import MAX_OCCURRENCES, Pattern
from helpdesk.series.models import WEEKDAY_NAMES

KINDS = [
    SelectChoice("period", "A bell period on a day type (e.g. every A day, Period 4)"),
    SelectChoice("weekday", "A weekday at a time (e.g. Tuesdays at 3:15 PM)"),
]
ENDS = [
    SelectChoice("until", "Until a date"),
    SelectChoice("count", "For a number of weeks or dates"),
]


class SeriesForm(BookingForm):
    teacher_id = SelectField("Teacher", coerce=int, validate_choice=False)
    mentor_id = SelectField("Mentor", coerce=int, validate_choice=False)
    skill_id = SelectField("Topic area", coerce=int)
    kind = RadioField("Repeats on", choices=KINDS, default="period")
    day_type = SelectField("Day type", default="")
    period = SelectField("Period", default="", validate_choice=False)
    weekday = SelectField(
        "Weekday",
        choices=[SelectChoice(str(n), WEEKDAY_NAMES[n]) for n in range(5)],
        default="1",
    )
    at = TimeField("Time", validators=[Optional()], description="School time, e.g. 3:15 PM.")
    minutes = SelectField("Length", coerce=int, validate_choice=False)
    starts_on = DateField("First date", validators=[Optional()])
    ends = RadioField("Runs", choices=ENDS, default="until")
    until = DateField(
        "Last date", validators=[Optional()], description="Never past the end of the term."
    )
    count = IntegerField(
        "How many",
        validators=[Optional(), NumberRange(min=1, max=MAX_OCCURRENCES)],
        description=f"Weeks for a weekday series, dates for a day-type series; at most "
        f"{MAX_OCCURRENCES}.",
    )
    preview = SubmitField("Show the dates")
    confirm = SubmitField("Request these sessions")
    # The dates the person saw as bookable: confirming books those only.
    confirmed = HiddenField()
    asks_norms = False  # set by the view: show the norms while the pair is not known yet

    def validate(self, extra_validators=None) -> bool:
        """The fields each pattern needs: Optional() lets an empty date or time through (and
        stops any inline check), so what the chosen pattern requires is asked for here."""
        valid = super().validate(extra_validators)
        missing = []
        if self.kind.data == "period" and not self.period.data:
            missing.append((self.period, "Choose a period."))
        if self.kind.data == "weekday" and self.at.data is None and not self.at.errors:
            missing.append((self.at, "Give the time, e.g. 3:15 PM."))
        if self.starts_on.data is None and not self.starts_on.errors:
            missing.append((self.starts_on, "Give the first date."))
        elif self.starts_on.data and not EARLIEST_DATE <= self.starts_on.data <= LATEST_DATE:
            missing.append((self.starts_on, "Give a date of this school year."))
        if self.ends.data == "until":
            until = self.until.data
            if until is None and not self.until.errors:
                missing.append((self.until, "Give the last date."))
            elif until and not EARLIEST_DATE <= until <= LATEST_DATE:
                missing.append((self.until, "Give a date of this school year."))
            elif until and self.starts_on.data and until < self.starts_on.data:
                missing.append((self.until, "The last date must be on or after the first."))
        if self.ends.data == "count" and self.count.data is None and not self.count.errors:
            missing.append((self.count, "Say how many."))
        for field, message in missing:
            field.errors = [*field.errors, message]
        return valid and not missing

    def pattern(self) -> Pattern:
        is_period = self.kind.data == "period"
        return Pattern(
            minutes=self.minutes.data,
            starts_on=self.starts_on.data,
            until=self.until.data if self.ends.data == "until" else None,
            count=self.count.data if self.ends.data == "count" else None,
            period=self.period.data if is_period else None,
            day_type=(self.day_type.data or None) if is_period else None,
            weekday=None if is_period else int(self.weekday.data),
            at=None if is_period else self.at.data,
        )

    def confirmed_starts(self) -> set[datetime] | None:
        """The instants shown as bookable in the preview, or None when none were sent."""
        raw = (self.confirmed.data or "").split()
        if not raw:
            return None
        found = set()
        for value in raw:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                continue
            if moment.tzinfo is not None and EARLIEST_DATE <= moment.date() <= LATEST_DATE:
                found.add(moment)
        return found

    def error_summary(self) -> list[tuple[str, str]]:
        summary = []
        for name in ("teacher_id", "mentor_id", "skill_id", "kind", "day_type", "period",
                     "weekday", "at", "minutes", "starts_on", "ends", "until", "count", "topic",
                     "learning_goal", "format", "room", "meeting_url", "notes",
                     "agrees_to_norms"):  # fmt: skip
            field = self[name]
            target = f"{field.id}-0" if name in ("format", "kind", "ends") else field.id
            summary.extend((target, error) for error in field.errors)
        return summary
