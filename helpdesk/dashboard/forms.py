from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from helpdesk.forms_common import single_line


class FilterForm(FlaskForm):
    """The dashboard's filters: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    term = SelectField("Term", coerce=int, validate_choice=False)
    school = SelectField("School", coerce=int, validate_choice=False)


class TermForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=80), single_line],
        description="As the board says it, e.g. “Fall 2026”.",
    )
    starts_on = DateField("First day", validators=[DataRequired()])
    ends_on = DateField("Last day", validators=[DataRequired()])
