from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    HiddenField,
    IntegerField,
    SelectChoice,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from helpdesk.availability.forms import CheckboxesField
from helpdesk.forms_common import plausible_date, single_line
from helpdesk.hours.models import REASON_MAX, TITLE_MAX, EntryKind, EntryStatus
from helpdesk.safeguarding.validators import NoContactDetails

# The advisor writes these for students to read in their ledger and on certificates.
IN_HOURS = NoContactDetails("hours entries")
KIND_CHOICES = [SelectChoice(kind.value, kind.label) for kind in EntryKind]


class DecisionForm(FlaskForm):
    """Verify, adjust or reject one entry; `version` is what the advisor saw."""

    version = HiddenField(validators=[DataRequired()])
    minutes = IntegerField(
        "Minutes to count",
        validators=[Optional(), NumberRange(min=0, max=1440, message="Minutes are 0 to 1,440.")],
    )
    reason = StringField(
        "Reason",
        validators=[Length(max=REASON_MAX), single_line, IN_HOURS],
        description="Required to adjust or reject; the person sees it.",
    )


class BulkApproveForm(FlaskForm):
    submit = SubmitField("Verify the selected entries")


class ManualEntryForm(FlaskForm):
    people = CheckboxesField("Who took part", coerce=int)
    title = StringField(
        "Activity",
        validators=[
            DataRequired(message="Give the activity a title."),
            Length(max=TITLE_MAX),
            single_line,
            IN_HOURS,
        ],
        description="e.g. Tech club meeting, Chromebook repair training.",
    )
    description = StringField(
        "Description (optional)",
        validators=[Length(max=REASON_MAX), single_line, IN_HOURS],
        description="What was done; a CTLE certificate prints it.",
    )
    occurred_on = DateField(
        "Date", validators=[InputRequired(message="Give the date."), plausible_date]
    )
    minutes = IntegerField(
        "Minutes",
        validators=[
            InputRequired(message="Give the minutes."),
            NumberRange(min=1, max=1440, message="Minutes are 1 to 1,440."),
        ],
    )
    submit = SubmitField("Record verified hours")


class HoursSettingsForm(FlaskForm):
    service_target_hours = IntegerField(
        "Service-learning target (hours)",
        validators=[InputRequired(), NumberRange(min=1, max=1000)],
        description="New York's Seal of Civic Readiness: 25 hours of service learning.",
    )
    extracurricular_target_hours = IntegerField(
        "Extracurricular target (hours)",
        validators=[InputRequired(), NumberRange(min=1, max=1000)],
        description="Or 40 hours of extracurricular participation.",
    )
    service_kinds = CheckboxesField("Kinds that count as service learning", choices=KIND_CHOICES)
    pd_kinds = CheckboxesField("Kinds that count as teachers' PD (CTLE)", choices=KIND_CHOICES)
    pd_designated = BooleanField("The district has designated this program for CTLE hours")
    help_request_cap_minutes = IntegerField(
        "Most minutes a mentor may claim for one help request",
        validators=[InputRequired(), NumberRange(min=1, max=480)],
    )
    district_name = StringField("District", validators=[Length(max=120), single_line])
    sponsor_name = StringField("CTLE sponsor name", validators=[Length(max=120), single_line])
    sponsor_number = StringField("CTLE sponsor number", validators=[Length(max=40), single_line])
    signer_name = StringField(
        "Signed by",
        validators=[Length(max=120), single_line],
        description="Leave empty to print the name of the advisor who issues it.",
    )
    signer_title = StringField("Their title", validators=[Length(max=120), single_line])
    submit = SubmitField("Save settings")


class IssueForm(FlaskForm):
    submit = SubmitField("Issue a certificate")


class RevokeForm(FlaskForm):
    reason = StringField(
        "Why revoke it",
        validators=[DataRequired(message="Say why."), Length(max=REASON_MAX), single_line],
    )
    submit = SubmitField("Revoke")


class VerifyForm(Form):
    """A GET lookup that changes nothing: a plain form, no CSRF token in the link."""

    code = StringField(
        "Verification code",
        validators=[
            DataRequired(message="Type the code printed on the certificate."),
            Length(max=40),
        ],
        description="16 letters and digits, as printed under the QR code, e.g. 7K3M-Q9TX-2B8C-D4EF.",
    )


STATUS_CHOICES = [SelectChoice("", "Any status")] + [
    SelectChoice(s.value, s.label) for s in EntryStatus
]
