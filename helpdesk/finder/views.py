import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request
from flask_login import current_user
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from helpdesk import slot_labels
from helpdesk.accounts.models import Role
from helpdesk.clock import utcnow
from helpdesk.finder import cache, defaults, reasons, services
from helpdesk.finder.forms import FindForm
from helpdesk.locale import current_locale
from helpdesk.pairings import free_periods
from helpdesk.permissions import role_required
from helpdesk.skills.services import all_skills
from helpdesk.stamped_cache import all_stats

bp = Blueprint("finder", __name__, url_prefix="/find")
DEFAULT_DAYS = 14
for _name, _filter in slot_labels.FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


@dataclass(frozen=True)
class _Question:
    """What a search asks, read from its query string: the form's values, and the form shown."""

    is_complete: bool  # valid, with a topic: search
    skill_id: int
    start: date | None
    end: date | None
    school_id: int | None
    minutes: int
    online_only: bool
    free_only: bool  # "Times I'm free": keep only slots inside the teacher's free periods
    carry: tuple[tuple[str, str], ...]  # the booking's topic and goal, passed on
    form_html: Markup


def _read_question(
    args, settings, skills, schools, asked: bool = True, is_teacher: bool = False
) -> _Question:
    """`asked`: the person sent these values (not the defaults the finder opens with);
    `is_teacher`: the form offers "Times I'm free" (a teacher's own free periods)."""
    form = FindForm(args)
    form.skill_id.choices = [SelectChoice(0, "Choose a topic")] + [
        SelectChoice(*skill) for skill in skills
    ]
    form.school_id.choices = [SelectChoice(0, "Any school")] + [
        SelectChoice(*school) for school in schools
    ]
    form.minutes.choices = [SelectChoice(n, f"{n} minutes") for n in settings.lengths]
    if not form.minutes.data:
        form.minutes.data = settings.lengths[0]
    is_complete = bool(args) and form.validate() and bool(form.skill_id.data)
    if not form.skill_id.data:
        # Opening the finder without a last topic asks nothing yet, so nothing to correct.
        form.skill_id.errors = [*form.skill_id.errors, "Choose a topic."] if asked else []
    carry = {key: args[key][:2000] for key in ("topic", "goal") if args.get(key)}
    return _Question(
        is_complete,
        form.skill_id.data,
        form.start.data,
        form.end.data,
        form.school_id.data or None,
        form.minutes.data,
        form.online_only.data,
        is_teacher and form.free_only.data,
        tuple(carry.items()),
        _rendered("finder/_form.html", form=form, carry=carry, show_free_only=is_teacher),
    )


@bp.get("/")
@role_required(Role.TEACHER, Role.ADVISOR)
def find():
    now = utcnow()
    scope = cache.cache_scope(
        now,
        skill_id=request.args.get("skill_id", type=int),
        teacher_id=current_user.id if current_user.is_teacher else None,
    )
    settings = services.rules_snapshot(scope)
    choices = cache.remember(
        (scope, "choices"),
        lambda: [
            [(row.id, row.name) for row in rows] for rows in (all_skills(), services.schools())
        ],
    )
    timezone = current_user.school.timezone
    today = now.astimezone(ZoneInfo(timezone)).date()
    args, asked = request.args, bool(request.args)
    if not asked:
        args = _opening_question(today, settings.lengths)
    is_teacher = current_user.is_teacher
    question = cache.remember(
        (scope, "question", urlencode(list(args.items(multi=True))), asked, is_teacher),
        lambda: _read_question(args, settings, *choices, asked=asked, is_teacher=is_teacher),
    )
    matches, error, has_more, start, end, none_because = None, None, False, None, None, None
    free_spec, outside_free = None, False
    page = max(1, min(request.args.get("page", 1, type=int), 500))
    if question.is_complete:
        start = question.start or today
        end = question.end or start + timedelta(days=DEFAULT_DAYS - 1)
        if question.free_only:
            try:
                free_spec, matches, has_more, outside_free = _free_matches(
                    question, start, end, now, scope, settings, page
                )
            except services.FinderError as exc:
                free_spec, error = (), str(exc)
    if question.is_complete and free_spec is None:
        try:
            matches = services.find_mentors(
                skill_id=question.skill_id,
                start=start,
                end=end,
                session_minutes=question.minutes,
                now=now,
                teacher=current_user if current_user.is_teacher else None,
                school_id=question.school_id,
                online_only=question.online_only,
                limit=services.PAGE_SIZE + 1,
                skip=(page - 1) * services.PAGE_SIZE,
                scope=scope,
                with_profiles=False,
                settings=settings,
            )
            has_more = len(matches) > services.PAGE_SIZE
            matches = matches[: services.PAGE_SIZE]
        except services.FinderError as exc:
            error = str(exc)
        if matches == [] and page == 1:
            none_because = reasons.why_no_mentors(
                skill_id=question.skill_id,
                skill_name=dict(choices[0]).get(question.skill_id, "that topic"),
                school_id=question.school_id,
                online_only=question.online_only,
                start=start,
                end=end,
                now=now,
                settings=settings,
                timezone=timezone,
                locale=current_locale(),
            )
    return render_template(
        "finder/find.html",
        form_html=question.form_html,
        none_because=none_because,
        query=args.to_dict(flat=True),
        topic=dict(choices[0]).get(question.skill_id, ""),
        cards=_cards(matches or [], scope, question, start, end, free_spec),
        matches=matches,
        error=error,
        page=page,
        has_more=has_more,
        first_rank=(page - 1) * services.PAGE_SIZE + 1,
        explanation=services.SCORE_EXPLANATION,
        outside_free=outside_free,
        no_free_periods=free_spec == (),
    )


@bp.get("/caches")
@role_required(Role.ADVISOR)
def caches():
    """This process's caches and their counters: how often a page was answered from memory."""
    return render_template("finder/caches.html", caches=all_stats())


def _opening_question(today, lengths: list[int]) -> MultiDict:
    """The question the finder opens with: the next two school weeks and, for a teacher, the
    topic and length of their last booking (searched at once: a returning teacher sees times)."""
    start, end = defaults.next_school_weeks(today)
    opening = MultiDict({"start": start.isoformat(), "end": end.isoformat()})
    last = defaults.last_topic(current_user) if current_user.is_teacher else None
    if last is not None:
        opening["skill_id"] = str(last[0])
        if last[1] in lengths:
            opening["minutes"] = str(last[1])
    return opening


def _free_matches(question: _Question, start, end, now, scope, settings, page: int):
    """ "Times I'm free": every match's slots cut to the teacher's free periods, mentors left
    with none dropped, then the page. Returns the free periods (they key the cards: a card
    shows the cut slots), the page, whether there is more, and whether free periods hid all."""
    spec, spans = free_periods.teacher_free_spans(current_user, start, end)
    every = services.find_mentors(
        skill_id=question.skill_id, start=start, end=end, session_minutes=question.minutes,
        now=now, teacher=current_user, school_id=question.school_id,
        online_only=question.online_only, scope=scope, with_profiles=False, settings=settings,
    )  # fmt: skip
    kept = []
    for match in every:
        slots = free_periods.keep_free(match.slots, spans)
        if slots:
            kept.append(dataclasses.replace(match, slots=slots))
    first = (page - 1) * services.PAGE_SIZE
    shown = kept[first : first + services.PAGE_SIZE]
    return spec, shown, len(kept) > first + services.PAGE_SIZE, bool(every) and not kept


def _cards(
    matches: list[services.MentorMatch], scope, question: _Question, start, end, free_spec=None
) -> list:
    """The mentors' cards: the same for everyone asking this question, but for their good past
    sessions with the mentor and whether they may book. Only mentors not cached are loaded.
    Cut to a teacher's free periods, a card is keyed by those periods too."""
    is_teacher = current_user.is_teacher
    asked = (question.skill_id, question.minutes, question.carry, free_spec)
    keys = [
        (scope, "card", asked, start, end, m.mentor_id, m.version, m.good_past_sessions)
        + (is_teacher, m.slots[0], len(m.slots))  # the hour's slots, cut to this moment
        for m in matches
    ]
    cards = [cache.get(key) for key in keys]
    services.load_profiles([m for m, card in zip(matches, cards, strict=True) if card is None])
    book_args = dict(skill=question.skill_id, minutes=question.minutes, **dict(question.carry))
    for index, (match, key) in enumerate(zip(matches, keys, strict=True)):
        if cards[index] is None:
            cards[index] = _rendered(
                "finder/_match.html", match=match, is_teacher=is_teacher, book_args=book_args
            )
            cache.put(key, cards[index])
    return cards


def _rendered(template: str, **context) -> Markup:
    return Markup(render_template(template, **context))  # noqa: S704 (our autoescaping templates)
