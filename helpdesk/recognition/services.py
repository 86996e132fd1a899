"""Recognition rules: the advisor hides or shows an item; a teacher shares a kudos or stops."""

from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking
from helpdesk.extensions import db
from helpdesk.recognition.milestones import MILESTONES, THANKS, thanks_item
from helpdesk.recognition.models import HiddenRecognition
from helpdesk.reflections.models import Reflection


class RecognitionError(ValueError):
    """A change that breaks a rule; the message is safe to show."""


def _check_item(mentor: User, item: str) -> None:
    if mentor.role is not Role.MENTOR:
        raise RecognitionError("Only student mentors have items on the recognition page.")
    if item in MILESTONES:
        return
    reflection_id = item.removeprefix(THANKS)
    if item.startswith(THANKS) and reflection_id.isdigit():
        about = db.session.scalar(
            db.select(Booking.mentor_id)
            .join(Reflection, Reflection.booking_id == Booking.id)
            .where(Reflection.id == int(reflection_id))
        )
        if about == mentor.id:
            return
    raise RecognitionError("That item is not on the recognition page.")


def hide_item(mentor: User, item: str, advisor: User) -> None:
    """Take a milestone or a shared thanks off the page; hiding twice changes nothing."""
    _check_item(mentor, item)
    try:
        with db.session.begin_nested():
            db.session.add(
                HiddenRecognition(mentor_id=mentor.id, item=item, hidden_by_id=advisor.id)
            )
            db.session.flush()
    except IntegrityError:
        pass  # already hidden (perhaps by a second click at the same moment)


def show_item(mentor: User, item: str) -> None:
    """Put a hidden item back on the page."""
    _check_item(mentor, item)
    db.session.execute(
        db.delete(HiddenRecognition).where(
            HiddenRecognition.mentor_id == mentor.id, HiddenRecognition.item == item
        )
    )


def share_thanks(reflection: Reflection, teacher: User, shared: bool) -> None:
    """The teacher who wrote a kudos shares it on the recognition page, or stops sharing it."""
    if reflection.author_id != teacher.id or reflection.side != "teacher":
        raise RecognitionError("Only the teacher who wrote a thank-you can share it.")
    if shared and not reflection.kudos.strip():
        raise RecognitionError("There is no thank-you in that reflection to share.")
    reflection.is_kudos_shared = shared
    db.session.flush()


__all__ = ["RecognitionError", "hide_item", "share_thanks", "show_item", "thanks_item"]
