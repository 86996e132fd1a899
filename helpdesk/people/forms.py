from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import EmailField, IntegerField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from helpdesk.accounts.models import Role
from helpdesk.forms_common import single_line


class InviteForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), single_line, Email(), Length(max=254)])
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=120), single_line])
    role = SelectField("Role", choices=[SelectChoice(r.value, r.label) for r in Role])
    school_id = SelectField("School", coerce=int)
    grade = IntegerField(
        "Grade",
        validators=[Optional(), NumberRange(min=1, max=12)],
        description="Student mentors only: their grade, 1 to 12.",
    )
    class_of = IntegerField(
        "Class of",
        validators=[Optional(), NumberRange(min=2000, max=2100)],
        description="Student mentors only, optional: the year they graduate.",
    )
    submit = SubmitField("Send invitation")

    def validate_grade(self, field) -> None:
        if self.role.data == Role.MENTOR.value and field.data is None:
            raise ValidationError("A student mentor needs a grade.")


class ImportForm(FlaskForm):
    file = FileField(
        "CSV file",
        validators=[
            FileRequired(),
            FileAllowed(["csv"], "Choose a .csv file."),
            FileSize(max_size=1024 * 1024, message="The file may be at most 1 MB."),
        ],
        description="Columns: email, name, role, school, and grade for mentors "
        "(class_of, their graduation year, is optional). "
        "One person per row; the first row names the columns.",
    )
    submit = SubmitField("Import and send invitations")


class AnonymizeForm(FlaskForm):
    """Anonymizing a class cannot be undone: the advisor types the year back to confirm."""

    class_of = IntegerField(
        "Class of", validators=[DataRequired(), NumberRange(min=2000, max=2100)]
    )
    confirmation = StringField(
        "Type ANONYMIZE and the year to confirm",
        validators=[DataRequired(message="Type the confirmation."), single_line, Length(max=40)],
    )
    submit = SubmitField("Anonymize")

    def validate_confirmation(self, field) -> None:
        expected = f"ANONYMIZE {self.class_of.data}"
        if " ".join((field.data or "").split()) != expected:
            raise ValidationError(f"Type {expected} exactly, in capitals.")


class ClassOfForm(FlaskForm):
    class_of = IntegerField(
        "Class of",
        validators=[Optional(), NumberRange(min=2000, max=2100, message="A year like 2027.")],
        description="The year they graduate; leave empty if not known.",
    )
    submit = SubmitField("Save")
