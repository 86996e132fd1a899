from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.web import log_read
from helpdesk.accounts.models import Role, User
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.finder import open_times
from helpdesk.mentors import services
from helpdesk.mentors.forms import profile_form_class
from helpdesk.mentors.models import MentorProfile
from helpdesk.permissions import role_required
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
                is_recognition_public=form.is_recognition_public.data,
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
    if current_user.id != mentor.id:
        log_read(AccessAction.PROFILE_VIEWED, subject_id=mentor.id)
    return render_template(
        "mentors/show.html",
        mentor=mentor,
        profile=profile,
        open_times=open_times.of_mentor(
            profile,
            current_user,
            request.args.get("skill", type=int),
            request.args.get("minutes", type=int),
            utcnow(),
        ),
    )
