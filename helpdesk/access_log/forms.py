from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from helpdesk.access_log.models import AccessAction
from helpdesk.forms_common import single_line


def _stripped(value: str | None) -> str | None:
    return value.strip() if value else value


class LogFilterForm(FlaskForm):
    """The access log's filters, read from the query string."""

    class Meta:
        csrf = False  # a filter is a GET that changes nothing

    person = StringField(
        "About (name or email)",
        validators=[Optional(), Length(max=100), single_line],
        filters=[_stripped],
    )
    done_by = StringField(
        "Done by (name or email)",
        validators=[Optional(), Length(max=100), single_line],
        filters=[_stripped],
    )
    action = SelectField(
        "What",
        choices=[SelectChoice("", "Anything")]
        + [SelectChoice(a.value, a.label) for a in AccessAction],
        validators=[Optional()],
    )
    start_on = DateField("From", validators=[Optional()])
    end_on = DateField("To", validators=[Optional()])
    person_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])

    def validate_end_on(self, field) -> None:
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError("The end date is before the start date.")
