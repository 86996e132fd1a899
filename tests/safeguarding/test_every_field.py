"""Every field where a student writes for adults, or an adult writes to a student, refuses the
whole corpus of contact details and accepts the ordinary school text.

The list below is the contract: a new field that reaches the other side must join it, and
a test fails if a form gains or loses the check without the list saying so.
"""

import importlib
import inspect
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

import helpdesk
from helpdesk.safeguarding.contact_details import KIND_NAMES
from helpdesk.safeguarding.validators import NoContactDetails
from tests.safeguarding.corpus import ACCEPTED, REFUSED

# (module, form, field): who writes it → who reads it
FIELDS = [
    ("mentors", "ProfileForm", "bio"),  # mentor → teachers
    ("mentors", "ProfileForm", "story"),  # mentor → teachers
    ("tips", "TipForm", "title"),  # mentor or advisor → the district
    ("tips", "TipForm", "body"),
    ("requests", "RequestForm", "summary"),  # teacher → mentors
    ("requests", "RequestForm", "details"),
    ("requests", "RequestForm", "device"),
    ("requests", "RequestForm", "room"),
    ("requests", "RequestForm", "around"),
    ("requests", "MessageForm", "body"),  # both ways
    ("requests", "ReasonForm", "reason"),  # closing or escalating, both ways
    ("requests", "ReopenForm", "reason"),  # teacher → mentor
    ("bookings", "BookingForm", "topic"),  # teacher → mentor
    ("bookings", "BookingForm", "learning_goal"),
    ("bookings", "BookingForm", "room"),
    ("bookings", "BookingForm", "notes"),
    ("bookings", "ReasonForm", "reason"),  # declining or cancelling, both ways
    ("series", "SeriesForm", "topic"),  # teacher (or advisor) → mentor, on every date
    ("series", "SeriesForm", "learning_goal"),
    ("series", "SeriesForm", "room"),
    ("series", "SeriesForm", "notes"),
    ("reflections", "CompleteForm", "covered"),  # mentor → teacher
    ("reflections", "CompleteForm", "steps"),
    ("reflections", "CompleteForm", "links"),
    ("reflections", "TeacherReflectionForm", "learned"),  # teacher → mentor
    ("reflections", "TeacherReflectionForm", "view_change"),
    ("reflections", "TeacherReflectionForm", "classroom_use"),
    ("reflections", "TeacherReflectionForm", "kudos"),
    ("reflections", "MentorReflectionForm", "went_well"),  # mentor → teacher
    ("reflections", "MentorReflectionForm", "try_next"),
    ("pairings", "RequestForm", "focus"),  # teacher → advisor and the mentor chosen
    ("pairings", "NewPairingForm", "focus"),  # advisor → the pair
    *[
        ("pairings", form, f"goal_{n}")
        for form in ("NewPairingForm", "ApproveForm", "GoalsForm")
        for n in (1, 2, 3)
    ],  # the pair's goals: both read them
    ("pairings", "DeclineForm", "reason"),  # advisor → teacher
    ("pairings", "ProgressForm", "note"),  # both ways
    *[
        ("pairings", "ClosingReflectionForm", column)  # each side reads the other's
        for column in ("about_program", "view_change", "future_use", "learned", "applied")
    ],
    ("workshops", "WorkshopForm", "title"),  # mentor → teachers
    ("workshops", "WorkshopForm", "description"),
    ("workshops", "WorkshopForm", "room"),
    ("workshops", "DeclineForm", "reason"),  # declining or cancelling, both ways
    ("surveys", "TeacherAnswersForm", "thoughts"),  # teacher → the advisor, quoted to the board
    ("surveys", "TeacherAnswersForm", "view_changed"),
    ("surveys", "TeacherAnswersForm", "will_use"),
    ("surveys", "TeacherAnswersForm", "learned"),
    ("surveys", "TeacherAnswersForm", "applied"),
    ("surveys", "MentorAnswersForm", "learned"),  # mentor → the advisor, quoted to the board
    ("surveys", "MentorAnswersForm", "proud"),
    ("surveys", "MentorAnswersForm", "would_change"),
    ("hours", "DecisionForm", "reason"),  # advisor → mentor (adjusting or rejecting hours)
    ("hours", "ManualEntryForm", "title"),  # advisor → mentors (their ledger, certificates)
    ("hours", "ManualEntryForm", "description"),
]


def _form_class(module: str, name: str):
    return getattr(importlib.import_module(f"helpdesk.{module}.forms"), name)


def _checked_fields():
    """(module, form, field) for every form field in the app that carries the check."""
    found = set()
    for path in sorted(Path(helpdesk.__path__[0]).glob("*/forms.py")):
        package = path.parent.name
        forms = importlib.import_module(f"helpdesk.{package}.forms")
        for name, cls in inspect.getmembers(forms, inspect.isclass):
            if not issubclass(cls, FlaskForm) or cls.__module__ != forms.__name__:
                continue
            for field_name, unbound in inspect.getmembers(cls):
                validators = getattr(unbound, "kwargs", {}).get("validators") or []
                if any(isinstance(v, NoContactDetails) for v in validators):
                    found.add((package, name, field_name))
    return found


def test_the_list_is_every_field_with_the_check():
    assert _checked_fields() == set(FIELDS)


def _errors(app, module, form_name, field_name, text) -> list[str]:
    with app.test_request_context(method="POST"):
        form = _form_class(module, form_name)(
            formdata=MultiDict({field_name: text}), meta={"csrf": False}
        )
        field = form[field_name]
        field.validate(form)
        return field.errors


@pytest.mark.parametrize(("module", "form_name", "field_name"), FIELDS)
def test_every_refused_line_is_refused_in_every_field(app, db, module, form_name, field_name):
    missed = []
    for text, kind in REFUSED:
        errors = " ".join(_errors(app, module, form_name, field_name, text))
        if "For everyone's safety" not in errors or KIND_NAMES[kind][0] not in errors:
            missed.append((text, errors))
    assert missed == []


@pytest.mark.parametrize(("module", "form_name", "field_name"), FIELDS)
def test_ordinary_text_is_accepted_in_every_field(app, db, module, form_name, field_name):
    refused = [
        (text, errors)
        for text in ACCEPTED
        if "For everyone's safety"
        in " ".join(errors := _errors(app, module, form_name, field_name, text))
    ]
    assert refused == []
