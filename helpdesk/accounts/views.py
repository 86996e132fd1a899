from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from helpdesk.accounts import services, throttle, tokens
from helpdesk.accounts.forms import (
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
)
from helpdesk.clock import utcnow
from helpdesk.extensions import db, limiter
from helpdesk.mail.services import mail_leaves_outbox
from helpdesk.security import safe_next_path

bp = Blueprint("accounts", __name__)

THROTTLED = "Too many failed sign-in attempts for this account. Wait 15 minutes and try again."
SPRAYING = (
    "Too many failed sign-ins from your network in the last 15 minutes. "
    "Wait a while and try again; if this keeps happening, tell the club advisor."
)
RESETS_FOR_ADDRESS = (
    "Too many reset requests for this email address in the last hour. "
    "Use a link already sent, or try again in an hour."
)
RESETS_FROM_CLIENT = "Too many reset requests from your network in the last hour. Try again later."
FLOODED = "Too many requests from your network. Wait a minute and try again."
# A coarse guard before any database work (per worker unless the limiter uses Redis); the
# limits that matter are counted in the database (accounts/throttle.py).
flood_guard = limiter.shared_limit(
    lambda: current_app.config["SIGN_IN_FLOOD_LIMIT"],
    scope="sign-in-flood",
    methods=["POST"],
    error_message=FLOODED,
)


def _admit(action: str, email: str, limits: tuple) -> throttle.ThrottleEvent:
    """Count this attempt where every worker sees it; answer 429 if it is one too many."""
    event = throttle.record(action, email, request.remote_addr or "", utcnow())
    db.session.commit()
    refused = throttle.refusal(event, *limits)
    if refused is not None:
        throttle.forget(event)
        db.session.commit()
        raise TooManyRequests(refused.message, retry_after=refused.retry_after)
    return event


def _sign_in_limits() -> tuple:
    return (
        (throttle.Limit.setting("LOGIN_FAILURE_LIMIT"), THROTTLED),
        (throttle.Limit.setting("LOGIN_CLIENT_FAILURE_LIMIT"), SPRAYING),
    )


def _reset_limits() -> tuple:
    return (
        (throttle.Limit.setting("RESET_REQUEST_LIMIT"), RESETS_FOR_ADDRESS),
        (throttle.Limit.setting("RESET_REQUEST_CLIENT_LIMIT"), RESETS_FROM_CLIENT),
    )


@bp.route("/login", methods=["GET", "POST"])
@flood_guard
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        attempt = _admit(throttle.SIGN_IN, form.email.data, _sign_in_limits())
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.rollback()  # the attempt stays, committed, as a failure
            flash("That email and password do not match an active account.", "error")
        else:
            throttle.forget(attempt)
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next_path(form.next.data) or url_for("main.home"))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        services.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        flash("You are signed out on every device.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as exc:
            form.current_password.errors.append(str(exc))
        else:
            db.session.commit()
            login_user(
                current_user._get_current_object()
            )  # this device stays signed in; all others are signed out
            flash("Your password is changed. Other devices have been signed out.", "success")
            return redirect(url_for("main.home"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/forgot-password", methods=["GET", "POST"])
@flood_guard
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        _admit(throttle.RESET, form.email.data, _reset_limits())
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            "If that email has an account, a reset link is on its way. It works for one hour."
            if mail_leaves_outbox()
            else "If that email has an account, a reset link is in the Outbox: no mail server "
            "is set up, so ask the advisor for it. It works for one hour.",
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


def _set_password_from_link(token: str, purpose: str, template: str):
    try:
        user = services.user_from_link(token, purpose)
    except tokens.LinkError as exc:
        return render_template("accounts/link_invalid.html", message=str(exc)), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        if purpose == tokens.INVITATION:
            # The link proved the address and the password is new: asking for it again at once
            # only makes a newcomer type it twice more.
            user.last_login_at = utcnow()
            login_user(user)
            db.session.commit()
            flash(f"Welcome to Helpdesk, {user.first_name}. Your password is set.", "success")
            return redirect(url_for("main.home"))
        db.session.commit()
        flash("Your password is set. Sign in with it now.", "success")
        return redirect(url_for("accounts.login"))
    return render_template(template, form=form, user=user)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    if current_user.is_authenticated:
        logout_user()
    return _set_password_from_link(token, tokens.INVITATION, "accounts/accept_invitation.html")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if current_user.is_authenticated:
        logout_user()
    return _set_password_from_link(token, tokens.PASSWORD_RESET, "accounts/reset_password.html")
