"""What people are told, by email and in the app, when a help request changes.

New-request emails are grouped: nobody gets more than one per quarter hour. The throttle is a
compare-and-swap on the recipient's row, so two requests arriving together cannot both email.
What was held back waits in desk_pending_notice for the next email (or the desk-digest command).

A student's email address never goes to an adult other than the advisor, and the requester sees
the mentor by display name only; each email has one recipient.
"""

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from helpdesk.accounts.models import Role, User
from helpdesk.extensions import db
from helpdesk.links import absolute_url
from helpdesk.mail.services import send_email
from helpdesk.mentors.models import MentorProfile, MentorSkill
from helpdesk.notifications.services import notify
from helpdesk.requests.models import (
    DeskMailThrottle,
    DeskPendingNotice,
    HelpRequest,
    RequestMessage,
    RequestStatus,
)

QUIET = timedelta(minutes=15)


def _link(help_request: HelpRequest) -> str:
    return f"/requests/{help_request.id}"


def _page(help_request: HelpRequest) -> str:
    return absolute_url("requests.show", request_id=help_request.id)


def _mail(user: User, subject: str, body: str, help_request: HelpRequest | None = None) -> None:
    tail = f"\n\nRequest page: {_page(help_request)}\n" if help_request else "\n"
    send_email(user.email, subject, f"Hello {user.first_name},\n\n{body}{tail}")


def advisors() -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.role == Role.ADVISOR, User.is_active.is_(True)))
    )


def mentors_for(help_request: HelpRequest) -> list[User]:
    """Active mentors with the request's topic, at the level it needs."""
    statement = (
        select(User)
        .join(MentorProfile, MentorProfile.user_id == User.id)
        .join(MentorSkill, MentorSkill.mentor_id == MentorProfile.user_id)
        .where(
            MentorSkill.skill_id == help_request.skill_id,
            User.role == Role.MENTOR,
            User.is_active.is_(True),
        )
    )
    if help_request.skill.required_level:
        statement = statement.where(MentorSkill.level >= help_request.skill.required_level)
    return list(db.session.scalars(statement))


def summary(help_request: HelpRequest) -> str:
    """The request as a mentor may read it: the requester's name and school, never an email."""
    lines = [
        f"Topic: {help_request.skill.name}",
        f"Problem: {help_request.summary}",
        f"Urgency: {help_request.urgency.label}",
        f"From: {help_request.requester.full_name}, {help_request.requester.school.name}",
    ]
    if help_request.device:
        lines.append(f"Device: {help_request.device}")
    if help_request.room:
        lines.append(f"Room: {help_request.room}")
    if help_request.around:
        lines.append(f"Around: {help_request.around}")
    return "\n".join(lines)


def _may_email_now(user_id: int, now: datetime) -> bool:
    """Take this person's quarter-hour email slot, if it is free (atomically)."""
    taken = db.session.execute(
        update(DeskMailThrottle)
        .where(DeskMailThrottle.user_id == user_id, DeskMailThrottle.last_sent_at <= now - QUIET)
        .values(last_sent_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken:
        return True
    if db.session.scalar(
        select(DeskMailThrottle.user_id).where(DeskMailThrottle.user_id == user_id)
    ):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(DeskMailThrottle(user_id=user_id, last_sent_at=now))
    except IntegrityError:
        return False
    return True


def send_pending(user: User, now: datetime) -> bool:
    """Email this person every new request they have not been emailed about, if their slot is free."""
    pending = list(
        db.session.scalars(
            select(DeskPendingNotice)
            .where(DeskPendingNotice.user_id == user.id, DeskPendingNotice.emailed_at.is_(None))
            .order_by(DeskPendingNotice.id)
        )
    )
    if not pending:
        return False
    still_open = [p.request for p in pending if p.request.status is RequestStatus.OPEN]
    if still_open and not _may_email_now(user.id, now):
        return False
    db.session.execute(
        update(DeskPendingNotice)
        .where(DeskPendingNotice.id.in_([p.id for p in pending]))
        .values(emailed_at=now)
        .execution_options(synchronize_session=False)
    )
    if not still_open:
        return False
    if len(still_open) == 1:
        only = still_open[0]
        _mail(
            user,
            f"New help request: {only.summary}",
            f"A teacher asked the tech team for help.\n\n{summary(only)}",
            only,
        )
    else:
        listing = "\n\n".join(f"{summary(r)}\nPage: {_page(r)}" for r in still_open)
        _mail(
            user,
            f"{len(still_open)} new help requests",
            f"Teachers asked the tech team for help:\n\n{listing}",
        )
    return True


def new_request(help_request: HelpRequest, now: datetime) -> None:
    """Tell the advisor and the mentors with the skill: in the app now, by email at most every 15 min."""
    recipients = {u.id: u for u in advisors()}
    if help_request.status is RequestStatus.OPEN and not help_request.skill.is_escalate_only:
        recipients.update({u.id: u for u in mentors_for(help_request)})
    recipients.pop(help_request.requester_id, None)
    notify(
        recipients.values(),
        f"New help request: {help_request.summary} ({help_request.skill.name})",
        _link(help_request),
    )
    db.session.add_all(
        DeskPendingNotice(user_id=uid, request_id=help_request.id, created_at=now)
        for uid in recipients
    )
    db.session.flush()
    for user in recipients.values():
        send_pending(user, now)


def claimed(help_request: HelpRequest) -> None:
    notify(
        [help_request.requester],
        f"{help_request.mentor.display_name} is working on your request: {help_request.summary}",
        _link(help_request),
    )


def answered(help_request: HelpRequest, message: RequestMessage) -> None:
    """Each answer goes to the others on the request (the advisor reads threads in the app)."""
    author = message.author
    others = [
        u
        for u in (help_request.requester, help_request.mentor)
        if u is not None and u.id != author.id
    ]
    name = author.display_name
    notify(others, f"{name} answered: {help_request.summary}", _link(help_request))
    for user in others:
        _mail(
            user,
            f"New answer: {help_request.summary}",
            f"{name} wrote:\n\n{message.body}",
            help_request,
        )


def waiting(help_request: HelpRequest) -> None:
    notify(
        [help_request.requester],
        f"The tech team is waiting for your answer: {help_request.summary}",
        _link(help_request),
    )


def resolved(help_request: HelpRequest, by: User) -> None:
    notify([help_request.requester], f"Resolved: {help_request.summary}", _link(help_request))
    _mail(
        help_request.requester,
        f"Resolved: {help_request.summary}",
        f"{by.display_name} marked your request as resolved. If the problem is back, "
        "reopen it from the request page.",
        help_request,
    )


def reopened(help_request: HelpRequest) -> None:
    people = [help_request.mentor] if help_request.mentor else advisors()
    notify(people, f"Reopened: {help_request.summary}", _link(help_request))


def escalated(help_request: HelpRequest, it_email: str, reason: str) -> None:
    """The district IT address gets the details: the requester's name and email, the text."""
    requester = help_request.requester
    body = (
        "The student tech team is handing this help request to district IT.\n\n"
        f"Requester: {requester.full_name} <{requester.email}>, {requester.school.name}\n"
        f"Topic: {help_request.skill.name}\nUrgency: {help_request.urgency.label}\n"
        f"Device: {help_request.device or 'not given'}\nRoom: {help_request.room or 'not given'}\n"
        f"Around: {help_request.around or 'not given'}\n\n"
        f"Problem: {help_request.summary}\n\n{help_request.details}\n"
        + (f"\nWhy it is escalated: {reason}\n" if reason else "")
        + f"\nRequest page (for the advisor): {_page(help_request)}\n"
    )
    send_email(it_email, f"Help request #{help_request.id} for IT: {help_request.summary}", body)
    notify(
        [requester],
        f"Your request was sent to district IT: {help_request.summary}",
        _link(help_request),
    )


def auto_closed(help_request: HelpRequest) -> None:
    people = [u for u in (help_request.requester, help_request.mentor) if u is not None]
    notify(people, f"Closed after no answer: {help_request.summary}", _link(help_request))
