"""Two reference routes for bench/load.py; registered only when the config sets BENCH_ROUTES.

`bare` measures the stack alone (gunicorn, Flask, the security headers); `floor` is the cheapest
real page: the signed-in user, one indexed query for 20 rows, and the base layout.
"""

from flask import Blueprint, render_template
from flask_login import login_required

from helpdesk.extensions import db
from helpdesk.tips.models import Tip, TipStatus

bp = Blueprint("bench", __name__, url_prefix="/bench")


@bp.get("/bare")
def bare():
    return "ok"


@bp.get("/floor")
@login_required
def floor():
    tips = db.session.execute(
        db.select(Tip.id, Tip.title, Tip.published_at)
        .where(Tip.status == TipStatus.PUBLISHED)
        .order_by(Tip.status, Tip.published_at.desc())
        .limit(20)
    ).all()
    return render_template("bench/floor.html", tips=tips)
