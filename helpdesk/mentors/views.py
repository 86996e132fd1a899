from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from helpdesk.accounts.models import Role, User
from helpdesk.availability.services import program_settings
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.finder import defaults
from helpdesk.finder.services import find_mentors
from helpdesk.mentors import services
from helpdesk.mentors.forms import profile_form_class
from helpdesk.mentors.models import MentorProfile
from helpdesk.permissions import role_required
from helpdesk.skills.models import Skill
from helpdesk.skills.services import all_skills

bp = Blueprint("mentors", __name__, url_prefix="/mentors")


@bp.route("/me", methods=["GET", "POST"])
@role_required(Role.MENTOR)
def edit_profile():
    profile = services.profile_for(current_user)
    skills = all_skills()
    levels = {ms.skill_id: ms.level for ms in profile.skills}
    form_class = profile_form_class(skills)
    form = form_class(obj=profile, **{f"skill_{sid}": level for sid, level in levels.items()})
    if form.validate_on_submit():
        chosen = {s.id: form[f"skill_{s.id}"].data for s in skills if form[f"skill_{s.id}"].data}
        try:
            services.update_profile(
                profile,
                bio=form.bio.data or "",
                story=form.story.data or "",
                weekly_cap=form.weekly_cap.data,
                offers_online=form.offers_online.data,
                offers_in_person=form.offers_in_person.data,
                skill_levels=chosen,
            )
        except services.ProfileError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Your profile is saved.", "success")
            return redirect(url_for("mentors.show", mentor_id=current_user.id))
    skill_fields = [form[f"skill_{s.id}"] for s in skills]
    return render_template("mentors/edit.html", form=form, skill_fields=skill_fields)


@bp.get("/<int:mentor_id>")
@login_required
def show(mentor_id: int):
    mentor = db.get_or_404(User, mentor_id)
    if not current_user.can_view_mentor_profile(mentor):
        abort(404)
    profile = db.session.get(MentorProfile, mentor.id)
    return render_template(
        "mentors/show.html", mentor=mentor, profile=profile, open_times=_open_times(profile)
    )


@dataclass(frozen=True)
class _OpenTimes:
    skill: Skill
    minutes: int
    lengths: list[int]
    skills: list[Skill]
    slots: list
    start: date
    end: date


def _open_times(profile: MentorProfile | None) -> _OpenTimes | None:
    """The mentor's open times over the next two school weeks, for the topic asked (else the
    teacher's last one, else the mentor's best) and a session length the program offers."""
    if profile is None or not profile.skills or not profile.user.is_active:
        return None
    skills = {ms.skill_id: ms for ms in profile.skills}
    asked = request.args.get("skill", type=int)
    if asked not in skills and current_user.is_teacher:
        asked = defaults.last_topic(current_user)
    if asked not in skills:
        asked = max(profile.skills, key=lambda ms: (ms.level, -ms.skill_id)).skill_id
    settings = program_settings()
    minutes = request.args.get("minutes", type=int)
    if minutes not in settings.lengths:
        minutes = settings.lengths[0]
    now = utcnow()
    zone = ZoneInfo(profile.user.school.timezone)
    start, end = defaults.next_school_weeks(now.astimezone(zone).date())
    matches = find_mentors(
        skill_id=asked,
        start=start,
        end=end,
        session_minutes=minutes,
        now=now,
        mentor_id=profile.user_id,
        with_profiles=False,
        settings=settings,
    )
    return _OpenTimes(
        skills[asked].skill,
        minutes,
        settings.lengths,
        sorted((ms.skill for ms in profile.skills), key=lambda skill: skill.name),
        matches[0].slots if matches else [],
        start,
        end,
    )
