"""Weekly series pages: book (preview, then confirm), a series' dates, approve or decline it
whole, and cancel a date and the rest of its series."""

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from helpdesk.accounts.forms import ConfirmForm
from helpdesk.accounts.models import Role, User
from helpdesk.availability.services import program_settings
from helpdesk.bookings import prefill
from helpdesk.bookings.forms import ReasonForm
from helpdesk.bookings.models import Booking, BookingFormat
from helpdesk.calendar.models import DayType
from helpdesk.calendar.services import school_periods
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.formatting import local_day, plural
from helpdesk.forms_common import field_errors, parse_id
from helpdesk.permissions import advisor_required, role_required
from helpdesk.series import services
from helpdesk.series.forms import SeriesForm
from helpdesk.series.models import BookingSeries
from helpdesk.skills.models import Skill

bp = Blueprint("series", __name__, url_prefix="/series")


def _load(series_id: int) -> BookingSeries:
    series = db.get_or_404(BookingSeries, series_id)
    if not series.can_view(current_user):
        abort(404)
    return series


def _people(role: Role, school_id: int) -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .where(User.role == role, User.is_active.is_(True), User.school_id == school_id)
            .order_by(User.full_name)
        )
    )


def _series_form() -> SeriesForm:
    """The form with who is fixed by role (a teacher books for themselves, a mentor with
    themselves) and the rest prefilled from ?mentor=&teacher=."""
    form = SeriesForm()
    me = current_user._get_current_object()
    mentor_id = parse_id(request.args.get("mentor"))
    teacher_id = parse_id(request.args.get("teacher"))
    # The pairing page links here with both; a form posted without one keeps the link's.
    form.mentor_id.data = form.mentor_id.data or mentor_id
    form.teacher_id.data = form.teacher_id.data or teacher_id
    if request.method == "GET":
        form.request_key.data = uuid.uuid4().hex
        last = prefill.last_place(me) if me.role is Role.TEACHER else None
        if last is not None:
            form.format.data, form.room.data = last.format.value, last.room
            form.meeting_url.data = last.meeting_url
    if me.role is Role.TEACHER:
        form.teacher_id.data = me.id
    if me.role is Role.MENTOR:
        form.mentor_id.data = me.id
    school = me.school
    mentor = db.session.get(User, form.mentor_id.data) if form.mentor_id.data else None
    if mentor is not None and mentor.role is Role.MENTOR:
        school = mentor.school
    form.teacher_id.choices = [
        SelectChoice(u.id, u.full_name) for u in _people(Role.TEACHER, school.id)
    ]
    form.mentor_id.choices = [
        SelectChoice(u.id, u.display_name) for u in _people(Role.MENTOR, school.id)
    ]
    form.skill_id.choices = [
        SelectChoice(s.id, s.name)
        for s in db.session.scalars(db.select(Skill).order_by(Skill.name))
    ]
    day_types = db.session.scalars(
        db.select(DayType.name).where(DayType.school_id == school.id).order_by(DayType.name)
    ).all()
    form.day_type.choices = [SelectChoice("", "Every school day")] + [
        SelectChoice(name, f"{name} days") for name in day_types
    ]
    form.period.choices = [SelectChoice("", "Choose a period")] + [
        SelectChoice(name, name) for name in sorted(school_periods(school.id))
    ]
    form.topic.description = "A few words for every date, e.g. Google Classroom for my 7th grade."
    form.minutes.choices = [
        SelectChoice(m, plural(m, "minute")) for m in program_settings().lengths
    ]
    if request.method == "GET" and form.minutes.data is None and form.minutes.choices:
        form.minutes.data = form.minutes.choices[0].value
    teacher = db.session.get(User, form.teacher_id.data) if form.teacher_id.data else None
    if mentor is not None and teacher is not None:
        form.requires_norms = services.is_first_pairing(teacher, mentor)
    # Until both are chosen nobody knows whether this pair has met: ask, require only if new.
    form.asks_norms = form.requires_norms or mentor is None or teacher is None
    return form


def _request(form: SeriesForm) -> services.SeriesRequest:
    return services.SeriesRequest(
        teacher_id=form.teacher_id.data or 0,
        mentor_id=form.mentor_id.data or 0,
        skill_id=form.skill_id.data or 0,
        pattern=form.pattern(),
        topic=form.topic.data or "",
        learning_goal=form.learning_goal.data or "",
        format=BookingFormat(form.format.data),
        room=form.room.data or "",
        meeting_url=form.meeting_url.data or "",
        notes=form.notes.data or "",
        request_key=form.request_key.data or None,
        agrees_to_norms=bool(form.agrees_to_norms.data),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.TEACHER, Role.MENTOR, Role.ADVISOR)
def new():
    form = _series_form()
    now = utcnow()
    plan = None
    if form.validate_on_submit():
        series_request = _request(form)
        try:
            if form.confirm.data:
                outcome = services.book_series(
                    current_user, series_request, now, form.confirmed_starts()
                )
            else:
                teacher, mentor, _skill = services.parties(
                    series_request.teacher_id, series_request.mentor_id, series_request.skill_id
                )
                plan = services.plan_series(teacher, mentor, series_request.pattern, now)
        except services.SeriesError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            if plan is None:
                db.session.commit()
                _flash_outcome(outcome)
                return redirect(url_for("series.show", series_id=outcome.series.id))
            form.confirmed.data = " ".join(d.start_at.isoformat() for d in plan.bookable)
    return render_template("series/new.html", form=form, plan=plan)


def _flash_outcome(outcome: services.Outcome) -> None:
    if outcome.repeated:
        flash("This series was already requested; here it is.", "info")
        return
    zone = outcome.series.mentor.school.timezone
    flash(
        f"Requested {plural(len(outcome.booked), 'weekly session')}. The times are held while "
        "the advisor approves them.",
        "success",
    )
    for planned, reason in outcome.failed:
        flash(f"Not booked: {local_day(planned.start_at, zone)}: {reason}", "error")


@bp.get("/<int:series_id>")
@login_required
def show(series_id: int):
    series = _load(series_id)
    sessions = services.sessions_of(series)
    return render_template(
        "series/show.html",
        series=series,
        sessions=sessions,
        skipped=services.skipped_dates(series, sessions),
        waiting=[b for b in sessions if b.status.value == "requested"],
        confirm=ConfirmForm(),
        reason_form=ReasonForm(),
    )


@bp.post("/<int:series_id>/approve")
@advisor_required
def approve(series_id: int):
    series = _load(series_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    approved, skipped = services.approve_series(series, current_user)
    db.session.commit()
    if approved:
        flash(
            f"Approved {plural(approved, 'session')}; both sides have the dates."
            + (f" {skipped} had already been decided." if skipped else ""),
            "success",
        )
    else:
        flash("No date of this series was waiting for approval.", "info")
    return redirect(_back(series))


@bp.post("/<int:series_id>/decline")
@advisor_required
def decline(series_id: int):
    series = _load(series_id)
    form = ReasonForm()
    try:
        if not form.validate_on_submit():
            raise services.SeriesError(
                field_errors(form) or "Give a reason, so the teacher knows what to do next."
            )
        declined = services.decline_series(series, current_user, form.reason.data)
    except services.SeriesError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"Declined {plural(declined, 'session')}; the teacher has been told why.", "success")
    return redirect(_back(series))


def _back(series: BookingSeries) -> str:
    if request.form.get("back") == url_for("bookings.queue"):
        return url_for("bookings.queue")
    return url_for("series.show", series_id=series.id)


@bp.post("/sessions/<int:booking_id>/cancel-rest")
@login_required
def cancel_rest(booking_id: int):
    booking = db.get_or_404(Booking, booking_id)
    if not booking.can_view(current_user) or booking.series_id is None:
        abort(404)
    form = ReasonForm()
    try:
        if not form.validate_on_submit():
            raise services.SeriesError(field_errors(form) or "Give a reason for cancelling.")
        cancelled = services.cancel_rest(booking, current_user, form.reason.data, utcnow())
    except services.SeriesError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("bookings.show", booking_id=booking_id))
    db.session.commit()
    flash(
        f"Cancelled {plural(len(cancelled), 'session')} of the series. The other side has "
        "been told once, with all the dates.",
        "success",
    )
    return redirect(url_for("series.show", series_id=booking.series_id))
