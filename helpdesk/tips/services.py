"""Tips: writing, review (draft → submitted → published, or returned), votes, views and search."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from math import ceil

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, joinedload

from helpdesk.accounts.models import User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.skills.models import Skill
from helpdesk.tips import search
from helpdesk.tips.highlight import Highlight, highlight
from helpdesk.tips.library_cache import library_changed
from helpdesk.tips.markdown import render_plain
from helpdesk.tips.models import (
    BODY_MAX,
    DEVICES,
    TITLE_MAX,
    TRANSITIONS,
    Device,
    Tip,
    TipEvent,
    TipStatus,
    TipVote,
    tip_skill,
)
from helpdesk.tips.query import query_tokens
from helpdesk.tips.search import Filters, Sort, strip_control
from helpdesk.tips.synonyms import synonym_groups
from helpdesk.tips.terms import idf

PER_PAGE = 20
SUGGESTIONS = 5
RELATED = 4
MAX_PAGE = 10_000


class TipError(ValueError):
    """A tip rule was broken; the message is safe to show."""


def can_write_tip(user: User, booking: Booking | None, help_request=None, workshop=None) -> bool:
    """The advisor may write any tip; a mentor writes from a completed session they led,
    a help request they resolved or a workshop they hosted."""
    if help_request is not None:
        return help_request.can_seed_tip(user)
    if workshop is not None:
        return workshop.can_seed_tip(user)
    if user.is_advisor:
        return booking is None or booking.status is BookingStatus.COMPLETED
    return (
        booking is not None
        and booking.status is BookingStatus.COMPLETED
        and booking.mentor_id == user.id
    )


def _devices_bits(devices: Iterable[Device] | int) -> int:
    bits = devices if isinstance(devices, int) else sum({Device(d) for d in devices})
    if not bits or bits & ~sum(DEVICES):
        raise TipError("Choose at least one device the tip applies to.")
    return int(bits)


def _fill(tip: Tip, title: str, body: str, skills: list[Skill], devices) -> None:
    title = " ".join(strip_control(title).split())
    body = strip_control(body).strip()
    if not title:
        raise TipError("A tip needs a title.")
    if len(title) > TITLE_MAX:
        raise TipError(f"The title may be at most {TITLE_MAX} characters.")
    if not body:
        raise TipError("A tip needs some text.")
    if len(body) > BODY_MAX:
        raise TipError(f"The tip may be at most {BODY_MAX:,} characters.")
    if not skills:
        raise TipError("Tag the tip with at least one skill.")
    tip.title = title
    tip.body = body
    tip.body_text = strip_control(render_plain(body))
    tip.devices = _devices_bits(devices)
    _set_skills(tip, skills)


def _set_skills(tip: Tip, skills: list[Skill]) -> None:
    unique = sorted({s.id: s for s in skills}.values(), key=lambda s: s.name)
    tip.skills = unique
    tip.tags_text = ", ".join(strip_control(s.name) for s in unique)


def create_tip(
    *,
    author: User,
    title: str,
    body: str,
    skills: list[Skill],
    devices: Iterable[Device] | int,
    booking: Booking | None = None,
    help_request=None,
    workshop=None,
) -> Tip:
    """A draft tip, from a completed session, a resolved help request or a hosted workshop, or
    by the advisor."""
    if not can_write_tip(author, booking, help_request, workshop):
        raise TipError("Tips are written from a completed session you led.")
    tip = Tip(
        author_id=author.id,
        mentor_id=booking.mentor_id if booking else (author.id if author.is_mentor else None),
        source_booking_id=booking.id if booking else None,
        source_workshop_id=workshop.id if workshop else None,
        status=TipStatus.DRAFT,
    )
    _fill(tip, title, body, skills, devices)
    db.session.add(tip)
    db.session.flush()
    return tip


def update_tip(
    tip: Tip,
    *,
    by: User,
    title: str,
    body: str,
    skills: list[Skill],
    devices: Iterable[Device] | int,
) -> Tip:
    """The author edits a draft or returned tip; the advisor edits any (to remove names)."""
    if not tip.can_edit(by):
        raise TipError("This tip cannot be changed now.")
    _fill(tip, title, body, skills, devices)
    if tip.is_published:
        library_changed()
    db.session.flush()
    return tip


def change_status(tip: Tip, to: TipStatus, *, by: User, comment: str = "") -> None:
    """The one way a tip's status changes: checks TRANSITIONS and records the step."""
    if (tip.status, to) not in TRANSITIONS:
        raise TipError(f"A tip that is {tip.status.label.lower()} cannot become {to.value}.")
    db.session.add(
        TipEvent(tip_id=tip.id, actor_id=by.id, from_status=tip.status, to_status=to,
                 comment=comment)
    )  # fmt: skip
    if TipStatus.PUBLISHED in (tip.status, to):
        library_changed()
    tip.status = to
    tip.published_at = utcnow() if to is TipStatus.PUBLISHED else None
    db.session.flush()


def submit_tip(tip: Tip, *, by: User) -> None:
    """The author sends a draft (or a returned tip) to the advisor."""
    if not tip.is_author(by):
        raise TipError("Only the tip's author can send it for review.")
    change_status(tip, TipStatus.SUBMITTED, by=by)


def publish_tip(tip: Tip, *, by: User) -> None:
    """The advisor publishes a submitted tip to the library."""
    if not by.is_advisor:
        raise TipError("Only the advisor publishes tips.")
    tip.review_comment = ""
    change_status(tip, TipStatus.PUBLISHED, by=by)


def return_tip(tip: Tip, *, by: User, comment: str) -> None:
    """The advisor sends a tip back to its author, saying what to change."""
    comment = strip_control(comment).strip()
    if not by.is_advisor:
        raise TipError("Only the advisor returns tips.")
    if not comment:
        raise TipError("Say what to change, so the author knows.")
    tip.review_comment = comment
    change_status(tip, TipStatus.RETURNED, by=by, comment=comment)


def vote_helpful(tip: Tip, user: User) -> bool:
    """One "helpful" per person per tip (the database guards it); False if already counted."""
    if not tip.can_vote(user):
        raise TipError("You cannot vote on this tip.")
    try:
        with db.session.begin_nested():
            db.session.add(TipVote(tip_id=tip.id, user_id=user.id))
    except IntegrityError:
        return False
    db.session.execute(
        update(Tip).where(Tip.id == tip.id).values(helpful_count=Tip.helpful_count + 1)
    )
    library_changed()
    return True


def has_voted(tip: Tip, user: User) -> bool:
    return (
        db.session.scalar(
            select(TipVote.id).where(TipVote.tip_id == tip.id, TipVote.user_id == user.id)
        )
        is not None
    )


def record_view(tip: Tip) -> None:
    """Counts a view in SQL, so concurrent readers never lose one."""
    db.session.execute(
        update(Tip).where(Tip.id == tip.id).values(view_count=Tip.view_count + 1),
        execution_options={"synchronize_session": False},
    )


def move_tips_to_skill(source_skill_id: int, target_skill_id: int) -> int:
    """For a skill merge: every tip tagged with the source is tagged with the target instead."""
    tips = db.session.scalars(
        select(Tip)
        .join(tip_skill, tip_skill.c.tip_id == Tip.id)
        .where(tip_skill.c.skill_id == source_skill_id)
    ).all()
    target = db.session.get(Skill, target_skill_id)
    if target is None:
        raise TipError("That skill does not exist.")
    for tip in tips:
        _set_skills(tip, [s for s in tip.skills if s.id != source_skill_id] + [target])
    library_changed()
    db.session.flush()
    return len(tips)


def refresh_skill_tags(skill_id: int) -> int:
    """After a skill is renamed: its tips' search text picks up the new name."""
    tips = db.session.scalars(
        select(Tip)
        .join(tip_skill, tip_skill.c.tip_id == Tip.id)
        .where(tip_skill.c.skill_id == skill_id)
    ).all()
    for tip in tips:
        _set_skills(tip, list(tip.skills))
    library_changed()
    db.session.flush()
    return len(tips)


# Reading -----------------------------------------------------------------------------------


@dataclass
class TipPage:
    tips: list[Tip]
    total: int
    page: int
    per_page: int
    is_capped: bool = False
    highlights: dict[int, Highlight] = field(default_factory=dict)
    corrections: list[tuple[str, str]] = field(default_factory=list)
    corrected_query: str = ""
    unknown_words: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        shown = min(self.total, search.MAX_RANKED) if self.is_capped else self.total
        return max(1, ceil(shown / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def _device_filter_bits(device: Device | None) -> int | None:
    if device is None:
        return None
    return int(device | Device.ANY)


def _load_in_order(ids: list[int], *, with_text: bool = True) -> list[Tip]:
    """A page of tips for a list: no Markdown body (and no plain text when not shown), and the
    credited people without their schools."""
    if not ids:
        return []
    options = [
        defer(Tip.body),
        joinedload(Tip.author).lazyload(User.school),
        joinedload(Tip.mentor).lazyload(User.school),
    ]
    if not with_text:
        options.append(defer(Tip.body_text))
    rows = db.session.scalars(select(Tip).where(Tip.id.in_(ids)).options(*options))
    by_id = {t.id: t for t in rows}
    return [by_id[i] for i in ids if i in by_id]


def search_tips(
    query: str = "",
    *,
    skill_id: int | None = None,
    device: Device | None = None,
    sort: Sort = Sort.RELEVANCE,
    page: int = 1,
    per_page: int = PER_PAGE,
    correct: bool = True,
) -> TipPage:
    """Published tips: the best matches for the words (highlighted), or all of them, filtered."""
    page = max(1, min(page, MAX_PAGE))
    if not query_tokens(strip_control(query)):
        return _browse(skill_id, device, sort, page, per_page)
    result = search.search(
        db.session.connection(),
        query,
        synonym_groups=synonym_groups(),
        filters=Filters(skill_id, _device_filter_bits(device)),
        sort=sort,
        offset=(page - 1) * per_page,
        limit=per_page,
        correct=correct,
    )
    return _page(result, page, per_page, query)


def _page(result: search.SearchResult, page: int, per_page: int, typed: str) -> TipPage:
    tips = _load_in_order(result.tip_ids)
    stems = result.query.stems
    return TipPage(
        tips,
        result.total,
        page,
        per_page,
        result.is_capped,
        {t.id: highlight(t.title, t.body_text, stems) for t in tips},
        corrections=result.query.corrections,
        corrected_query=result.query.corrected_text(typed) if result.query.corrections else "",
        unknown_words=result.query.unknown,
    )


def _browse(
    skill_id: int | None,
    device: Device | None,
    sort: Sort,
    page: int,
    per_page: int,
    counted: bool = True,
) -> TipPage:
    where = [Tip.status == TipStatus.PUBLISHED]
    if skill_id is not None:
        where.append(Tip.skills.any(Skill.id == skill_id))
    if device is not None:
        where.append(Tip.devices.op("&")(_device_filter_bits(device)) != 0)
    order = (
        (Tip.helpful_count.desc(), Tip.published_at.desc(), Tip.id.desc())
        if sort is Sort.HELPFUL
        else (Tip.published_at.desc(), Tip.id.desc())
    )
    # count(*): PostgreSQL answers it from a (status, …) index; count(id) read all 100,000 rows.
    total = (db.session.scalar(select(func.count()).where(*where)) or 0) if counted else 0
    tips = db.session.scalars(
        select(Tip).where(*where).order_by(*order).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return TipPage(list(tips), total, page, per_page)


def popular_tips(skill_id: int | None = None, limit: int = 5) -> list[Tip]:
    """The most helpful published tips (for a skill): what to offer when nothing matched."""
    return _browse(skill_id, None, Sort.HELPFUL, 1, limit, counted=False).tips


# A suggestion must share more than a common word with the question: a word in one tip in five
# or more ("class"; in a library of more than a few tips) says nothing about which tip answers
# it; and it must score at least this share of the best suggestion.
COMMON_SHARE = 0.2
COMMON_MINIMUM = 5
SUGGESTION_FLOOR = 0.25


def suggest_tips(text: str, limit: int = SUGGESTIONS) -> TipPage:
    """Published tips that may already answer what a teacher is typing (the library's engine)."""
    result = search.search(
        db.session.connection(),
        text[: search.MAX_QUERY_CHARS],
        synonym_groups=synonym_groups(),
        limit=limit,
    )
    query = result.query
    common = idf(max(COMMON_MINIMUM, COMMON_SHARE * query.documents), query.documents)
    telling = [c for c in query.concepts if max(query.idf[t] for t in c.term_ids) > common]
    if not telling or not result.ranked:
        result.tip_ids, result.total = [], 0
    else:
        floor = result.ranked[0][1] * SUGGESTION_FLOOR
        result.tip_ids = [tip_id for tip_id, score in result.ranked[:limit] if score >= floor]
        result.total = len(result.tip_ids)
    return _page(result, 1, limit, text)


def related_tips(tip: Tip, limit: int = RELATED) -> list[Tip]:
    """Other published tips most like this one: its title and skills, asked of the library."""
    question = f"{tip.title} {tip.tags_text}"
    result = search.search(
        db.session.connection(),
        question,
        filters=Filters(exclude_tip_id=tip.id),
        limit=limit,
        correct=False,
    )
    return _load_in_order(result.tip_ids, with_text=False)


def tips_for_review() -> list[Tip]:
    return list(
        db.session.scalars(
            select(Tip).where(Tip.status == TipStatus.SUBMITTED).order_by(Tip.updated_at)
        )
    )


def tips_by_author(user: User) -> list[Tip]:
    return list(
        db.session.scalars(
            select(Tip).where(Tip.author_id == user.id).order_by(Tip.updated_at.desc())
        )
    )


def skills_for_filter() -> list[Skill]:
    return list(db.session.scalars(select(Skill).order_by(Skill.name)))
