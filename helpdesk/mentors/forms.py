from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from helpdesk.forms_common import multi_line
from helpdesk.mentors.models import SkillLevel
from helpdesk.safeguarding.validators import NoContactDetails

LEVEL_CHOICES = [SelectChoice(0, "Not offered")] + [
    SelectChoice(level.value, level.label) for level in SkillLevel
]


class ProfileForm(FlaskForm):
    bio = TextAreaField(
        "About me",
        validators=[Length(max=500), multi_line, NoContactDetails("profiles")],
        description="A sentence or two that teachers see. "
        "No phone numbers, addresses or social media handles.",
    )
    story = TextAreaField(
        "My story",
        validators=[Length(max=2000), multi_line, NoContactDetails("profile stories")],
        description="How you got into technology, and what you like helping with.",
    )
    weekly_cap = IntegerField(
        "Most sessions I take per week",
        validators=[Optional(), NumberRange(min=0, max=20)],
        description="Leave empty to use the program's limit.",
    )
    offers_in_person = BooleanField("I can meet in person")
    offers_online = BooleanField("I can meet online")
    is_recognition_public = BooleanField(
        "Show me on the recognition page",
        description="Your milestones (first session, 10 sessions, 25 hours, a most helpful tip) "
        "and the thanks teachers share, with your first name and last initial.",
    )
    submit = SubmitField("Save profile")


def profile_form_class(skills) -> type[ProfileForm]:
    """The profile form with one level choice per skill in the taxonomy."""
    fields = {
        f"skill_{skill.id}": SelectField(
            skill.name, choices=LEVEL_CHOICES, coerce=int, default=0, description=skill.category
        )
        for skill in skills
    }
    return type("MentorProfileForm", (ProfileForm,), fields)
