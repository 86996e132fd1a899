from flask_wtf import FlaskForm
from wtforms import SubmitField


class RetryForm(FlaskForm):
    """The retry button: an empty, CSRF-protected form."""

    submit = SubmitField("Retry")
