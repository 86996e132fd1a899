from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from helpdesk.forms_common import multi_line, single_line
from helpdesk.safeguarding.validators import NoContactDetails
from helpdesk.tips.models import BODY_MAX, DEVICES, TITLE_MAX


class TipForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired(), Length(max=TITLE_MAX), single_line, NoContactDetails("tips")],
        description="What a teacher would search for, e.g. “Share a Google Doc so students "
        "can comment”.",
    )
    body = TextAreaField(
        "The tip",
        validators=[DataRequired(), Length(max=BODY_MAX), multi_line, NoContactDetails("tips")],
        description="Steps in Markdown: lists with 1. or -, **bold**, `code`, [links](https://…). "
        "No names of students or classes, and no phone numbers, email addresses or handles.",
    )
    skills = SelectMultipleField("Skills", coerce=int, validators=[DataRequired()])
    devices = SelectMultipleField(
        "Devices",
        choices=[SelectChoice(d.slug, d.label) for d in DEVICES],
        validators=[DataRequired(message="Choose at least one device.")],
    )
    submit = SubmitField("Save draft")


class ReturnForm(FlaskForm):
    comment = TextAreaField(
        "What should change?",
        validators=[DataRequired(message="Say what to change."), Length(max=2000), multi_line],
        description="The author sees this with the returned tip.",
    )
    submit = SubmitField("Return to the author")


class SynonymsForm(FlaskForm):
    groups = TextAreaField(
        "Other words for the same thing",
        validators=[Length(max=40_000), multi_line],
        description="One group per line, words or phrases separated by commas, e.g. "
        "“wifi, wi-fi, wireless”. A search for any of them also finds the others, "
        "below tips that use the word searched for.",
    )
    submit = SubmitField("Save the list")
