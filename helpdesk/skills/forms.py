from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from helpdesk.forms_common import multi_line, single_line


class SkillForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=80), single_line])
    category = StringField(
        "Category",
        validators=[Length(max=60), single_line],
        description="e.g. Web, Video, Devices",
    )
    description = TextAreaField("Short description", validators=[Length(max=500), multi_line])
    submit = SubmitField("Save skill")


class MergeForm(FlaskForm):
    source_id = SelectField("Merge this skill", coerce=int)
    target_id = SelectField("into this skill", coerce=int)
    submit = SubmitField("Merge")


class HelpRequestRulesForm(FlaskForm):
    """Who may take help requests on a topic (saved by the help desk, requests.topic_rules)."""

    required_level = SelectField(
        "Mentor level needed to claim",
        coerce=int,
        choices=[
            SelectChoice(0, "Any mentor"),
            SelectChoice(1, "Can help"),
            SelectChoice(2, "Confident"),
            SelectChoice(3, "Expert"),
        ],
        description="A mentor below this level for the topic cannot claim its help requests.",
    )
    is_escalate_only = BooleanField(
        "Adult IT only (accounts, passwords, student records): students never claim these"
    )
    submit = SubmitField("Save help-request rules")
