"""What a concern can be about: a session, a help-request message, a tip or a mentor's profile.

Each place is found with the same rule as its own page, so nobody can flag (or learn anything
about) what they cannot see. The person a concern is about follows from the place and from who
flags it; nobody picks them.
"""

from dataclasses import dataclass

from flask import url_for

from helpdesk.accounts.models import User
from helpdesk.bookings.models import Booking
from helpdesk.concerns.models import SNAPSHOT_MAX, SubjectKind
from helpdesk.extensions import db
from helpdesk.mentors.models import MentorProfile
from helpdesk.requests.models import RequestMessage
from helpdesk.tips.models import Tip


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    id: int
    title: str
    about: User | None
    snapshot: str
    endpoint: str
    args: dict

    @property
    def url(self) -> str:
        return url_for(self.endpoint, **self.args)


def _lines(*parts: tuple[str, str]) -> str:
    text = "\n".join(f"{label}: {value}" for label, value in parts if value)
    return text[:SNAPSHOT_MAX]


def _session(booking_id: int, viewer: User) -> Subject | None:
    booking = db.session.get(Booking, booking_id)
    if booking is None or not booking.can_view(viewer):
        return None
    about = {booking.teacher_id: booking.mentor, booking.mentor_id: booking.teacher}.get(viewer.id)
    return Subject(
        SubjectKind.SESSION,
        booking.id,
        f"Session: {booking.topic}",
        about,
        _lines(
            ("Mentor", booking.mentor.full_name),
            ("Teacher", booking.teacher.full_name),
            ("Topic", booking.topic),
            ("Learning goal", booking.learning_goal),
            ("Where", booking.room or booking.meeting_url),
            ("Notes", booking.notes),
        ),
        "bookings.show",
        {"booking_id": booking.id},
    )


def _message(message_id: int, viewer: User) -> Subject | None:
    message = db.session.get(RequestMessage, message_id)
    # The thread is for those on the request (mentors browsing the queue do not see it).
    if message is None or not message.request.is_on(viewer):
        return None
    return Subject(
        SubjectKind.MESSAGE,
        message.id,
        f"Message in the help request: {message.request.summary}",
        message.author,
        _lines(("From", message.author.full_name), ("Message", message.body)),
        "requests.show",
        {"request_id": message.request_id},
    )


def _tip(tip_id: int, viewer: User) -> Subject | None:
    tip = db.session.get(Tip, tip_id)
    if tip is None or not tip.can_view(viewer):
        return None
    return Subject(
        SubjectKind.TIP,
        tip.id,
        f"Tip: {tip.title}",
        tip.author,
        _lines(("By", tip.author.full_name), ("Title", tip.title), ("Tip", tip.body)),
        "tips.show",
        {"tip_id": tip.id},
    )


def _profile(mentor_id: int, viewer: User) -> Subject | None:
    mentor = db.session.get(User, mentor_id)
    if mentor is None or not viewer.can_view_mentor_profile(mentor):
        return None
    profile = db.session.get(MentorProfile, mentor.id)
    return Subject(
        SubjectKind.PROFILE,
        mentor.id,
        f"Profile of {mentor.display_name}",
        mentor,
        _lines(
            ("Mentor", mentor.full_name),
            ("About me", profile.bio if profile else ""),
            ("My story", profile.story if profile else ""),
        ),
        "mentors.show",
        {"mentor_id": mentor.id},
    )


_FINDERS = {
    SubjectKind.SESSION: _session,
    SubjectKind.MESSAGE: _message,
    SubjectKind.TIP: _tip,
    SubjectKind.PROFILE: _profile,
}


def find_subject(kind: SubjectKind, subject_id: int, viewer: User) -> Subject | None:
    """The place as this person sees it, or None when it is missing or not theirs to see."""
    return _FINDERS[kind](subject_id, viewer)
