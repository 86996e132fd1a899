from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from helpdesk.accounts.models import Role, User
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.permissions import advisor_required, role_required
from helpdesk.recognition import services
from helpdesk.recognition.forms import ItemForm, ShareForm
from helpdesk.recognition.milestones import recognition_page
from helpdesk.reflections.models import Reflection

bp = Blueprint("recognition", __name__, url_prefix="/recognition")


@bp.get("/")
@login_required
def index():
    page = recognition_page(current_user, utcnow())
    return render_template(
        "recognition/index.html", page=page, item_form=ItemForm(), share_form=ShareForm()
    )


def _change_item(hide: bool):
    form = ItemForm()
    if not form.validate_on_submit():
        flash("That item is not on the recognition page.", "error")
        return redirect(url_for("recognition.index"))
    mentor = db.get_or_404(User, form.mentor_id.data)
    try:
        if hide:
            services.hide_item(mentor, form.item.data, current_user)
        else:
            services.show_item(mentor, form.item.data)
    except services.RecognitionError as exc:
        flash(str(exc), "error")
        return redirect(url_for("recognition.index"))
    db.session.commit()
    flash("Hidden from the recognition page." if hide else "Shown on the recognition page again.")
    return redirect(url_for("recognition.index"))


@bp.post("/hide")
@advisor_required
def hide():
    return _change_item(hide=True)


@bp.post("/show")
@advisor_required
def show():
    return _change_item(hide=False)


def _share(reflection_id: int, shared: bool):
    reflection = db.get_or_404(Reflection, reflection_id)
    if reflection.author_id != current_user.id:
        abort(404)
    if ShareForm().validate_on_submit():
        try:
            services.share_thanks(reflection, current_user, shared)
        except services.RecognitionError as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(
                "Your thank-you is shared on the recognition page."
                if shared
                else "Your thank-you is no longer shared."
            )
    return redirect(url_for("recognition.index") + "#your-thanks")


@bp.post("/thanks/<int:reflection_id>/share")
@role_required(Role.TEACHER)
def share(reflection_id: int):
    return _share(reflection_id, shared=True)


@bp.post("/thanks/<int:reflection_id>/unshare")
@role_required(Role.TEACHER)
def unshare(reflection_id: int):
    return _share(reflection_id, shared=False)
