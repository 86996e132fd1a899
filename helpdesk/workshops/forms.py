from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from helpdesk.bookings.models import BookingFormat
from helpdesk.forms_common import multi_line, single_line
from helpdesk.safeguarding.validators import NoContactDetails, allowed_meeting_link
from helpdesk.workshops.services import MAX_SEATS

# Mentors write these for teachers to read (helpdesk.safeguarding).
IN_WORKSHOPS = NoContactDetails("workshops")


class WorkshopForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            DataRequired(message="Give the workshop a title."),
            Length(max=140),
            single_line,
            IN_WORKSHOPS,
        ],
        description="e.g. Google Forms quizzes in 30 minutes.",
    )
    skill_id = SelectField("Topic", coerce=int, validators=[DataRequired()])
    description = TextAreaField(
        "What teachers will learn",
        validators=[
            DataRequired(message="Say what teachers will learn."),
            Length(max=3000),
            multi_line,
            IN_WORKSHOPS,
        ],
    )
    day = DateField("Day", validators=[InputRequired(message="Choose the day.")])
    starts = TimeField("Starts", validators=[InputRequired(message="Choose a start time.")])
    ends = TimeField("Ends", validators=[InputRequired(message="Choose an end time.")])
    format = RadioField(
        "Where",
        choices=[SelectChoice(f.value, f.label) for f in BookingFormat],
        default=BookingFormat.IN_PERSON.value,
        validators=[DataRequired()],
    )
    room = StringField(
        "Room (in person)",
        validators=[Length(max=80), single_line, IN_WORKSHOPS],
        description="A supervised room at school, e.g. Library.",
    )
    meeting_url = URLField(
        "Meeting link (online)",
        validators=[Length(max=500)],
        description="A link on a meeting service the district allows, e.g. Google Meet, "
        "Teams or Zoom.",
    )
    seats = IntegerField(
        "Seats",
        default=12,
        validators=[
            InputRequired(message="Say how many teachers can come."),
            NumberRange(min=1, max=MAX_SEATS, message=f"Offer between 1 and {MAX_SEATS} seats."),
        ],
    )
    mentor_ids = SelectMultipleField("Mentors running it", coerce=int)

    def validate_room(self, field) -> None:
        if self.format.data == BookingFormat.IN_PERSON.value and not (field.data or "").strip():
            raise ValidationError("Say which room you will meet in.")

    def validate_meeting_url(self, field) -> None:
        if self.format.data == BookingFormat.ONLINE.value:
            if not (field.data or "").strip():
                raise ValidationError("Give the meeting link, starting with https://.")
            allowed_meeting_link(self, field)

    def validate_ends(self, field) -> None:
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError("The workshop must end after it starts.")


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        validators=[
            DataRequired(message="Give a reason."),
            Length(max=1000),
            multi_line,
            NoContactDetails("reasons", advisor_exempt=True),
        ],
    )


class SeatsForm(FlaskForm):
    seats = IntegerField(
        "Seats",
        validators=[
            InputRequired(message="Say how many seats."),
            NumberRange(min=1, max=MAX_SEATS, message=f"Offer between 1 and {MAX_SEATS} seats."),
        ],
    )


class AttendanceForm(FlaskForm):
    attended = SelectMultipleField("Who came", coerce=int, validate_choice=False)
