from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError


class FindForm(FlaskForm):
    class Meta:
        csrf = False  # a search is a GET that changes nothing

    skill_id = SelectField(
        "Topic", coerce=int, validators=[InputRequired(message="Choose a topic.")]
    )
    start = DateField("From", validators=[Optional()])
    end = DateField("Until", validators=[Optional()])
    school_id = SelectField("Mentor's school", coerce=int, validators=[Optional()])
    minutes = SelectField("Session length", coerce=int)
    online_only = BooleanField("Online only")
    submit = SubmitField("Find mentors")

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("The end date must be on or after the start date.")
