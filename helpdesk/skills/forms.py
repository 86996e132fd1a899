from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class SkillForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    category = StringField(
        "Category", validators=[Length(max=60)], description="e.g. Web, Video, Devices"
    )
    description = TextAreaField("Short description", validators=[Length(max=500)])
    submit = SubmitField("Save skill")


class MergeForm(FlaskForm):
    source_id = SelectField("Merge this skill", coerce=int)
    target_id = SelectField("into this skill", coerce=int)
    submit = SubmitField("Merge")
