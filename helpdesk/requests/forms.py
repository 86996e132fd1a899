from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from helpdesk.forms_common import clean_request_key, multi_line, single_line
from helpdesk.requests.models import DETAILS_MAX, MESSAGE_MAX, Urgency
from helpdesk.safeguarding.validators import NoContactDetails

# Read by student mentors: no contact details (helpdesk.safeguarding).
IN_REQUESTS = NoContactDetails("help requests")
# The advisor's own messages and reasons may carry them: they are the program's contact.
IN_MESSAGES = NoContactDetails("messages", advisor_exempt=True)
IN_REASONS = NoContactDetails("reasons", advisor_exempt=True)


class RequestForm(FlaskForm):
    request_key = HiddenField(filters=[clean_request_key])
    skill_id = SelectField(
        "Topic", coerce=int, validators=[DataRequired(message="Choose a topic.")]
    )
    summary = StringField(
        "What is wrong, in a few words",
        validators=[
            DataRequired(message="Say in a few words what is wrong."),
            # 140: "Help request #<id> for IT: <summary>" stays a 200-character subject,
            # and the summary fits a session's topic when a mentor suggests one.
            Length(max=140),
            single_line,
            IN_REQUESTS,
        ],
        description="e.g. My projector won't mirror my laptop.",
    )
    details = TextAreaField(
        "More detail (optional)",
        validators=[Length(max=DETAILS_MAX), multi_line, IN_REQUESTS],
        description="What you tried, any error message, what you need it to do.",
    )
    device = StringField(
        "Device",
        validators=[Length(max=80), single_line, IN_REQUESTS],
        description="e.g. Chromebook, iPad, classroom projector.",
    )
    urgency = RadioField(
        "How urgent is it?",
        choices=[SelectChoice(u.value, u.label) for u in Urgency],
        default=Urgency.WEEK.value,
        validators=[DataRequired()],
    )
    room = StringField("Room", validators=[Length(max=80), single_line, IN_REQUESTS])
    around = StringField(
        "When you are around",
        validators=[Length(max=200), single_line, IN_REQUESTS],
        description="e.g. Period 4 and after school on Tuesdays.",
    )
    screenshot = FileField(
        "Screenshot (optional)",
        description="A PNG or JPEG picture, at most 5 MB. Only you, your mentor and the advisor see it.",
    )
    submit = SubmitField("Ask for help")


class MessageForm(FlaskForm):
    body = TextAreaField(
        "Your answer",
        validators=[
            DataRequired(message="Write a message first."),
            Length(max=MESSAGE_MAX),
            multi_line,
            IN_MESSAGES,
        ],
    )
    submit = SubmitField("Send")


class ReasonForm(FlaskForm):
    reason = TextAreaField("Why", validators=[Optional(), Length(max=1000), multi_line, IN_REASONS])
    submit = SubmitField("Confirm")


class ResolveForm(FlaskForm):
    # Shape only: the advisor's cap (hours settings) is checked by the ledger when it records.
    minutes = IntegerField(
        "Time you spent (minutes)",
        validators=[
            Optional(),
            NumberRange(min=0, max=480, message="Time spent is a whole number of minutes."),
        ],
        description="Counts toward your service hours once the advisor verifies it.",
    )
    submit = SubmitField("Mark resolved")


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        "What is still wrong?",
        validators=[
            DataRequired(message="Say what is still wrong."),
            Length(max=1000),
            multi_line,
            IN_REASONS,
        ],
    )
    submit = SubmitField("Reopen")


class ScreenshotForm(FlaskForm):
    screenshot = FileField(
        "Add a screenshot",
        validators=[DataRequired(message="Choose a picture to attach.")],
        description="A PNG or JPEG picture, at most 5 MB.",
    )
    submit = SubmitField("Attach")


class DeskSettingsForm(FlaskForm):
    first_response_hours = IntegerField(
        "First answer within (school hours)",
        validators=[InputRequired(), NumberRange(min=1, max=200)],
        description="School hours run from the first bell to the last on open days.",
    )
    resolution_hours = IntegerField(
        "Resolved within (school hours)", validators=[InputRequired(), NumberRange(min=1, max=400)]
    )
    it_email = EmailField(
        "District IT address",
        validators=[
            Optional(),
            single_line,
            Email(message="Give an email address."),
            Length(max=254),
        ],
        description="Escalated requests are emailed here.",
    )
    submit = SubmitField("Save settings")
