"""Every text field, by the strictest format its text reaches.

One-line fields (names, topics, rooms, titles, notes) reach email subjects, calendar titles
and CSV cells: no line breaks, no hidden characters. Fields of several lines (goals, notes,
messages, bodies) keep line breaks and tabs, nothing else hidden. The lists below name every
field; a test fails when a form gains a text field that is in neither.
"""

import importlib
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

import helpdesk
from helpdesk.access_log.forms import LogFilterForm
from helpdesk.accounts.forms import CodeForm, ForgotPasswordForm, LoginForm, RecoveryCodeForm
from helpdesk.availability.forms import SettingsForm, TimeOffForm
from helpdesk.bookings.forms import BookingForm, ReasonForm
from helpdesk.calendar.forms import ClosureForm, DayTypeForm, ExceptionForm, ScheduleForm
from helpdesk.concerns.forms import ConcernForm, StatusForm
from helpdesk.dashboard.forms import TermForm as ReportTermForm
from helpdesk.hours.forms import (
    DecisionForm,
    HoursSettingsForm,
    ManualEntryForm,
    RevokeForm,
)
from helpdesk.mentors.forms import ProfileForm
from helpdesk.pairings.forms import (
    ClosingReflectionForm,
    DeclineForm,
    GoalsForm,
    NewPairingForm,
    ProgressForm,
)
from helpdesk.pairings.forms import RequestForm as PairingRequestForm
from helpdesk.people.forms import AnonymizeForm, InviteForm
from helpdesk.reflections.forms import CompleteForm, MentorReflectionForm, TeacherReflectionForm
from helpdesk.requests.forms import DeskSettingsForm, MessageForm, ReopenForm, RequestForm
from helpdesk.requests.forms import ReasonForm as RequestReasonForm
from helpdesk.safeguarding.forms import SafeguardingSettingsForm
from helpdesk.skills.forms import SkillForm
from helpdesk.surveys.forms import MentorAnswersForm, TeacherAnswersForm
from helpdesk.tips.forms import ReturnForm, SynonymsForm, TipForm
from helpdesk.workshops.forms import DeclineForm as WorkshopDeclineForm
from helpdesk.workshops.forms import WorkshopForm

SINGLE_LINE = [
    (ReportTermForm, "name", "Spring 2027"),
    (LoginForm, "email", "teacher@school.example.org"),
    (ForgotPasswordForm, "email", "teacher@school.example.org"),
    (CodeForm, "code", "123 456"),
    (RecoveryCodeForm, "code", "k7m2q-x9c4h"),
    (TimeOffForm, "note", "Exams"),
    (SettingsForm, "session_lengths", "20, 30"),
    (BookingForm, "topic", "Sharing a Doc"),
    (BookingForm, "room", "B12"),
    (ScheduleForm, "name", "Regular"),
    (DayTypeForm, "name", "A"),
    (ExceptionForm, "note", "Assembly"),
    (ClosureForm, "name", "Thanksgiving"),
    (InviteForm, "email", "new.teacher@school.example.org"),
    (InviteForm, "full_name", "Ana Núñez"),
    (AnonymizeForm, "confirmation", "ANONYMIZE 2026"),
    (LogFilterForm, "person", "Maya Chen"),
    (LogFilterForm, "done_by", "Dana Whitfield"),
    (TeacherReflectionForm, "kudos", "Thank you!"),
    (RequestForm, "summary", "Projector will not mirror"),
    (RequestForm, "device", "Chromebook"),
    (RequestForm, "room", "B12"),
    (RequestForm, "around", "Period 4"),
    (DeskSettingsForm, "it_email", "it@district.example.org"),
    (SkillForm, "name", "Google Docs"),
    (SkillForm, "category", "Docs"),
    (TipForm, "title", "Share a Doc"),
    (GoalsForm, "goal_1", "Share a Doc for comments"),
    (GoalsForm, "goal_2", "Grade with a rubric"),
    (GoalsForm, "goal_3", "Caption my videos"),
    (ProgressForm, "note", "Shared one with period 3"),
    (WorkshopForm, "title", "Google Forms quizzes"),
    (WorkshopForm, "room", "Library"),
    (DecisionForm, "reason", "Left at the bell"),
    (ManualEntryForm, "title", "Tech club meeting"),
    (ManualEntryForm, "description", "Chromebook repair"),
    (HoursSettingsForm, "district_name", "Riverside CSD"),
    (HoursSettingsForm, "sponsor_name", "Riverside CSD"),
    (HoursSettingsForm, "sponsor_number", "0427"),
    (HoursSettingsForm, "signer_name", "Dana Whitfield"),
    (HoursSettingsForm, "signer_title", "Advisor"),
    (RevokeForm, "reason", "Issued in error"),
]
MULTI_LINE = [
    (TeacherAnswersForm, "thoughts"),
    (TeacherAnswersForm, "view_changed"),
    (TeacherAnswersForm, "will_use"),
    (TeacherAnswersForm, "learned"),
    (TeacherAnswersForm, "applied"),
    (MentorAnswersForm, "learned"),
    (MentorAnswersForm, "proud"),
    (MentorAnswersForm, "would_change"),
    (BookingForm, "learning_goal"),
    (BookingForm, "notes"),
    (ReasonForm, "reason"),
    (ScheduleForm, "periods"),
    (ProfileForm, "bio"),
    (ProfileForm, "story"),
    (CompleteForm, "covered"),
    (CompleteForm, "steps"),
    (CompleteForm, "links"),
    (TeacherReflectionForm, "learned"),
    (TeacherReflectionForm, "view_change"),
    (TeacherReflectionForm, "classroom_use"),
    (MentorReflectionForm, "went_well"),
    (MentorReflectionForm, "try_next"),
    (RequestForm, "details"),
    (MessageForm, "body"),
    (RequestReasonForm, "reason"),
    (ReopenForm, "reason"),
    (SkillForm, "description"),
    (TipForm, "body"),
    (ReturnForm, "comment"),
    (SynonymsForm, "groups"),
    (SafeguardingSettingsForm, "district_domains"),
    (SafeguardingSettingsForm, "meeting_hosts"),
    (ConcernForm, "description"),
    (StatusForm, "note"),
    (NewPairingForm, "focus"),
    (PairingRequestForm, "focus"),
    (DeclineForm, "reason"),
    *[
        (ClosingReflectionForm, column)
        for column in ("about_program", "view_change", "future_use", "learned", "applied")
    ],
    (WorkshopForm, "description"),
    (WorkshopDeclineForm, "reason"),
]
# Checked as a link rather than as a line; see test_meeting_links.py.
LINK_FIELDS = [(BookingForm, "meeting_url"), (WorkshopForm, "meeting_url")]

LINE_BREAKS = ["\r\n", "\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
HIDDEN = ["\t", "\x07", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066"]
HIDDEN_IN_LONG_TEXT = ["\x07", "\x1b", "\x7f", "\x0b", "\x0c", "\x85", "\x9b", "\x01"]


def _field(form_class, name: str, value: str, app):
    """The form's field after validation of that field alone, as a POST would run it."""
    with app.test_request_context(method="POST"):
        form = form_class(formdata=MultiDict({name: value}), meta={"csrf": False})
        field = form[name]
        field.validate(form)
        return field


def _ident(case) -> str:
    return f"{case[0].__name__}.{case[1]}"


@pytest.mark.parametrize("case", SINGLE_LINE, ids=_ident)
@pytest.mark.parametrize("bad", LINE_BREAKS, ids=repr)
def test_one_line_fields_refuse_line_breaks(app, case, bad):
    form_class, name, good = case
    field = _field(form_class, name, good[:2] + bad + good[2:], app)
    assert "Keep this on one line: remove the line break." in field.errors


@pytest.mark.parametrize("case", SINGLE_LINE, ids=_ident)
@pytest.mark.parametrize("bad", HIDDEN, ids=repr)
def test_one_line_fields_refuse_hidden_characters(app, case, bad):
    form_class, name, good = case
    field = _field(form_class, name, good[:2] + bad + good[2:], app)
    assert any(
        error.startswith(("Remove the hidden character U+", "Remove the hidden tab"))
        for error in field.errors
    )


@pytest.mark.parametrize("case", SINGLE_LINE, ids=_ident)
def test_one_line_fields_take_their_usual_text(app, case):
    form_class, name, good = case
    assert _field(form_class, name, good, app).errors == []


@pytest.mark.parametrize("case", MULTI_LINE, ids=_ident)
@pytest.mark.parametrize("bad", HIDDEN_IN_LONG_TEXT, ids=repr)
def test_long_text_fields_refuse_hidden_characters(app, case, bad):
    form_class, name = case
    field = _field(form_class, name, f"Period 1, 08:00, 08:50{bad}", app)
    assert any(error.startswith("Remove the hidden character U+") for error in field.errors)


@pytest.mark.parametrize("case", MULTI_LINE, ids=_ident)
def test_long_text_fields_keep_line_breaks_and_tabs(app, case):
    form_class, name = case
    text = "Period 1, 08:00, 08:50\r\nPeriod 4, 10:00, 10:50\n\tPeriod 7, 14:10, 15:00 — é 👩🏽‍🏫"
    assert _field(form_class, name, text, app).errors == []


def _forms():
    for path in sorted(Path(helpdesk.__file__).parent.glob("*/forms.py")):
        forms = importlib.import_module(f"helpdesk.{path.parent.name}.forms")
        for value in vars(forms).values():
            if (
                isinstance(value, type)
                and issubclass(value, FlaskForm)
                and value.__module__ == forms.__name__
            ):
                yield value


def test_every_text_field_of_every_form_is_listed():
    """A new text field must say which kind it is, by joining one of the lists above."""
    listed = {(c, n) for c, n, *_ in SINGLE_LINE + MULTI_LINE + LINK_FIELDS}
    found = set()
    for form_class in _forms():
        for name in dir(form_class):
            attr = getattr(form_class, name)
            is_text = isinstance(attr, UnboundField) and issubclass(attr.field_class, StringField)
            # Passwords are never shown or sent on; hidden fields are checked by their filters.
            if is_text and not issubclass(attr.field_class, (PasswordField, HiddenField)):
                owner = next(c for c in form_class.__mro__ if name in vars(c))
                found.add((owner, name))
    assert found - listed == set(), "text fields missing from SINGLE_LINE or MULTI_LINE"
    assert {(c, n) for c, n in MULTI_LINE} <= {
        f for f in found if issubclass(getattr(*f).field_class, TextAreaField)
    }
