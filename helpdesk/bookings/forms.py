from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from helpdesk.bookings.models import BookingFormat
from helpdesk.forms_common import clean_request_key, multi_line, single_line
from helpdesk.safeguarding.validators import NoContactDetails, allowed_meeting_link

# A teacher writes these to a student mentor (helpdesk.safeguarding).
IN_SESSION_REQUESTS = NoContactDetails("session requests")

# The longest subject a topic makes ("Reminder: <topic> <when>") stays within the outbox's 200.
TOPIC_MAX = 140


class BookingForm(FlaskForm):
    mentor_id = HiddenField()
    skill_id = HiddenField()
    starts_at = HiddenField()
    minutes = HiddenField()
    request_key = HiddenField(filters=[clean_request_key])
    topic = StringField(
        "Topic",
        validators=[
            DataRequired(message="Say in a few words what the session is about."),
            Length(max=TOPIC_MAX),
            single_line,
            IN_SESSION_REQUESTS,
        ],
        description="Filled in from the topic you chose; change it if you like, e.g. "
        "Sharing a Google Doc with my class.",
    )
    learning_goal = TextAreaField(
        "What do you want to learn?",
        validators=[
            DataRequired(message="Every session needs a learning goal."),
            Length(max=2000),
            multi_line,
            IN_SESSION_REQUESTS,
        ],
        description="Your learning goal: what you want to be able to do after the session.",
    )
    format = RadioField(
        "Where",
        choices=[SelectChoice(f.value, f.label) for f in BookingFormat],
        default=BookingFormat.IN_PERSON.value,
        validators=[DataRequired()],
    )
    # No Optional(): it would stop the chain before validate_room could ask for a room.
    room = StringField(
        "Room (in person)",
        validators=[Length(max=80), single_line, IN_SESSION_REQUESTS],
        description="A room at school, e.g. Library or Room 214.",
    )
    meeting_url = URLField(
        "Meeting link (online)",
        validators=[Length(max=500)],
        description="A link on a meeting service the district allows, e.g. Google Meet, "
        "Teams or Zoom.",
    )
    notes = TextAreaField(
        "Anything else the mentor should know (optional)",
        validators=[Length(max=2000), multi_line, IN_SESSION_REQUESTS],
    )
    agrees_to_norms = BooleanField("I agree to the program norms")
    submit = SubmitField("Request this session")
    # Set by the view: a first session with this mentor needs the norms agreed.
    requires_norms = False

    def limit_formats(self, in_person: bool, online: bool) -> None:
        """Offer only the formats the mentor meets in (both if their profile says neither)."""
        offered = [
            f
            for f in BookingFormat
            if (f is BookingFormat.IN_PERSON and in_person)
            or (f is BookingFormat.ONLINE and online)
        ] or list(BookingFormat)
        self.format.choices = [SelectChoice(f.value, f.label) for f in offered]
        if self.format.data not in {f.value for f in offered}:
            self.format.data = offered[0].value

    def validate_agrees_to_norms(self, field) -> None:
        if self.requires_norms and not field.data:
            raise ValidationError(
                "Agree to the program norms before your first session with this mentor."
            )

    def error_summary(self) -> list[tuple[str, str]]:
        """Every field's errors, in the page's order, each with the id of the input to go to."""
        summary = []
        for name in ("topic", "learning_goal", "format", "room", "meeting_url", "notes",
                     "agrees_to_norms"):  # fmt: skip
            field = self[name]
            target = f"{field.id}-0" if name == "format" else field.id
            summary.extend((target, error) for error in field.errors)
        return summary

    def validate_room(self, field) -> None:
        if self.format.data == BookingFormat.IN_PERSON.value and not (field.data or "").strip():
            raise ValidationError("Say which room you will meet in.")

    def validate_meeting_url(self, field) -> None:
        # Only an online session keeps its link; a leftover one is dropped, so not judged.
        if self.format.data == BookingFormat.ONLINE.value:
            if not (field.data or "").strip():
                raise ValidationError("Give the meeting link, starting with https://.")
            allowed_meeting_link(self, field)


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        validators=[
            DataRequired(message="Give a reason."),
            Length(max=1000),
            multi_line,
            NoContactDetails("reasons", advisor_exempt=True),
        ],
    )
    submit = SubmitField("Confirm")


class ReassignForm(FlaskForm):
    mentor_id = SelectField("Give this session to", coerce=int)
    submit = SubmitField("Reassign")
