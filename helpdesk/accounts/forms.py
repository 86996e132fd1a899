from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from helpdesk.accounts.passwords import MAX_LENGTH, PasswordRuleError, check_password_rules
from helpdesk.forms_common import single_line


def _password_rules(_form, field) -> None:
    try:
        check_password_rules(field.data or "")
    except PasswordRuleError as exc:
        raise ValidationError(str(exc)) from exc


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254), single_line])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField("Keep me signed in on this device for 30 days")
    next = HiddenField()
    submit = SubmitField("Sign in")


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), _password_rules],
        description="At least 8 characters. A passphrase of several words is easy to remember.",
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )
    submit = SubmitField("Save password")


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254), single_line])
    submit = SubmitField("Email me a reset link")


class CodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app",
        validators=[DataRequired(), Length(max=16), single_line],
        description="Six digits; a new code appears every 30 seconds.",
    )
    submit = SubmitField("Verify")


class RecoveryCodeForm(FlaskForm):
    code = StringField(
        "Recovery code",
        validators=[DataRequired(), Length(max=32), single_line],
        description="One of the codes you saved when you set up two-step sign-in (like "
        "k7m2q-x9c4h). Each works once.",
    )
    submit = SubmitField("Sign in")


class PasswordAndCodeForm(CodeForm):
    """Changing two-step sign-in asks for both factors again."""

    password = PasswordField("Your password", validators=[DataRequired(), Length(max=MAX_LENGTH)])


class ConfirmForm(FlaskForm):
    """An empty form: a CSRF-protected button."""

    submit = SubmitField("Confirm")
