from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice

from helpdesk.accounts.forms import ConfirmForm
from helpdesk.accounts.models import Role
from helpdesk.availability import services
from helpdesk.availability.forms import (
    ExtraWindowForm,
    PeriodWindowForm,
    SettingsForm,
    TimeOffForm,
    TimeWindowForm,
)
from helpdesk.availability.models import AvailabilityWindow, TimeOff
from helpdesk.calendar.models import DayType
from helpdesk.calendar.services import school_periods
from helpdesk.extensions import db
from helpdesk.locale import district_locale
from helpdesk.permissions import advisor_required, role_required
from helpdesk.schools.services import set_district_locale

bp = Blueprint("availability", __name__, url_prefix="/availability")
mentor_required = role_required(Role.MENTOR)


def _forms():
    day_types = db.session.scalars(
        db.select(DayType)
        .where(DayType.school_id == current_user.school_id)
        .order_by(DayType.rotation_position, DayType.name)
    ).all()
    day_choices = [SelectChoice(0, "Every school day")] + [
        SelectChoice(t.id, f"{t.name} days") for t in day_types
    ]
    period_form = PeriodWindowForm(prefix="period")
    period_form.period_name.choices = [
        SelectChoice(name, name) for name in sorted(school_periods(current_user.school_id))
    ]
    period_form.day_type_id.choices = day_choices
    time_form = TimeWindowForm(prefix="times")
    time_form.day_type_id.choices = day_choices
    return period_form, time_form, ExtraWindowForm(prefix="extra"), TimeOffForm(prefix="off")


def _page(period_form, time_form, extra_form, off_form):
    time_off = db.session.scalars(
        db.select(TimeOff).where(TimeOff.mentor_id == current_user.id).order_by(TimeOff.starts_on)
    ).all()
    return render_template(
        "availability/index.html",
        windows=services.mentor_windows(current_user.id),
        describe=services.describe_window,
        time_off=time_off,
        period_form=period_form,
        time_form=time_form,
        extra_form=extra_form,
        off_form=off_form,
        confirm=ConfirmForm(),
    )


def _day_type(day_type_id: int | None) -> DayType | None:
    return db.session.get(DayType, day_type_id) if day_type_id else None


@bp.get("/")
@mentor_required
def index():
    return _page(*_forms())


@bp.post("/windows")
@mentor_required
def add_window():
    period_form, time_form, extra_form, off_form = forms = _forms()
    try:
        if period_form.submit.data and period_form.validate():
            services.add_window(
                current_user,
                period_name=period_form.period_name.data,
                day_type=_day_type(period_form.day_type_id.data),
                weekdays=set(period_form.weekdays.data or []),
            )
        elif time_form.submit.data and time_form.validate():
            services.add_window(
                current_user,
                start_time=time_form.start_time.data,
                end_time=time_form.end_time.data,
                day_type=_day_type(time_form.day_type_id.data),
                weekdays=set(time_form.weekdays.data or []),
            )
        elif extra_form.submit.data and extra_form.validate():
            services.add_window(
                current_user,
                on=extra_form.on.data,
                start_time=extra_form.start_time.data,
                end_time=extra_form.end_time.data,
            )
        elif off_form.submit.data and off_form.validate():
            services.add_time_off(
                current_user,
                off_form.starts_on.data,
                off_form.ends_on.data,
                off_form.note.data or "",
            )
        else:
            flash("Check the highlighted fields.", "error")
            return _page(*forms), 400
    except services.AvailabilityError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _page(*forms), 400
    db.session.commit()
    flash("Saved. Teachers can book you in these times.", "success")
    return redirect(url_for("availability.index"))


def _remove_own(model, item_id: int):
    item = db.get_or_404(model, item_id)
    if item.mentor_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        services.remove_availability(item)
        db.session.commit()
        flash("Removed.", "success")
    return redirect(url_for("availability.index"))


@bp.post("/windows/<int:window_id>/delete")
@mentor_required
def delete_window(window_id: int):
    return _remove_own(AvailabilityWindow, window_id)


@bp.post("/time-off/<int:time_off_id>/delete")
@mentor_required
def delete_time_off(time_off_id: int):
    return _remove_own(TimeOff, time_off_id)


@bp.route("/settings", methods=["GET", "POST"])
@advisor_required
def settings():
    current = services.program_settings()
    form = SettingsForm(obj=current, locale=district_locale())
    if form.validate_on_submit():
        try:
            services.update_program_settings(
                session_lengths=form.lengths,
                buffer_minutes=form.buffer_minutes.data,
                min_notice_hours=form.min_notice_hours.data,
                horizon_days=form.horizon_days.data,
                weekly_cap=form.weekly_cap.data,
            )
            set_district_locale(form.locale.data)
        except services.AvailabilityError as exc:
            form.session_lengths.errors.append(str(exc))
        else:
            db.session.commit()
            flash("Program settings saved.", "success")
            return redirect(url_for("availability.settings"))
    db.session.commit()
    return render_template("availability/settings.html", form=form)
