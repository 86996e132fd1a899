import hashlib
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.web import log_read
from helpdesk.accounts.forms import ConfirmForm
from helpdesk.accounts.models import Role, User
from helpdesk.availability.services import program_settings
from helpdesk.bookings import calendars, commands, list_cache, lists, prefill
from helpdesk.bookings.approvals import approval_preview
from helpdesk.bookings.forms import BookingForm, ReasonForm, ReassignForm
from helpdesk.bookings.models import Booking, BookingFormat
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.formatting import plural
from helpdesk.forms_common import EARLIEST_DATE, LATEST_DATE, field_errors, parse_id
from helpdesk.mentors.models import MentorProfile
from helpdesk.permissions import advisor_required, role_required
from helpdesk.reflections import services as reflections
from helpdesk.reflections.forms import CompleteForm, MentorReflectionForm, TeacherReflectionForm
from helpdesk.series import lists as series_lists
from helpdesk.skills.models import Skill
from helpdesk.workshops.lists import week_of as workshops_week_of

bp = Blueprint("bookings", __name__, url_prefix="/sessions")
feeds = Blueprint("feeds", __name__)


def _load(booking_id: int) -> Booking:
    booking = db.get_or_404(Booking, booking_id)
    if not booking.can_view(current_user):
        abort(404)
    return booking


def _page_arg(name: str) -> int:
    return parse_id(request.args.get(name)) or 1


def _parse_start(raw: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(raw or "")
    except ValueError:
        return None
    if moment.tzinfo is None or not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        return None  # near year 1 or 9999 the slot arithmetic would overflow
    return moment


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.TEACHER)
def new():
    mentor_id = parse_id(request.args.get("mentor"))
    mentor = db.session.get(User, mentor_id) if mentor_id else None
    starts_at = _parse_start(request.args.get("start"))
    minutes = parse_id(request.args.get("minutes")) or 0
    skill = db.session.get(Skill, parse_id(request.args.get("skill")) or 0)
    if (
        mentor is None
        or mentor.role is not Role.MENTOR
        or starts_at is None
        or minutes not in program_settings().lengths
        or skill is None
    ):
        flash("Choose a time from Find a mentor first.", "error")
        return redirect(url_for("finder.find"))
    form = _booking_form(mentor, skill, starts_at, minutes)
    now = utcnow()
    alternatives = []
    if form.validate_on_submit():
        try:
            booking = commands.request_booking(
                current_user, _booking_request(form, mentor, skill, starts_at, minutes), now
            )
        except commands.SlotTaken as exc:
            db.session.rollback()
            flash(f"{exc} Here are other open times.", "error")
            alternatives = exc.alternatives
        except commands.BookingError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Requested. The time is held for you while the advisor approves it.", "success")
            return redirect(url_for("bookings.show", booking_id=booking.id))
    slot = _open_slot(mentor, skill, starts_at, minutes, now)
    if slot is None and not alternatives and request.method == "GET":
        alternatives = lists.alternatives_for(mentor, skill.id, starts_at, minutes, now)
    return render_template(
        "bookings/new.html",
        form=form,
        mentor=mentor,
        skill=skill,
        starts_at=starts_at,
        slot=slot,
        minutes=minutes,
        first_time=form.requires_norms,
        alternatives=alternatives,
        skill_id=skill.id,
    )


def _open_slot(mentor: User, skill: Skill, starts_at: datetime, minutes: int, now: datetime):
    """The slot asked for, with its period label, or None once it is gone (one day's slots)."""
    slots = lists.open_slots(mentor, skill.id, starts_at, minutes, now)
    return next((slot for slot in slots if slot.start_at == starts_at), None)


def _booking_form(mentor: User, skill: Skill, starts_at: datetime, minutes: int) -> BookingForm:
    """The form with what is known filled in: the topic chosen in the finder (or the one it
    carried), the place of the teacher's last session, and the mentor's formats."""
    last = prefill.last_place(current_user)
    form = BookingForm(
        mentor_id=mentor.id,
        skill_id=skill.id,
        starts_at=starts_at.isoformat(),
        minutes=minutes,
        request_key=uuid.uuid4().hex,
        topic=request.args.get("topic", "")[:200] or skill.name,
        learning_goal=request.args.get("goal", "")[:2000],
        format=last.format.value if last else BookingFormat.IN_PERSON.value,
        room=last.room if last else "",
        meeting_url=last.meeting_url if last else "",
    )
    profile = db.session.get(MentorProfile, mentor.id)
    if profile is not None:
        form.limit_formats(profile.offers_in_person, profile.offers_online)
    form.requires_norms = lists.is_first_pairing(current_user, mentor)
    return form


def _booking_request(form, mentor, skill, starts_at, minutes) -> commands.BookingRequest:
    return commands.BookingRequest(
        mentor_id=mentor.id,
        skill_id=skill.id,
        starts_at=starts_at,
        minutes=minutes,
        topic=form.topic.data,
        learning_goal=form.learning_goal.data,
        format=BookingFormat(form.format.data),
        room=form.room.data or "",
        meeting_url=form.meeting_url.data or "",
        notes=form.notes.data or "",
        request_key=form.request_key.data or None,
        agrees_to_norms=form.agrees_to_norms.data,
    )


@bp.get("/")
@login_required
def mine():
    pages = (_page_arg("upcoming"), _page_arg("past"))
    upcoming, past = list_cache.as_of(
        list_cache.MINUTE,
        utcnow(),
        current_user,
        ("mine", *pages),
        lambda now: lists.sessions_for(current_user, now, *pages),
    )
    return render_template("bookings/mine.html", upcoming=upcoming, past=past)


@bp.get("/<int:booking_id>")
@login_required
def show(booking_id: int):
    booking = _load(booking_id)
    now = utcnow()
    if not booking.involves(current_user):  # the advisor, looking at a student's session
        log_read(
            AccessAction.SESSION_VIEWED,
            subject_id=booking.mentor_id,
            detail=f"session {booking.id}",
        )
    reschedule_slots = reassign_form = None
    if booking.can_reschedule(current_user, now):
        reschedule_slots = lists.reschedule_times(booking, now)
    if booking.can_reassign(current_user, now):
        reassign_form = ReassignForm(prefix="reassign")
        reassign_form.mentor_id.choices = [
            SelectChoice(m.id, m.display_name) for m in lists.free_mentors_then(booking, now)
        ]
    return render_template(
        "bookings/show.html",
        can_complete=reflections.can_complete(booking, current_user, now),
        complete_form=CompleteForm(),
        report=reflections.report_for(booking),
        own_reflection=reflections.own_reflection(booking, current_user),
        reflections=reflections.visible_reflections(booking, current_user),
        reflection_form=_reflection_form(booking),
        booking=booking,
        now=now,
        confirm=ConfirmForm(),
        reason_form=ReasonForm(),
        reschedule_slots=reschedule_slots,
        reassign_form=reassign_form,
        series_position=series_lists.position_of(booking),
    )


def _reflection_form(booking: Booking):
    side = reflections.side_of(booking, current_user)
    if side is None or booking.status.value != "completed":
        return None
    return TeacherReflectionForm() if side == "teacher" else MentorReflectionForm()


def _act(booking_id: int, action):
    booking = _load(booking_id)
    try:
        message = action(booking)
    except commands.BookingError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(
        request.form.get("back")
        if request.form.get("back") == url_for("bookings.queue")
        else url_for("bookings.show", booking_id=booking_id)
    )


@bp.post("/<int:booking_id>/approve")
@advisor_required
def approve(booking_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)

    def run(booking):
        commands.approve_booking(booking, current_user)
        return "Approved. Both sides have the invitation."

    return _act(booking_id, run)


@bp.post("/<int:booking_id>/decline")
@login_required
def decline(booking_id: int):
    form = ReasonForm()

    def run(booking):
        if not booking.can_decline(current_user):
            abort(403)
        if not form.validate_on_submit():
            raise commands.BookingError(
                field_errors(form) or "Give a reason, so the teacher knows what to do next."
            )
        commands.decline_booking(booking, current_user, form.reason.data)
        return "Declined; the teacher has been told why."

    return _act(booking_id, run)


@bp.post("/<int:booking_id>/cancel")
@login_required
def cancel(booking_id: int):
    form = ReasonForm()

    def run(booking):
        if not booking.can_cancel(current_user, utcnow()):
            raise commands.BookingError("This session can no longer be cancelled.")
        if not form.validate_on_submit():
            raise commands.BookingError(field_errors(form) or "Give a reason for cancelling.")
        commands.cancel_booking(booking, current_user, form.reason.data, utcnow())
        return "Cancelled. The other side has been told."

    return _act(booking_id, run)


@bp.post("/<int:booking_id>/reschedule")
@login_required
def reschedule(booking_id: int):
    def run(booking):
        if not booking.can_reschedule(current_user, utcnow()):
            raise commands.BookingError("This session can no longer be moved.")
        new_start = _parse_start(request.form.get("reschedule-starts_at"))
        if new_start is None or not ConfirmForm().validate_on_submit():
            raise commands.BookingError("Choose one of the open times.")
        commands.reschedule_booking(booking, current_user, new_start, utcnow())
        return "Moved. Both calendars get the new time."

    return _act(booking_id, run)


@bp.post("/<int:booking_id>/reassign")
@advisor_required
def reassign(booking_id: int):
    def run(booking):
        mentor_id = parse_id(request.form.get("reassign-mentor_id"))
        mentor = db.session.get(User, mentor_id) if mentor_id else None
        if (
            mentor is None
            or mentor.role is not Role.MENTOR
            or not ConfirmForm().validate_on_submit()
        ):
            raise commands.BookingError("Choose a mentor who is free then.")
        commands.reassign_booking(booking, current_user, mentor, utcnow())
        return f"Reassigned to {mentor.display_name}."

    return _act(booking_id, run)


@bp.get("/queue")
@advisor_required
def queue():
    page = _page_arg("page")
    waiting, waiting_series = list_cache.waiting(
        (page,), lambda: (lists.waiting_requests(page), series_lists.waiting_series())
    )
    return render_template(
        "bookings/queue.html",
        waiting=waiting,
        now=utcnow(),
        confirm=ConfirmForm(),
        waiting_series=waiting_series,
    )


def _selected(values: list[str]) -> list[int]:
    return [i for i in map(parse_id, values) if i is not None]


@bp.get("/queue/approve")
@advisor_required
def approve_selected_preview():
    ids = _selected(request.args.getlist("booking_id"))
    page = parse_id(request.args.get("page"))
    if not ids:
        flash("Select the sessions to approve.", "error")
        return redirect(url_for("bookings.queue", page=page if page and page > 1 else None))
    return render_template(
        "bookings/approve_confirm.html",
        preview=approval_preview(ids),
        page=page,
        confirm=ConfirmForm(),
    )


@bp.post("/queue/approve")
@advisor_required
def approve_selected():
    if ConfirmForm().validate_on_submit() and request.form.get("confirmed") != "yes":
        if not _selected(request.form.getlist("booking_id")):
            flash("Select the sessions to approve.", "error")
            return redirect(url_for("bookings.queue"))
        flash("Nothing is approved yet: check the sessions, then confirm.", "info")
        return redirect(
            url_for(
                "bookings.approve_selected_preview",
                booking_id=_selected(request.form.getlist("booking_id")),
                page=parse_id(request.form.get("page")),
            )
        )
    if ConfirmForm().validate_on_submit():
        ids = _selected(request.form.getlist("booking_id"))
        approved, skipped = commands.approve_many(ids, current_user)
        db.session.commit()
        flash(
            f"Approved {plural(approved, 'session')}."
            + (f" {skipped} had already been decided." if skipped else ""),
            "success",
        )
    page = parse_id(request.form.get("page"))
    return redirect(url_for("bookings.queue", page=page if page and page > 1 else None))


@bp.get("/week")
@advisor_required
def week():
    zone = ZoneInfo(current_user.school.timezone)
    try:
        monday = datetime.fromisoformat(request.args.get("start", "")).date()
    except ValueError:
        monday = None
    if (
        monday is None or not EARLIEST_DATE <= monday <= LATEST_DATE
    ):  # no overflow at year 1 or 9999
        monday = utcnow().astimezone(zone).date()
    monday -= timedelta(days=monday.weekday())
    start = datetime.combine(monday, datetime.min.time(), zone)
    bookings = lists.week_of(start, start + timedelta(days=7))
    held = workshops_week_of(start, start + timedelta(days=7))
    days = [
        (
            monday + timedelta(days=n),
            [
                b
                for b in bookings
                if b.starts_at.astimezone(zone).date() == monday + timedelta(days=n)
            ],
            [w for w in held if w.starts_at.astimezone(zone).date() == monday + timedelta(days=n)],
        )
        for n in range(7)
    ]
    return render_template(
        "bookings/week.html",
        days=days,
        monday=monday,
        zone=str(zone),
        previous=monday - timedelta(days=7),
        following=monday + timedelta(days=7),
    )


@bp.get("/<int:booking_id>/session.ics")
@login_required
def download(booking_id: int):
    booking = _load(booking_id)
    body = calendars.session_ics(booking, current_user if booking.involves(current_user) else None)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="session-{booking.id}.ics"'},
    )


@bp.route("/calendar-link", methods=["GET", "POST"])
@login_required
def calendar_link():
    token = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        token = calendars.issue_feed_token(current_user)
        db.session.commit()
    https = url_for("feeds.feed", token=token, _external=True) if token else None
    webcal = "webcal://" + https.split("://", 1)[1] if https else None
    return render_template(
        "bookings/calendar_link.html",
        https=https,
        webcal=webcal,
        has_feed=current_user.feed_token_hash is not None,
        confirm=ConfirmForm(),
    )


@feeds.get("/calendar/feed/<token>.ics")
def feed(token: str):
    user = calendars.user_for_feed_token(token)
    if user is None:
        abort(404)
    now = utcnow()
    sessions = list_cache.as_of(
        list_cache.HOUR, now, user, ("feed",), lambda moment: calendars.session_events(user, moment)
    )
    body = calendars.feed_for(user, now, sessions)
    etag = hashlib.sha256(body).hexdigest()[:32]
    response = Response(body, mimetype="text/calendar")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response.make_conditional(request)
