"""Input no form should accept: text with a NUL character, and dates from another era.

PostgreSQL cannot store or even compare a string holding NUL (U+0000); psycopg refuses it
with DataError, a 500. No keyboard types it, so it only arrives pasted from a binary file or
sent by a script. One app-wide check refuses it in every posted form field, forms written
later included, before any view reads the request: a field-by-field validator would have to
be remembered on each of some sixty text fields. Searches (GET) are not refused: the tip
search drops control characters itself, and a search saves nothing.
"""

from datetime import date

from flask import request
from wtforms.validators import ValidationError

from helpdesk.errors import render_error
from helpdesk.plain_text import meeting_link_problem, multi_line_problem, single_line_problem
from helpdesk.request_keys import REQUEST_KEY

# A school's dates, with room for an old record or a plan years ahead. Far beyond this,
# adding a day or a week to a date (or converting 9999-12-31 to UTC) overflows Python's date.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)

NUL = "\x00"
NUL_MESSAGE = (
    "Your text contains a hidden NUL character (often from pasting out of a file), "
    "which cannot be saved. Go back, retype or remove the pasted text, and try again."
)


def has_nul(values) -> bool:
    """True when any value of a MultiDict holds a NUL character."""
    return any(NUL in value for _key, value in values.items(multi=True))


def reject_nul_input():
    """A before-request hook: answer 400 with a message when a posted field holds NUL."""
    if request.method == "POST" and has_nul(request.form):
        return render_error(400, NUL_MESSAGE)
    return None


def single_line(_form, field) -> None:
    """A WTForms validator for one-line text (names, topics, rooms, titles): no line breaks or
    hidden characters, because the text ends up in email subjects and calendar titles."""
    problem = single_line_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def multi_line(_form, field) -> None:
    """A WTForms validator for text of several lines: line breaks and tabs, no other hidden
    characters."""
    problem = multi_line_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def meeting_link(_form, field) -> None:
    """A WTForms validator for a meeting link, when one is given: see meeting_link_problem."""
    problem = meeting_link_problem(field.data or "") if (field.data or "").strip() else None
    if problem:
        raise ValidationError(problem)


def field_errors(form) -> str:
    """What the person must fix, field by field, for a form posted from another page (the
    message goes in a flash); "" when only the CSRF token failed."""
    return " ".join(
        error for name, errors in form.errors.items() if name != "csrf_token" for error in errors
    )


def clean_request_key(value: str | None) -> str | None:
    """A WTForms filter for the hidden key that makes a double-posted form save once: one of
    another shape is dropped rather than stored (the app-wide check has answered 400 already)."""
    return value if value and REQUEST_KEY.fullmatch(value) else None


def plausible_date(_form, field) -> None:
    """A WTForms validator for DateFields: a date this century, so date arithmetic is safe."""
    if field.data is not None and not EARLIEST_DATE <= field.data <= LATEST_DATE:
        raise ValidationError(f"Give a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}.")


def parse_id(raw: str | None) -> int | None:
    """A database id from a raw form or query value, or None.

    isascii: "²".isdigit() is True but int() refuses it; the length keeps the number inside
    an INTEGER column (SQLite raises OverflowError on a larger one).
    """
    raw = raw or ""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
