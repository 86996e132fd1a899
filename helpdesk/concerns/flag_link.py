"""The "Flag a concern" link each flaggable page shows: one line in its template."""

from flask import render_template
from flask_login import current_user
from markupsafe import Markup

from helpdesk.concerns.models import SubjectKind

_NOUNS = {
    SubjectKind.SESSION: "session",
    SubjectKind.MESSAGE: "message",
    SubjectKind.TIP: "tip",
    SubjectKind.PROFILE: "profile",
}


def flag_concern(kind: str, subject_id: int, about_id: int | None = None) -> Markup:
    """The link to the concern form for this place, for everyone but the person it is about."""
    if not current_user.is_authenticated or current_user.id == about_id:
        return Markup("")
    kind = SubjectKind(kind)
    # The template is autoescaped: its output is safe HTML already.
    return Markup(  # noqa: S704
        render_template(
            "concerns/_flag.html", kind=kind.value, subject_id=subject_id, noun=_NOUNS[kind]
        )
    )
