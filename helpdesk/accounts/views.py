from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from helpdesk.accounts import services, throttle, tokens, two_step_services
from helpdesk.accounts import two_step as totp
from helpdesk.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    PasswordAndCodeForm,
    RecoveryCodeForm,
)
from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.extensions import db, limiter
from helpdesk.formatting import plural
from helpdesk.mail.services import mail_leaves_outbox
from helpdesk.security import safe_next_path

bp = Blueprint("accounts", __name__)

HALF_SIGN_IN = "half_sign_in"  # session key: the password was right, the code is still due
# While two-step sign-in is required and not set up, only these pages open.
OPEN_UNTIL_ENROLLED = frozenset(
    {
        "accounts.two_step",
        "accounts.two_step_start",
        "accounts.two_step_enrol",
        "accounts.logout",
        "main.healthz",
        "static",
    }
)

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
            next_path = safe_next_path(form.next.data)
            if two_step_services.is_enrolled(user):
                db.session.commit()
                _begin_half_sign_in(user, form.remember.data, next_path)
                return redirect(url_for("accounts.login_code"))
            _finish_sign_in(user, form.remember.data)
            return redirect(next_path or url_for("main.home"))
    return render_template("accounts/login.html", form=form)


def _finish_sign_in(user, remember: bool = False) -> None:
    session.pop(HALF_SIGN_IN, None)
    services.record_sign_in(user)
    login_user(user, remember=remember)
    db.session.commit()


def _begin_half_sign_in(user, remember: bool, next_path: str | None) -> None:
    """The password was right; the person is not signed in until the code is, within minutes."""
    session[HALF_SIGN_IN] = {
        "user": user.get_id(),
        "at": int(utcnow().timestamp()),
        "remember": bool(remember),
        "next": next_path,
    }


def _half_signed_in_user():
    """Whose password was right moments ago in this browser; None once it has expired."""
    pending = session.get(HALF_SIGN_IN)
    if not isinstance(pending, dict):
        return None
    age = utcnow().timestamp() - pending.get("at", 0)
    if not 0 <= age <= current_app.config["TWO_STEP_PENDING_MAX_AGE"].total_seconds():
        session.pop(HALF_SIGN_IN, None)
        return None
    return services.load_user_for_session(str(pending.get("user", "")))


def _second_step(form, check, template: str):
    """The code page and the recovery-code page: one attempt counted like a password's."""
    began = HALF_SIGN_IN in session
    user = _half_signed_in_user()
    if user is None:
        if began:
            flash("Your sign-in took too long. Enter your email and password again.", "info")
        return redirect(url_for("accounts.login"))
    if form.validate_on_submit():
        attempt = _admit(throttle.SIGN_IN, user.email, _sign_in_limits())
        try:
            left = check(user, form.code.data)
        except two_step_services.TwoStepError as exc:
            db.session.rollback()  # the attempt stays, committed, as a failure
            form.code.errors.append(str(exc))
        else:
            throttle.forget(attempt)
            pending = session[HALF_SIGN_IN]
            _finish_sign_in(user, pending.get("remember", False))
            if left is not None:
                flash(
                    f"You signed in with a recovery code; {plural(left, 'code')} left. "
                    "Lost your phone? Set two-step sign-in up again on the new one.",
                    "warning",
                )
            return redirect(safe_next_path(pending.get("next")) or url_for("main.home"))
    return render_template(template, form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@flood_guard
def login_code():
    def check(user, code):
        two_step_services.check_code(user, code)

    return _second_step(CodeForm(), check, "accounts/login_code.html")


@bp.route("/login/recovery", methods=["GET", "POST"])
@flood_guard
def login_recovery():
    return _second_step(
        RecoveryCodeForm(), two_step_services.use_recovery_code, "accounts/login_recovery.html"
    )


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
        if purpose == tokens.INVITATION and not two_step_services.is_enrolled(user):
            # The link proved the address and the password is new: asking for it again at once
            # only makes a newcomer type it twice more.
            _finish_sign_in(user)
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


@bp.before_app_request
def _require_two_step():
    """While the advisor must use two-step sign-in and has not set it up, every other page
    sends them to set it up (a post does nothing)."""
    if request.endpoint in OPEN_UNTIL_ENROLLED or not current_user.is_authenticated:
        return None
    if two_step_services.must_enrol(current_user):
        flash("Set up two-step sign-in to continue: your account requires it.", "info")
        return redirect(url_for("accounts.two_step"), code=303)
    return None


@bp.get("/account/two-step")
@login_required
def two_step():
    user = current_user._get_current_object()
    return render_template(
        "accounts/two_step.html",
        enrolled=two_step_services.is_enrolled(user),
        required=two_step_services.is_required(user),
        codes_left=two_step_services.recovery_codes_left(user),
        start_form=ConfirmForm(),
        new_codes_form=PasswordAndCodeForm(prefix="codes"),
        turn_off_form=PasswordAndCodeForm(prefix="off"),
    )


@bp.post("/account/two-step/start")
@login_required
def two_step_start():
    if ConfirmForm().validate_on_submit():
        try:
            two_step_services.start_enrolment(current_user)
        except two_step_services.TwoStepError as exc:
            flash(str(exc), "error")
            return redirect(url_for("accounts.two_step"))
        db.session.commit()
    return redirect(url_for("accounts.two_step_enrol"))


@bp.route("/account/two-step/enrol", methods=["GET", "POST"])
@login_required
def two_step_enrol():
    user = current_user._get_current_object()
    secret = two_step_services.pending_secret(user)
    if secret is None:
        return redirect(url_for("accounts.two_step"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_step_services.confirm_enrolment(user, form.code.data)
        except two_step_services.TwoStepError as exc:
            db.session.rollback()
            form.code.errors.append(str(exc))
        else:
            services.end_all_sessions(user)  # sessions begun with the password alone end
            db.session.commit()
            login_user(user)
            return _show_recovery_codes(codes, "Two-step sign-in is on.")
    uri = totp.provisioning_uri(secret, user.email, current_app.config["TWO_STEP_ISSUER"])
    return render_template(
        "accounts/two_step_enrol.html",
        form=form,
        qr_svg=totp.qr_svg(uri, "QR code to scan with your authenticator app"),
        secret=totp.grouped(secret),
    )


def _show_recovery_codes(codes: list[str], heading: str):
    """Shown once, straight from the post: they are kept only as hashes."""
    text = "Helpdesk recovery codes (each works once)\n\n" + "\n".join(codes) + "\n"
    return render_template(
        "accounts/recovery_codes.html", codes=codes, heading=heading, download_text=text
    )


@bp.post("/account/two-step/recovery-codes")
@login_required
def two_step_new_codes():
    form = PasswordAndCodeForm(prefix="codes")
    if form.validate_on_submit():
        try:
            codes = two_step_services.regenerate_recovery_codes(
                current_user, form.password.data, form.code.data
            )
        except two_step_services.TwoStepError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            return _show_recovery_codes(codes, "New recovery codes")
    else:
        flash("Enter your password and a current code.", "error")
    return redirect(url_for("accounts.two_step"))


@bp.post("/account/two-step/off")
@login_required
def two_step_off():
    form = PasswordAndCodeForm(prefix="off")
    if form.validate_on_submit():
        try:
            two_step_services.turn_off(current_user, form.password.data, form.code.data)
        except two_step_services.TwoStepError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Two-step sign-in is off. Sign-in asks only for your password.", "success")
    else:
        flash("Enter your password and a current code.", "error")
    return redirect(url_for("accounts.two_step"))


def _advisor_only() -> None:
    if not current_user.is_advisor:
        abort(404)


@bp.get("/account/two-step/people")
@login_required
def two_step_people():
    _advisor_only()
    return render_template(
        "accounts/two_step_people.html",
        people=two_step_services.enrolled_people(exclude=current_user),
        form=ConfirmForm(),
    )


@bp.route("/account/two-step/people/<int:user_id>/reset", methods=["GET", "POST"])
@login_required
def two_step_reset(user_id: int):
    _advisor_only()
    person = db.get_or_404(User, user_id)
    if person.id == current_user.id or not two_step_services.is_enrolled(person):
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        two_step_services.reset(person, by=current_user)
        db.session.commit()
        flash(
            f"Two-step sign-in is off for {person.full_name}; they are signed out and told by "
            "email.",
            "success",
        )
        return redirect(url_for("accounts.two_step_people"))
    return render_template("accounts/two_step_reset.html", person=person, form=form)
