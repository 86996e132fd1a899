"""WTForms validators for text that crosses between adults and students, and meeting links."""

from flask import has_request_context
from flask_login import current_user
from wtforms.validators import ValidationError

from helpdesk.safeguarding.services import contact_details_refusal, meeting_link_refusal


class NoContactDetails:
    """Refuse a field holding a phone number, an email address, a handle, a link to a social
    site or a street address, saying what was found.

    where: the place in the plural, for the message ("profile stories", "messages").
    advisor_exempt: the advisor's own text in this field may hold them (the advisor is the
    adult the program puts between students and everyone else: their messages and reasons
    may carry an office phone or a room, and are for one thread, not the district).
    """

    def __init__(self, where: str, *, advisor_exempt: bool = False):
        self.where = where
        self.advisor_exempt = advisor_exempt
        self.field_flags = {}

    def __call__(self, _form, field) -> None:
        if self.advisor_exempt and _writer_is_advisor():
            return
        message = contact_details_refusal(field.data or "", self.where)
        if message:
            raise ValidationError(message)


def _writer_is_advisor() -> bool:
    return has_request_context() and bool(getattr(current_user, "is_advisor", False))


def allowed_meeting_link(_form, field) -> None:
    """A meeting link on a host the district allows (the safeguarding settings)."""
    problem = meeting_link_refusal(field.data or "")
    if problem:
        raise ValidationError(problem)
