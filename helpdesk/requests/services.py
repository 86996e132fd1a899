"""Help-request rules: ask, claim, answer, wait, resolve, reopen, escalate, self-serve, report."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload, undefer

from helpdesk.accounts.models import Role, User
from helpdesk.calendar.services import load_calendars
from helpdesk.extensions import db
from helpdesk.idempotent import earlier_submission, insert_once
from helpdesk.mentors.models import MentorSkill, SkillLevel
from helpdesk.requests import notices
from helpdesk.requests.lifecycle import ALREADY_CLAIMED, RequestError, record, transition
from helpdesk.requests.models import (
    DETAILS_MAX,
    MESSAGE_MAX,
    DeskSettings,
    HelpRequest,
    RequestMessage,
    RequestScreenshot,
    RequestStatus,
    Urgency,
)
from helpdesk.requests.school_clock import (
    school_seconds_between,
)
from helpdesk.requests.screenshots import ScreenshotError, clean_screenshot
from helpdesk.requests.signals import request_resolved
from helpdesk.safeguarding.drafts import people_of_request, without_names
from helpdesk.schools.models import School
from helpdesk.settings_row import settings_row
from helpdesk.skills.models import Skill
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device, Tip, TipStatus

__all__ = ["ALREADY_CLAIMED", "RequestError", "ScreenshotError"]

S = RequestStatus
MAX_SCREENSHOTS = 5
ASKERS = (Role.TEACHER, Role.STAFF)


# Settings ---------------------------------------------------------------------------------------


def desk_settings() -> DeskSettings:
    """The one help-desk settings row, created with defaults the first time."""
    return settings_row(DeskSettings)
    try:
        with db.session.begin_nested():
            settings = DeskSettings(id=1)
            db.session.add(settings)
    except IntegrityError:  # another request created it first
        settings = db.session.get(DeskSettings, 1, populate_existing=True)
    return settings


def update_desk_settings(
    *, first_response_hours: int, resolution_hours: int, it_email: str
) -> DeskSettings:
    if not 1 <= first_response_hours <= 200 or not 1 <= resolution_hours <= 400:
        raise RequestError("Targets are whole school hours: 1 to 200 for a first answer.")
    if resolution_hours < first_response_hours:
        raise RequestError("The resolution target cannot be shorter than the first-answer target.")
    settings = desk_settings()
    settings.first_response_hours = first_response_hours
    settings.resolution_hours = resolution_hours
    settings.it_email = it_email.strip().lower()
    db.session.flush()
    return settings


def set_topic_rules(skill: Skill, *, required_level: int | None, is_escalate_only: bool) -> None:
    """Per topic: the mentor level needed to claim, and whether only adult IT may take it."""
    if required_level is not None and required_level not in tuple(SkillLevel):
        raise RequestError("Choose a level: can help, confident or expert.")
    skill.required_level = required_level
    skill.is_escalate_only = is_escalate_only
    db.session.flush()


# Asking -----------------------------------------------------------------------------------------


@dataclass
class NewRequest:
    skill_id: int
    summary: str
    details: str = ""
    device: str = ""
    urgency: Urgency = Urgency.WEEK
    room: str = ""
    around: str = ""
    request_key: str | None = None


def _build(requester: User, new: NewRequest, status: RequestStatus) -> HelpRequest:
    if requester.role not in ASKERS:
        raise RequestError("Teachers and staff ask for help here.")
    skill = db.session.get(Skill, new.skill_id)
    if skill is None:
        raise RequestError("Choose a topic.")
    summary = " ".join(new.summary.split())
    if not summary:
        raise RequestError("Say in a few words what is wrong.")
    if len(new.details) > DETAILS_MAX:
        raise RequestError(f"Describe the problem in at most {DETAILS_MAX:,} characters.")
    return HelpRequest(
        requester_id=requester.id,
        skill_id=skill.id,
        skill=skill,
        requester=requester,
        status=status,
        summary=summary[:200],
        details=new.details.strip(),
        device=new.device.strip()[:80],
        urgency=new.urgency,
        room=new.room.strip()[:80],
        around=new.around.strip()[:200],
        request_key=new.request_key,
    )


def _existing(requester: User, key: str | None) -> HelpRequest | None:
    return earlier_submission(HelpRequest, key, "requester_id", requester.id)


def _insert(help_request: HelpRequest, requester: User) -> HelpRequest | None:
    """Insert; on a duplicate submission return the request already made instead."""
    return insert_once(help_request, "requester_id")


def open_request(
    requester: User, new: NewRequest, now: datetime, screenshot: bytes | None = None
) -> HelpRequest:
    """A teacher or staff member asks the tech team; escalate-only topics go straight to IT."""
    existing = _existing(requester, new.request_key)
    if existing is not None:
        return existing
    help_request = _build(requester, new, S.OPEN)
    if screenshot:
        image = clean_screenshot(screenshot)  # refuse a bad file before anything is saved
    duplicate = _insert(help_request, requester)
    if duplicate is not None:
        return duplicate
    record(help_request, requester, None, S.OPEN, "Asked for help")
    if screenshot:
        _store_screenshot(help_request, image)
    settings = desk_settings()
    if help_request.skill.is_escalate_only and settings.it_email:
        escalate_request(help_request, None, now, "Adult IT only topic")
    notices.new_request(help_request, now)
    return help_request


def self_serve(requester: User, new: NewRequest, tip: Tip, now: datetime) -> HelpRequest:
    """A suggested tip solved it while typing: the request is born closed, and counted."""
    if tip.status is not TipStatus.PUBLISHED:
        raise RequestError("That tip is not in the library.")
    existing = _existing(requester, new.request_key)
    if existing is not None:
        return existing
    help_request = _build(requester, new, S.SELF_SERVED)
    help_request.self_served_tip_id = tip.id
    duplicate = _insert(help_request, requester)
    if duplicate is not None:
        return duplicate
    record(help_request, requester, None, S.SELF_SERVED, f"Solved with the tip: {tip.title}")
    return help_request


def self_serve_existing(help_request: HelpRequest, requester: User, tip: Tip) -> None:
    """An open request that a suggested tip answered: closed as self-served."""
    if not help_request.can_self_serve(requester):
        raise RequestError("Only an open request of yours can be closed with a tip.")
    if tip.status is not TipStatus.PUBLISHED:
        raise RequestError("That tip is not in the library.")
    transition(
        help_request,
        S.SELF_SERVED,
        requester,
        f"Solved with the tip: {tip.title}",
        self_served_tip_id=tip.id,
    )


# The desk ---------------------------------------------------------------------------------------


def mentor_level(mentor: User, skill_id: int) -> int:
    level = db.session.scalar(
        select(MentorSkill.level).where(
            MentorSkill.mentor_id == mentor.id, MentorSkill.skill_id == skill_id
        )
    )
    return level or 0


def claim_request(help_request: HelpRequest, mentor: User, now: datetime) -> None:
    """A mentor takes a request; two at once: the compare-and-swap lets exactly one win."""
    if not mentor.is_mentor or not mentor.is_active:
        raise RequestError("Only student mentors claim requests.")
    if help_request.skill.is_escalate_only:
        raise RequestError("This topic is for adult IT only; students do not take it.")
    needed = help_request.skill.required_level
    if needed and mentor_level(mentor, help_request.skill_id) < needed:
        raise RequestError(
            f"This topic needs a mentor at the {SkillLevel(needed).label.lower()} level."
        )
    if help_request.status is not S.OPEN:
        raise RequestError(
            ALREADY_CLAIMED
            if help_request.status is S.CLAIMED
            else f"This request is {help_request.status.label.lower()}; it cannot be claimed."
        )
    transition(
        help_request,
        S.CLAIMED,
        mentor,
        "Claimed",
        conflict=ALREADY_CLAIMED,
        mentor_id=mentor.id,
        claimed_at=now,
    )
    notices.claimed(help_request)


def release_request(help_request: HelpRequest, by: User) -> None:
    """The mentor hands the request back to the queue."""
    if not help_request.can_release(by):
        raise RequestError("Only the mentor on this request can hand it back.")
    transition(help_request, S.OPEN, by, "Handed back to the queue", mentor_id=None)


def return_to_queue(help_request: HelpRequest, by: User | None) -> None:
    """A mentor who leaves the program hands back what they were answering, waiting or not."""
    transition(
        help_request,
        S.OPEN,
        by,
        "Handed back: the mentor left the program",
        mentor_id=None,
        waiting_since_at=None,
    )


def post_message(
    help_request: HelpRequest, author: User, body: str, now: datetime
) -> RequestMessage:
    """An answer in the thread; the requester answering a waiting request hands it back."""
    body = body.strip()
    if not body:
        raise RequestError("Write a message first.")
    if len(body) > MESSAGE_MAX:
        raise RequestError(f"A message may be at most {MESSAGE_MAX:,} characters.")
    if not help_request.can_reply(author):
        raise RequestError("You cannot answer this request now.")
    message = RequestMessage(request_id=help_request.id, author_id=author.id, body=body)
    message.author = author
    db.session.add(message)
    if author.id != help_request.requester_id:
        # Only the first answer from the desk sets it; a later one leaves it alone.
        db.session.execute(
            update(HelpRequest)
            .where(HelpRequest.id == help_request.id, HelpRequest.first_response_at.is_(None))
            .values(first_response_at=now)
            .execution_options(synchronize_session=False)
        )
    elif help_request.status is S.WAITING:
        transition(help_request, S.CLAIMED, author, "The requester answered", waiting_since_at=None)
    db.session.flush()
    db.session.refresh(help_request)
    notices.answered(help_request, message)
    return message


def mark_waiting(help_request: HelpRequest, by: User, now: datetime) -> None:
    if not help_request.can_mark_waiting(by):
        raise RequestError("Only the mentor on this request can wait for an answer.")
    transition(help_request, S.WAITING, by, "Waiting for the requester", waiting_since_at=now)
    notices.waiting(help_request)


def resolve_request(
    help_request: HelpRequest, by: User, now: datetime, note: str = "", minutes: int | None = None
) -> None:
    """`minutes`: the time the mentor says it took, for their hours (see request_resolved)."""
    if not help_request.can_resolve(by):
        raise RequestError("Only the mentor on this request or the advisor can resolve it.")
    transition(
        help_request,
        S.RESOLVED,
        by,
        note or "Resolved",
        resolved_at=now,
        resolved_by_id=by.id,
        waiting_since_at=None,
        school_seconds_to_resolve=school_seconds_to_resolve(help_request, now),
    )
    try:
        request_resolved.send(help_request, by=by, now=now, minutes=minutes)
    except ValueError as refused:
        raise RequestError(str(refused)) from refused
    notices.resolved(help_request, by)


def close_request(help_request: HelpRequest, by: User, reason: str = "") -> None:
    if not help_request.can_close(by):
        raise RequestError("You cannot close this request.")
    transition(help_request, S.CLOSED, by, reason or "Closed", waiting_since_at=None)


def reopen_request(help_request: HelpRequest, by: User, reason: str) -> None:
    """Back to the same mentor if they are still in the program, else back to the queue."""
    if not help_request.can_reopen(by):
        raise RequestError("Only the requester can reopen a finished request.")
    if not reason.strip():
        raise RequestError("Say what is still wrong, so the mentor knows.")
    mentor = help_request.mentor
    back_to_mentor = (
        help_request.status is not S.SELF_SERVED and mentor is not None and mentor.is_active
    )
    transition(
        help_request,
        S.CLAIMED if back_to_mentor else S.OPEN,
        by,
        reason,
        mentor_id=mentor.id if back_to_mentor else None,
        resolved_at=None,
        resolved_by_id=None,
        school_seconds_to_resolve=None,
        self_served_tip_id=None,
    )
    notices.reopened(help_request)


def escalate_request(
    help_request: HelpRequest, by: User | None, now: datetime, reason: str
) -> None:
    """Hand a request to adult IT: the district IT address gets the details by email."""
    if by is not None and not help_request.can_escalate(by):
        raise RequestError("You cannot send this request to IT.")
    it_email = desk_settings().it_email
    if not it_email:
        raise RequestError("The advisor has not set the district IT address yet.")
    transition(
        help_request,
        S.ESCALATED,
        by,
        reason.strip() or "Sent to district IT",
        escalated_at=now,
        waiting_since_at=None,
    )
    notices.escalated(help_request, it_email, reason.strip())


def suggest_session(help_request: HelpRequest, by: User, now: datetime) -> RequestMessage:
    """Say in the thread that this needs hands-on time; the requester books from the page."""
    if not help_request.can_suggest_session(by):
        raise RequestError("Only the mentor on this request or the advisor can suggest a session.")
    return post_message(
        help_request,
        by,
        "This needs some hands-on time together. Please book a session: use the "
        "“Book a session” button on this page; the topic and your description are shown there "
        "to copy into the booking.",
        now,
    )


def add_screenshot(help_request: HelpRequest, by: User, raw: bytes) -> RequestScreenshot:
    if not help_request.can_attach(by):
        raise RequestError("Only the requester can add screenshots while the request is active.")
    if len(help_request.screenshots) >= MAX_SCREENSHOTS:
        raise RequestError(f"A request can have at most {MAX_SCREENSHOTS} screenshots.")
    return _store_screenshot(help_request, clean_screenshot(raw))


def _store_screenshot(help_request: HelpRequest, image) -> RequestScreenshot:
    shot = RequestScreenshot(
        request_id=help_request.id,
        content_type=image.content_type,
        data=image.data,
        width=image.width,
        height=image.height,
    )
    db.session.add(shot)
    db.session.flush()
    return shot


def seed_tip(help_request: HelpRequest, by: User) -> Tip:
    """A resolved request becomes a draft tip (for its author to edit and send for review)."""
    if not help_request.can_seed_tip(by):
        raise RequestError("Only a resolved request becomes a tip, once.")
    answers = [m.body for m in help_request.messages if m.author_id != help_request.requester_id]
    # The tip is for the whole district: the people in the thread become their roles.
    people = people_of_request(help_request)
    body = (
        "## The problem\n\n"
        + (help_request.details or help_request.summary)
        + "\n\n## What worked\n\n"
        + ("\n\n".join(answers) or "Describe the fix step by step.")
        + "\n\n<!-- Remove names and anything that identifies a person before sending. -->"
    )
    body = without_names(body, people)
    try:
        tip = tips.create_tip(
            author=by,
            title=without_names(help_request.summary, people)[:120],
            body=body,
            skills=[help_request.skill],
            devices=[Device.ANY],
            help_request=help_request,
        )
    except tips.TipError as exc:
        raise RequestError(str(exc)) from exc
    changed = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.draft_tip_id.is_(None))
        .values(draft_tip_id=tip.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise RequestError("This request already became a tip.")
    db.session.refresh(help_request)
    return tip


# Cron -------------------------------------------------------------------------------------------


def school_seconds_to_resolve(help_request: HelpRequest, resolved_at: datetime) -> int:
    """School hours from opening to `resolved_at` at the requester's school, in seconds."""
    school = help_request.requester.school
    calendar = load_calendars([school])[school.id]
    opened = help_request.created_at
    days = calendar.days(
        opened.astimezone(calendar.tz).date(), resolved_at.astimezone(calendar.tz).date()
    )
    return round(school_seconds_between(opened, resolved_at, days, calendar.tz))


def time_resolved_requests(batch: int = 500) -> int:
    """Store the school-clock time of resolved requests that have none (resolved before it was
    stored); returns how many. Repeatable; commits per batch so a large district can't time out."""
    timed = 0
    while True:
        waiting = db.session.scalars(
            select(HelpRequest)
            .options(joinedload(HelpRequest.requester))
            .where(
                HelpRequest.resolved_at.is_not(None),
                HelpRequest.school_seconds_to_resolve.is_(None),
            )
            .order_by(HelpRequest.id)
            .limit(batch)
        ).all()
        if not waiting:
            return timed
        for help_request in waiting:
            help_request.school_seconds_to_resolve = school_seconds_to_resolve(
                help_request, help_request.resolved_at
            )
        db.session.commit()
        timed += len(waiting)


def calendar_days(school_ids: set[int], start: date, end: date):
    """Open school days in [start, end] per school, with its time zone."""
    schools = db.session.scalars(select(School).where(School.id.in_(school_ids))).all()
    return {
        school_id: (data.days(start, end), data.tz)
        for school_id, data in load_calendars(schools).items()
    }


def _with_people():
    return (
        joinedload(HelpRequest.requester),
        joinedload(HelpRequest.mentor),
        joinedload(HelpRequest.skill),
    )


def load_for_page(request_id: int) -> HelpRequest | None:
    return db.session.scalar(
        select(HelpRequest)
        .options(
            *_with_people(),
            selectinload(HelpRequest.messages),
            selectinload(HelpRequest.events),
            selectinload(HelpRequest.screenshots),
        )
        .where(HelpRequest.id == request_id)
    )


def screenshot_of(help_request: HelpRequest, screenshot_id: int) -> RequestScreenshot | None:
    return db.session.scalar(
        select(RequestScreenshot)
        .options(undefer(RequestScreenshot.data))
        .where(
            RequestScreenshot.id == screenshot_id,
            RequestScreenshot.request_id == help_request.id,
        )
    )


def published_tip(tip_id: int) -> Tip | None:
    tip = db.session.get(Tip, tip_id)
    return tip if tip is not None and tip.status is TipStatus.PUBLISHED else None


# Report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    months: list[str]  # "2026-11", oldest first
    by_topic: dict[str, dict[str, int]]  # topic → month → count
    outcomes: dict[str, int]  # students, escalated, self_served
    median_first_response_hours: float | None
    answered: int

    @property
    def finished(self) -> int:
        return sum(self.outcomes.values())

    def share(self, outcome: str) -> int:
        """Whole percent of finished requests that ended this way."""
        return round(100 * self.outcomes[outcome] / self.finished) if self.finished else 0


def program_report(now: datetime, tz: ZoneInfo) -> Report:
    """Requests by topic and month, how they ended, and the median first answer in school hours."""
    rows = list(
        db.session.scalars(
            select(HelpRequest).options(
                joinedload(HelpRequest.skill), joinedload(HelpRequest.requester)
            )
        ).unique()
    )
    by_topic: dict[str, Counter] = defaultdict(Counter)
    months: set[str] = set()
    outcomes = Counter({"students": 0, "escalated": 0, "self_served": 0})
    for r in rows:
        month = r.created_at.astimezone(tz).strftime("%Y-%m")
        months.add(month)
        by_topic[r.skill.name][month] += 1
        if r.outcome:
            outcomes[r.outcome] += 1
    answered = [r for r in rows if r.first_response_at is not None]
    median = None
    if answered:
        first = min(r.created_at for r in answered).date() - timedelta(days=1)
        last = max(r.first_response_at for r in answered).date() + timedelta(days=1)
        calendars = calendar_days({r.requester.school_id for r in answered}, first, last)
        hours = []
        for r in answered:
            days, school_tz = calendars[r.requester.school_id]
            hours.append(
                school_seconds_between(r.created_at, r.first_response_at, days, school_tz) / 3600
            )
        median = round(statistics.median(hours), 1)
    return Report(
        months=sorted(months),
        by_topic={topic: dict(counts) for topic, counts in sorted(by_topic.items())},
        outcomes=dict(outcomes),
        median_first_response_hours=median,
        answered=len(answered),
    )
