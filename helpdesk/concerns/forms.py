from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from helpdesk.concerns.models import DESCRIPTION_MAX, NOTE_MAX, Category, ConcernStatus
from helpdesk.forms_common import clean_request_key, multi_line


class ConcernForm(FlaskForm):
    request_key = HiddenField(filters=[clean_request_key])
    category = RadioField(
        "What is it about?",
        choices=[SelectChoice(c.value, c.label) for c in Category],
        validators=[DataRequired(message="Choose what it is about.")],
    )
    description = TextAreaField(
        "What happened",
        validators=[
            DataRequired(message="Say what happened, in your own words."),
            Length(max=DESCRIPTION_MAX),
            multi_line,
        ],
        description=f"In your own words: what happened, and when. At most {DESCRIPTION_MAX:,} "
        "characters.",
    )
    name_withheld = BooleanField(
        "Ask that my name is kept from the person this is about",
        description="The person this is about never sees the concern. If it is raised with "
        "them, this asks that your name is not mentioned. Whoever reads it still sees who you are.",
    )


class StatusForm(FlaskForm):
    # The status the page showed: a change made meanwhile by someone else is not overwritten.
    expected = HiddenField()
    to = HiddenField()  # sent by the button pressed
    note = TextAreaField(
        "Note",
        validators=[Optional(), Length(max=NOTE_MAX), multi_line],
        description="Required to close (the outcome) or to reopen (why). Kept in the history.",
    )

    def statuses(self) -> tuple[ConcernStatus, ConcernStatus] | None:
        """(expected, to) as sent, or None when either is not a status."""
        try:
            return ConcernStatus(self.expected.data), ConcernStatus(self.to.data)
        except ValueError:
            return None


class ContactForm(FlaskForm):
    contact_id = SelectField(
        "Safeguarding contact",
        coerce=int,
        description="An adult on staff who receives and reads concerns with you, such as the "
        "school's designated safeguarding lead or a counselor.",
    )
