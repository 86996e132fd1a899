"""Two-step sign-in rules: who must use it, enrolment, checking a code once, recovery codes,
turning it off and the advisor's reset. Flushes, never commits."""

from flask import current_app
from sqlalchemy import delete, func, select, update

from helpdesk.accounts import two_step
from helpdesk.accounts.models import (
    RecoveryCode,
    Role,
    TwoStepEvent,
    TwoStepEventKind,
    TwoStepSecret,
    User,
)
from helpdesk.accounts.passwords import verify_password
from helpdesk.accounts.services import end_all_sessions
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.formatting import plural
from helpdesk.mail.services import send_email

WRONG_CODE = "That code is not right, or it was already used. Try the newest code."
WRONG_RECOVERY_CODE = "That recovery code is not right, or it was already used."


class TwoStepError(ValueError):
    """A two-step change or code that breaks a rule; the message is safe to show."""


def _key() -> str:
    return current_app.config["SECRET_KEY"]


def secret_row(user: User) -> TwoStepSecret | None:
    return db.session.get(TwoStepSecret, user.id)


def is_enrolled(user: User) -> bool:
    row = secret_row(user)
    return row is not None and row.is_confirmed


def is_required(user: User) -> bool:
    """The advisor sees everything about minors: a setting makes a second factor compulsory."""
    return user.role is Role.ADVISOR and bool(current_app.config["ADVISOR_MFA_REQUIRED"])


def must_enrol(user: User) -> bool:
    """Required and not set up yet: the person may do nothing else until it is."""
    return is_required(user) and not is_enrolled(user)


def _record(user: User, kind: TwoStepEventKind, by: User | None = None) -> None:
    db.session.add(TwoStepEvent(user_id=user.id, kind=kind, by_id=by.id if by else None))


def start_enrolment(user: User) -> TwoStepSecret:
    """A new secret waiting for its first code; an unconfirmed one is replaced."""
    row = secret_row(user)
    if row is not None and row.is_confirmed:
        raise TwoStepError("Two-step sign-in is already on.")
    if row is None:
        row = TwoStepSecret(user_id=user.id)
        db.session.add(row)
    row.secret_encrypted = two_step.encrypt_secret(two_step.new_secret(), _key())
    row.created_at = utcnow()
    row.last_used_step = None
    db.session.flush()
    return row


def pending_secret(user: User) -> str | None:
    """The secret being set up (shown until confirmed, never after)."""
    row = secret_row(user)
    if row is None or row.is_confirmed:
        return None
    return two_step.decrypt_secret(row.secret_encrypted, _key())


def _use_totp(row: TwoStepSecret, code: str) -> bool:
    """Accept a code once: the step moves forward in one UPDATE, so two requests with the same
    code (or an older one) cannot both pass."""
    secret = two_step.decrypt_secret(row.secret_encrypted, _key())
    step = two_step.matching_step(secret, code, utcnow()) if secret else None
    if step is None:
        return False
    moved = db.session.execute(
        update(TwoStepSecret)
        .where(
            TwoStepSecret.user_id == row.user_id,
            (TwoStepSecret.last_used_step.is_(None)) | (TwoStepSecret.last_used_step < step),
        )
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(row, ["last_used_step"])
    return moved.rowcount == 1


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = two_step.new_recovery_codes()
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=two_step.hash_recovery_code(code)) for code in codes
    )
    db.session.flush()
    return codes


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn two-step on with the first code from the app; the recovery codes, shown once."""
    row = secret_row(user)
    if row is None or row.is_confirmed:
        raise TwoStepError("Start setting up two-step sign-in again.")
    if not _use_totp(row, code):
        raise TwoStepError(WRONG_CODE)
    # Two confirmations racing (codes of neighbouring steps): one turns it on, with its codes.
    confirmed = db.session.execute(
        update(TwoStepSecret)
        .where(TwoStepSecret.user_id == user.id, TwoStepSecret.confirmed_at.is_(None))
        .values(confirmed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if confirmed.rowcount != 1:
        raise TwoStepError("Two-step sign-in is already on.")
    db.session.expire(row, ["confirmed_at"])
    _record(user, TwoStepEventKind.TURNED_ON)
    return _new_recovery_codes(user)


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def check_code(user: User, code: str) -> None:
    """The second step of signing in with the app's code; TwoStepError when it fails."""
    row = secret_row(user)
    if row is None or not row.is_confirmed or not _use_totp(row, code):
        raise TwoStepError(WRONG_CODE)


def use_recovery_code(user: User, code: str) -> int:
    """Sign in with a recovery code, good once; how many are left. The person is told by email."""
    if not two_step.looks_like_recovery_code(code) or not is_enrolled(user):
        raise TwoStepError(WRONG_RECOVERY_CODE)
    spent = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == two_step.hash_recovery_code(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        raise TwoStepError(WRONG_RECOVERY_CODE)
    _record(user, TwoStepEventKind.RECOVERY_CODE_USED)
    left = recovery_codes_left(user)
    send_email(
        user.email,
        "A recovery code was used to sign in to Helpdesk",
        f"Hello {user.first_name},\n\nSomeone signed in to your Helpdesk account with a recovery "
        f"code instead of your authenticator app. You have {plural(left, 'recovery code')} left.\n\n"
        "If it was you and your phone is lost, set two-step sign-in up again on the new phone.\n"
        "If it was not you, change your password now and tell the club advisor.\n",
    )
    return left


def _check_password_and_code(user: User, password: str, code: str) -> None:
    if not verify_password(user.password_hash, password):
        raise TwoStepError("Your password is not correct.")
    check_code(user, code)


def regenerate_recovery_codes(user: User, password: str, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after the password and a current code."""
    _check_password_and_code(user, password, code)
    _record(user, TwoStepEventKind.NEW_RECOVERY_CODES)
    return _new_recovery_codes(user)


def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoStepSecret).where(TwoStepSecret.user_id == user.id))


def turn_off(user: User, password: str, code: str) -> None:
    """Stop asking for a code; not allowed for whom it is required."""
    if is_required(user):
        raise TwoStepError("Two-step sign-in is required for the advisor account.")
    _check_password_and_code(user, password, code)
    _remove(user)
    _record(user, TwoStepEventKind.TURNED_OFF)


def enrolled_people(exclude: User) -> list[User]:
    """Everyone with two-step sign-in on, for the advisor's reset list."""
    return list(
        db.session.scalars(
            select(User)
            .join(TwoStepSecret, TwoStepSecret.user_id == User.id)
            .where(TwoStepSecret.confirmed_at.is_not(None), User.id != exclude.id)
            .order_by(User.full_name, User.id)
        )
    )


def reset(user: User, *, by: User | None) -> None:
    """Turn someone's two-step sign-in off for a lost phone: recorded, and they are told.
    The advisor resets others (never themselves); `by=None` is the operator's command."""
    if by is not None and (not by.is_advisor or by.id == user.id):
        raise TwoStepError("You cannot reset your own two-step sign-in; use a recovery code.")
    if not is_enrolled(user):
        raise TwoStepError(f"{user.full_name} does not use two-step sign-in.")
    _remove(user)
    _record(user, TwoStepEventKind.RESET, by)
    end_all_sessions(user)
    who = f"{by.full_name} (the club advisor)" if by else "The Helpdesk administrator"
    send_email(
        user.email,
        "Your Helpdesk two-step sign-in was reset",
        f"Hello {user.first_name},\n\n{who} turned off two-step sign-in on your Helpdesk account, "
        "and you were signed out everywhere. Sign in with your password and set it up again on "
        "your phone.\n\nIf you did not ask for this, tell the club advisor at once.\n",
    )
