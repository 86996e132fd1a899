from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from helpdesk.forms_common import multi_line, single_line
from helpdesk.safeguarding.validators import NoContactDetails

# Each side reads the other's: a student mentor and an adult (helpdesk.safeguarding).
IN_NOTES = NoContactDetails("session notes")
IN_REFLECTIONS = NoContactDetails("reflections")


class CompleteForm(FlaskForm):
    outcome = RadioField(
        "How did it go?",
        choices=[
            SelectChoice("completed", "We met: the session happened"),
            SelectChoice("no_show", "No-show: the teacher did not come"),
        ],
        default="completed",
        validators=[DataRequired()],
    )
    covered = TextAreaField("What was covered", validators=[Length(max=3000), multi_line, IN_NOTES])
    steps = TextAreaField(
        "The steps, so the teacher can repeat them",
        validators=[Length(max=5000), multi_line, IN_NOTES],
    )
    links = TextAreaField(
        "Useful links (one per line)", validators=[Length(max=2000), multi_line, IN_NOTES]
    )
    submit = SubmitField("Close the session")


class TeacherReflectionForm(FlaskForm):
    learned = TextAreaField(
        "What did you learn?",
        validators=[
            DataRequired(message="Say what you learned."),
            Length(max=3000),
            multi_line,
            IN_REFLECTIONS,
        ],
    )
    view_change = TextAreaField(
        "How has your view of technology changed?",
        validators=[Length(max=3000), multi_line, IN_REFLECTIONS],
    )
    classroom_use = TextAreaField(
        "How will you use it in your classroom?",
        validators=[Length(max=3000), multi_line, IN_REFLECTIONS],
    )
    rating = RadioField(
        "How useful was the session?",
        choices=[
            SelectChoice(str(n), f"{n} – {label}")
            for n, label in (
                (1, "not useful"),
                (2, "a little"),
                (3, "useful"),
                (4, "very useful"),
                (5, "excellent"),
            )
        ],
        validators=[InputRequired(message="Rate the session from 1 to 5.")],
    )
    kudos = StringField(
        "Kudos to your mentor (optional)",
        validators=[Length(max=500), single_line, NoContactDetails("kudos")],
        description="A thank-you your mentor will see.",
    )
    share_kudos = BooleanField(
        "Share this thank-you on the recognition page",
        description="Everyone in the program sees it there with your name, if your mentor chose "
        "to appear. You can stop sharing it at any time.",
    )
    submit = SubmitField("Share my reflection")


class MentorReflectionForm(FlaskForm):
    went_well = TextAreaField(
        "What went well?",
        validators=[
            DataRequired(message="Say what went well."),
            Length(max=3000),
            multi_line,
            IN_REFLECTIONS,
        ],
    )
    try_next = TextAreaField(
        "What can the teacher try next?",
        validators=[Length(max=3000), multi_line, IN_REFLECTIONS],
    )
    submit = SubmitField("Share my reflection")
