from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SubmitField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import HiddenInput


class ItemForm(FlaskForm):
    """The advisor's Hide / Show again button: which mentor's item."""

    mentor_id = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    item = HiddenField(validators=[DataRequired(), Length(max=40)])


class ShareForm(FlaskForm):
    """An empty form: the teacher's CSRF-protected Share / Stop sharing button."""

    submit = SubmitField("Share")
