from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError

from helpdesk.forms_common import plausible_date


class FindForm(FlaskForm):
    class Meta:
        csrf = False  # a search is a GET that changes nothing

    skill_id = SelectField(
        "Topic", coerce=int, validators=[InputRequired(message="Choose a topic.")]
    )
    start = DateField("From", validators=[Optional(), plausible_date])
    end = DateField("Until", validators=[Optional(), plausible_date])
    school_id = SelectField("Mentor's school", coerce=int, validators=[Optional()])
    minutes = SelectField("Session length", coerce=int)
    online_only = BooleanField("Online only")
    free_only = BooleanField(
        "Times I'm free",
        description="Only times inside the free periods you set (account menu → Times I'm free).",
    )
    submit = SubmitField("Find mentors")

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("The end date must be on or after the start date.")
