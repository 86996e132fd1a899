from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from helpdesk.accounts.forms import ConfirmForm
from helpdesk.calendar import closing, services
from helpdesk.calendar.forms import (
    ClosureForm,
    DayTypeForm,
    ExceptionForm,
    IcsImportForm,
    ScheduleForm,
    TermForm,
)
from helpdesk.calendar.models import BellSchedule, Closure, DayException, DayType
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.formatting import local_day, plural
from helpdesk.forms_common import EARLIEST_DATE, LATEST_DATE, parse_id
from helpdesk.permissions import advisor_required
from helpdesk.schools.models import School

bp = Blueprint("school_calendar", __name__, url_prefix="/school-calendar")
PREVIEW_DAYS = 21


@bp.get("/")
@advisor_required
def index():
    schools = db.session.scalars(db.select(School).order_by(School.name)).all()
    return render_template("calendar/index.html", schools=schools)


def _forms(school: School):
    schedules = db.session.scalars(
        db.select(BellSchedule).where(BellSchedule.school_id == school.id).order_by(BellSchedule.id)
    ).all()
    day_types = db.session.scalars(
        db.select(DayType)
        .where(DayType.school_id == school.id)
        .order_by(DayType.rotation_position, DayType.name)
    ).all()
    schedule_choices = [SelectChoice(s.id, s.name) for s in schedules]
    forms = {
        "term": TermForm(prefix="term", obj=school),
        "schedule": ScheduleForm(prefix="schedule"),
        "day_type": DayTypeForm(prefix="daytype"),
        "exception": ExceptionForm(prefix="exception"),
        "closure": ClosureForm(prefix="closure"),
        "ics": IcsImportForm(prefix="ics"),
    }
    forms["day_type"].schedule_id.choices = schedule_choices
    forms["exception"].day_type_id.choices = [SelectChoice(0, "As the rotation says")] + [
        SelectChoice(t.id, t.name) for t in day_types
    ]
    forms["exception"].schedule_id.choices = [
        SelectChoice(0, "The day type's schedule")
    ] + schedule_choices
    return forms, schedules, day_types


def _page(school: School, forms, schedules, day_types, status: int = 200):
    today = utcnow().date()
    calendar = services.load_calendars([school])[school.id]
    preview = calendar.days(today, today + timedelta(days=PREVIEW_DAYS))
    closures = db.session.scalars(
        db.select(Closure).where(Closure.school_id == school.id).order_by(Closure.on)
    ).all()
    exceptions = db.session.scalars(
        db.select(DayException).where(DayException.school_id == school.id).order_by(DayException.on)
    ).all()
    return render_template(
        "calendar/school.html",
        school=school,
        forms=forms,
        schedules=schedules,
        day_types=day_types,
        closures=closures,
        exceptions=exceptions,
        preview=preview,
        preview_dates=[today + timedelta(days=n) for n in range(PREVIEW_DAYS)],
        confirm=ConfirmForm(),
    ), status


@bp.get("/<int:school_id>")
@advisor_required
def school(school_id: int):
    school = db.get_or_404(School, school_id)
    return _page(school, *_forms(school))


@bp.post("/<int:school_id>/<string:part>")
@advisor_required
def save(school_id: int, part: str):
    school = db.get_or_404(School, school_id)
    forms, schedules, day_types = _forms(school)
    form = forms.get(part)
    if form is None:
        return _page(school, forms, schedules, day_types, 404)
    if not form.validate_on_submit():
        flash("Check the highlighted fields.", "error")
        return _page(school, forms, schedules, day_types, 400)
    if part in ("closure", "ics") and not _confirmed():
        return _show_consequences(school, part, form)
    try:
        message = _apply(school, part, form)
    except services.CalendarError as exc:
        return _refused(school, part, form, exc)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("school_calendar.school", school_id=school.id))


def _refused(school: School, part: str, form, error: services.CalendarError):
    """The calendar page again, with the form as sent and the rule it broke."""
    db.session.rollback()
    flash(str(error), "error")
    forms, schedules, day_types = _forms(school)
    forms[part] = form
    return _page(school, forms, schedules, day_types, 400)


def _show_consequences(school: School, part: str, form):
    """The first step of closing days (by hand or from a file): what it will do; nothing yet."""
    if part == "closure":
        flash("Nothing is closed yet: check what closing the day does, then confirm.", "info")
        return redirect(
            url_for(
                "school_calendar.closing_preview",
                school_id=school.id,
                on=form.on.data.isoformat(),
                name=form.name.data,
            )
        )
    try:
        days = closing.closures_in_file(school, form.file.data.read())
    except services.CalendarError as exc:
        return _refused(school, part, form, exc)
    flash("Nothing is imported yet: check the days below, then confirm.", "info")
    return render_template(
        "calendar/import_confirm.html",
        preview=closing.preview_import(school, days),
        confirm=ConfirmForm(),
    )


def _apply(school: School, part: str, form) -> str:
    if part == "term":
        services.set_term(school, form.term_starts_on.data, form.term_ends_on.data)
        return "Term dates saved."
    if part == "schedule":
        existing = db.session.scalar(
            db.select(BellSchedule).where(
                BellSchedule.school_id == school.id,
                db.func.lower(BellSchedule.name) == db.func.lower(" ".join(form.name.data.split())),
            )
        )
        services.save_schedule(
            school, form.name.data, services.parse_periods(form.periods.data), existing
        )
        return f"Bell schedule {form.name.data.strip()} saved."
    if part == "day_type":
        schedule = db.session.get(BellSchedule, form.schedule_id.data)
        if schedule is None:
            raise services.CalendarError("Add a bell schedule first.")
        services.save_day_type(school, form.name.data, schedule, form.rotation_position.data)
        return f"Day type {form.name.data.strip()} saved."
    if part == "exception":
        services.set_day_exception(
            school,
            form.on.data,
            day_type=db.session.get(DayType, form.day_type_id.data)
            if form.day_type_id.data
            else None,
            schedule=db.session.get(BellSchedule, form.schedule_id.data)
            if form.schedule_id.data
            else None,
            note=form.note.data or "",
        )
        return f"Exception for {local_day(form.on.data)} saved."
    if part == "closure":
        cancelled = closing.close_day(school, form.on.data, form.name.data, current_user, utcnow())
        return f"{local_day(form.on.data)} is now closed." + _cancelled_note(cancelled)
    added = services.import_closures(school, form.file.data.read(), current_user, utcnow())
    cancelled = sum(day.cancelled for day in added)
    return f"Imported {plural(len(added), 'closed day')} from the calendar file." + _cancelled_note(
        cancelled
    )


def _cancelled_note(count: int) -> str:
    return (
        f" {plural(count, 'session')} that day {'was' if count == 1 else 'were'} cancelled; both sides were told and offered new times."
        if count
        else ""
    )


def _confirmed() -> bool:
    """The second step of a two-step action: the consequences were shown and confirmed."""
    return request.form.get("confirmed") == "yes"


@bp.get("/<int:school_id>/close")
@advisor_required
def closing_preview(school_id: int):
    school = db.get_or_404(School, school_id)
    try:
        on = date.fromisoformat(request.args.get("on", ""))
    except ValueError:
        on = None
    if on is None or not EARLIEST_DATE <= on <= LATEST_DATE:
        flash("Choose the date to close.", "error")
        return redirect(url_for("school_calendar.school", school_id=school.id))
    name = request.args.get("name", "")[:200]
    preview = closing.preview_closing(school, on, name)
    form = ClosureForm(prefix="closure", formdata=None, on=on, name=preview.name)
    return render_template("calendar/close_confirm.html", preview=preview, form=form)


MOST_IMPORTED = 400  # more closed days than any term has


def _posted_days(school: School) -> list[tuple[date, str]]:
    """The (date, name) pairs the import's confirmation page sent back, checked again."""
    days = []
    for raw_on, raw_name in zip(
        request.form.getlist("on")[:MOST_IMPORTED], request.form.getlist("name"), strict=False
    ):
        try:
            on = date.fromisoformat(raw_on)
        except ValueError:
            continue
        in_term = school.term_starts_on and school.term_starts_on <= on <= school.term_ends_on
        if in_term:
            name = " ".join("".join(c for c in raw_name if c.isprintable()).split())
            days.append((on, name[:200] or "Closed"))
    return days


@bp.post("/<int:school_id>/closures/import")
@advisor_required
def import_confirmed(school_id: int):
    school = db.get_or_404(School, school_id)
    if ConfirmForm().validate_on_submit():
        closed, cancelled = closing.close_days(school, _posted_days(school), current_user, utcnow())
        db.session.commit()
        flash(
            f"Imported {plural(closed, 'closed day')} from the calendar file."
            + _cancelled_note(cancelled),
            "success",
        )
    return redirect(url_for("school_calendar.school", school_id=school.id))


def _closure_of(school_id: int, closure_id: int) -> Closure:
    closure = db.get_or_404(Closure, closure_id)
    if closure.school_id != school_id:
        abort(404)
    return closure


@bp.get("/<int:school_id>/closures/<int:closure_id>/reopen")
@advisor_required
def reopening_preview(school_id: int, closure_id: int):
    closure = _closure_of(school_id, closure_id)
    preview = closing.preview_reopening(closure, utcnow())
    return render_template("calendar/reopen_confirm.html", preview=preview, confirm=ConfirmForm())


@bp.post("/<int:school_id>/closures/<int:closure_id>/delete")
@advisor_required
def delete_closure(school_id: int, closure_id: int):
    closure = _closure_of(school_id, closure_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("school_calendar.school", school_id=school_id))
    if not _confirmed():
        flash("The day is still closed: check what reopening does, then confirm.", "info")
        return redirect(
            url_for("school_calendar.reopening_preview", school_id=school_id, closure_id=closure.id)
        )
    chosen = {i for i in map(parse_id, request.form.getlist("restore")) if i is not None}
    restored, not_free = closing.reopen_day(closure, current_user, chosen, utcnow())
    db.session.commit()
    flash("The day is open again." + _restored_note(restored, not_free), "success")
    return redirect(url_for("school_calendar.school", school_id=school_id))


def _restored_note(restored: int, not_free: int) -> str:
    note = f" {plural(restored, 'session')} restored; both sides were told." if restored else ""
    if not_free:
        note += f" {plural(not_free, 'session')} could not be restored: the time was taken."
    return note


@bp.post("/<int:school_id>/exceptions/<int:exception_id>/delete")
@advisor_required
def delete_exception(school_id: int, exception_id: int):
    exception = db.get_or_404(DayException, exception_id)
    if exception.school_id == school_id and ConfirmForm().validate_on_submit():
        services.remove_day_exception(exception)
        db.session.commit()
        flash("Exception removed.", "success")
    return redirect(url_for("school_calendar.school", school_id=school_id))
